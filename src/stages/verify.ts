// Checks that text about to be written parses, with the same parsers the tool reads
// with: Python (tree-sitter, with CPython's extra rules) and YAML. Parsers are loaded on
// first use, like everywhere else. A kind of file with no parser here is a bug.

import type { TextEdit } from "../backends/shared/edits.js";
import { topLevelStatements } from "../frontends/python/skeleton.js";
import { lineIndex } from "../ir/positions.js";

/** A short description of the first problem, or undefined when `text` parses. */
export async function verifyText(extension: string, text: string): Promise<string | undefined> {
  switch (extension) {
    case ".py": {
      const { parsePython } = await import("../frontends/python/parser.js");
      const { firstInvalidity } = await import("../frontends/python/validity.js");
      const tree = await parsePython(text);
      const invalid = firstInvalidity(tree.rootNode, text);
      tree.delete();
      return (
        invalid && `${invalid.message} at line ${lineIndex(text).position(invalid.offset).line}`
      );
    }
    case ".yaml":
      try {
        (await import("../backends/shared/yaml.js")).parseYaml(text);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    default:
      throw new Error(`no parser to verify ${extension} files before writing them`);
  }
}

/**
 * The rewritten program with every top-level statement that no edit touched blanked out
 * (only its line breaks kept, so every line keeps its number and every kept line its
 * columns): all of a rewrite that needs checking when the original parsed, for a module
 * parses when each of its top-level statements does. `from __future__` imports, which
 * change the grammar, are kept. Undefined when the statements cannot be found: check the
 * whole text then.
 */
export function editedStatements(after: string, edits: TextEdit[]): string | undefined {
  const statements = topLevelStatements(after);
  if (!statements) return undefined;
  // Where each edit's text stands in the rewritten program.
  const changed: Array<[number, number]> = [];
  let shift = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    const start = edit.start + shift;
    changed.push([start, start + edit.text.length]);
    shift += edit.text.length - (edit.end - edit.start);
  }
  const kept = new Set<number>();
  for (const [start, end] of changed) {
    const touched = statements.flatMap((st, i) => (st.start < end && st.end > start ? [i] : []));
    if (touched.length) for (const i of touched) kept.add(i);
    else {
      // Text between statements (or removed there): the statements on either side.
      const next = statements.findIndex((st) => st.start >= end);
      if (next > 0 || next === -1) kept.add((next === -1 ? statements.length : next) - 1);
      if (next >= 0) kept.add(next);
    }
  }
  statements.forEach((st, i) => {
    if (after.startsWith("from __future__", st.start)) kept.add(i);
  });
  let out = "";
  let at = 0;
  statements.forEach((st, i) => {
    if (kept.has(i)) return;
    out += after.slice(at, st.start) + after.slice(st.start, st.end).replace(/[^\r\n]+/g, "");
    at = st.end;
  });
  return out + after.slice(at);
}
