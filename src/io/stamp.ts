// The first line of every file the tool generates: a hash of the rest, so a later run can
// tell a generated file that was edited by hand (kept unless --force) from one it may
// replace, and where the file came from (the input, the target), so a later run of the
// same input and target can tell a file no step converts to any more (stale). A file
// without the line was not written by the tool (or had it removed) and is kept too.

import { createRequire } from "node:module";
import path from "node:path";

const STAMP = /^# mpistep-migrate sha256:([0-9a-f]{16})\b[^\n]*\n/;
const PROVENANCE =
  /^# mpistep-migrate sha256:[0-9a-f]{16} from ("(?:[^"\\\n]|\\.)*") by --target ([\w-]+) /;

/** node:crypto, loaded on first use: `check` never hashes, and loading it costs a
 * pre-commit run a few milliseconds. */
const builtin = createRequire(import.meta.url);

function digest(text: string): string {
  const { createHash } = builtin("node:crypto") as typeof import("node:crypto");
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** Where a generated file came from: the input it was converted from, and the target. */
export interface Provenance {
  source: string;
  target: string;
}

/** A path as a JSON string that stays on one line of a comment, in YAML 1.1 (which also
 * breaks lines at U+0085, U+2028 and U+2029) as in Python: JSON escapes the rest. */
function oneLineJson(text: string): string {
  return JSON.stringify(text).replace(
    /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** `text`, generated at `file` from `from`, with the stamp line before it (YAML and Python
 * both read it as a comment). The stamp names the input relative to the file's folder
 * (the same wherever the run starts). */
export function stamped(text: string, file: string, from: Provenance): string {
  const source = path.relative(path.dirname(file), from.source).split(path.sep).join("/");
  return `# mpistep-migrate sha256:${digest(text)} from ${oneLineJson(source)} by --target ${from.target} (generated: once edited, the tool keeps this file)\n${text}`;
}

/** Whether a file may be replaced: it carries the stamp and is unchanged since. */
export function unchangedSinceGenerated(text: string): boolean {
  const match = STAMP.exec(text);
  return match !== null && digest(text.slice(match[0].length)) === match[1];
}

/** Where the file at `file` (whose text starts with `head`) says it came from, with the
 * input as an absolute path; nothing for a file without a stamp that says. */
export function provenanceOf(head: string, file: string): Provenance | undefined {
  const match = PROVENANCE.exec(head);
  if (!match) return undefined;
  const source = JSON.parse(match[1]!) as string;
  return { source: path.resolve(path.dirname(file), source), target: match[2]! };
}
