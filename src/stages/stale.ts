// Stale outputs: files under an input's output folder whose stamp (io/stamp.ts) says they
// were generated from this input by this target, and which this run of it does not plan,
// because the step they were converted from was renamed or removed. Read only; the
// writing stage removes them with --write --force. The targets write into the output
// folder and at most one folder below it (pipeline-yaml's folder per pipeline), and only
// YAML and Python files carry the stamp, so nothing deeper or else is read.

import { closeSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import path from "node:path";
import { provenanceOf, unchangedSinceGenerated, type Provenance } from "../io/stamp.js";

const DEPTH = 2;
const STAMPED = /\.(?:yaml|py)$/;
/** Enough of a file for its stamp line (which holds the input's path). */
const HEAD_BYTES = 16384;

function head(file: string): string {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    return buffer.toString("utf8", 0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

export interface StaleOutput {
  /** Absolute path. */
  file: string;
  /** Edited by hand since it was generated (filled-in TODOs the new output lacks). */
  edited: boolean;
}

/** The generated files under `folder` that came from `from` (its source an absolute path)
 * and are not in `planned` (absolute paths), in path order. A folder or file that cannot
 * be read says nothing. */
export function staleOutputs(
  folder: string,
  from: Provenance,
  planned: ReadonlySet<string>,
): StaleOutput[] {
  const found: StaleOutput[] = [];
  const walk = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // no output folder (yet), or not one we may read
    }
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < DEPTH) walk(file, depth + 1);
      if (!entry.isFile() || !STAMPED.test(entry.name) || planned.has(file)) continue;
      try {
        const stamp = provenanceOf(head(file), file);
        if (stamp?.target !== from.target || stamp.source !== from.source) continue;
        const edited = !unchangedSinceGenerated(readFileSync(file, "utf8"));
        found.push({ file, edited });
      } catch {
        continue; // gone, or not ours to read
      }
    }
  };
  walk(path.resolve(folder), 1);
  return found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
