// CPython's own parser (ast.parse: it compiles, it never runs the code) as a second
// opinion: before writing, it checks each original and rewritten program of a run in
// one python3 process (tree-sitter's grammar accepts some text CPython rejects; a file
// either parser rejects is not rewritten); and it outlines a file tree-sitter rejects
// but CPython accepts, so its steps are still found. Without python3 on the machine the
// tool relies on tree-sitter alone. Python runs isolated (-I): neither the working folder
// nor PYTHONPATH is on its import path, so no module of the user's folders is imported.

import { spawnSync } from "node:child_process";

const CHECKER = `
import ast, json, sys, warnings
warnings.simplefilter("ignore")
out = []
for text in json.load(sys.stdin):
    try:
        ast.parse(text)
        out.append(None)
    except (SyntaxError, ValueError) as e:
        out.append([getattr(e, "lineno", None) or 1, getattr(e, "msg", None) or str(e)])
json.dump(out, sys.stdout)
`;

export type CPythonVerdict = { line: number; message: string } | null;

/** For each program, null when CPython parses it, else where and why it does not;
 * undefined when no python3 could be run. */
export function cpythonVerdicts(programs: string[]): CPythonVerdict[] | undefined {
  return pythonBatch<[number, string] | null>(CHECKER, programs)?.map((v) =>
    v ? { line: v[0], message: v[1] } : null,
  );
}

/** The user's Python: MPISTEP_MIGRATE_PYTHON, else python3 on the PATH. */
export function userPython(): string {
  return process.env.MPISTEP_MIGRATE_PYTHON ?? "python3";
}

/** Runs `script` once over all `inputs` (a JSON list on stdin, a JSON list of results on
 * stdout); undefined when no python3 could be run. */
function pythonBatch<T>(script: string, inputs: string[]): T[] | undefined {
  if (!inputs.length) return [];
  const result = spawnSync(userPython(), ["-I", "-c", script], {
    input: JSON.stringify(inputs),
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (result.error || result.status !== 0) return undefined;
  return JSON.parse(result.stdout);
}

const OUTLINER = `
import ast, json, sys, warnings
warnings.simplefilter("ignore")
def first_line(s):
    return min([s.lineno] + [d.lineno for d in getattr(s, "decorator_list", [])])
def outline(text):
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if name == "MpiStep":
                calls.append([node.lineno, node.col_offset])
    return {"statements": [[first_line(s), s.end_lineno] for s in tree.body], "calls": calls}
json.dump([outline(text) for text in json.load(sys.stdin)], sys.stdout)
`;

/** How CPython reads a file: its top-level statements (first line, decorators included,
 * and last line) and where it calls something named MpiStep (line, 0-based UTF-8
 * column). */
export interface CPythonOutline {
  statements: Array<[number, number]>;
  calls: Array<[number, number]>;
}

/** For each text, CPython's outline, or null where CPython rejects it; undefined when no
 * python3 could be run. One process for all. */
export function cpythonOutlines(texts: string[]): Array<CPythonOutline | null> | undefined {
  return pythonBatch<CPythonOutline | null>(OUTLINER, texts);
}
