// The first line of every file the tool generates: a hash of the rest, so a later run can
// tell a generated file that was edited by hand (kept unless --force) from one it may
// replace. A file without the line was not written by the tool (or had it removed) and
// is kept too.

import { createRequire } from "node:module";

const STAMP = /^# mpistep-migrate sha256:([0-9a-f]{16})\b[^\n]*\n/;

/** node:crypto, loaded on first use: `check` never hashes, and loading it costs a
 * pre-commit run a few milliseconds. */
const builtin = createRequire(import.meta.url);

function digest(text: string): string {
  const { createHash } = builtin("node:crypto") as typeof import("node:crypto");
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** `text` with the stamp line before it (YAML and Python both read it as a comment). */
export function stamped(text: string): string {
  return `# mpistep-migrate sha256:${digest(text)} (generated: once edited, the tool keeps this file)\n${text}`;
}

/** Whether a file may be replaced: it carries the stamp and is unchanged since. */
export function unchangedSinceGenerated(text: string): boolean {
  const match = STAMP.exec(text);
  return match !== null && digest(text.slice(match[0].length)) === match[1];
}
