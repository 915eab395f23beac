// CPython's own parser (ast.parse: it compiles, it never runs the code) as a second
// opinion: before writing, it checks each original and rewritten program of a run in
// one python3 process (tree-sitter's grammar accepts some text CPython rejects; a file
// either parser rejects is not rewritten); and it outlines a file tree-sitter rejects
// but CPython accepts, so its steps are still found. Without python3 on the machine the
// tool relies on tree-sitter alone. Python runs isolated (-I): neither the working folder
// nor PYTHONPATH is on its import path, so no module of the user's folders is imported.

import { spawnSync } from "node:child_process";

// Each program is judged on its own: whatever one raises (RecursionError on a
// 100,000-long attribute chain, MemoryError) is that program's verdict. A program given
// as bytes is read as CPython reads a file: its BOM and coding declaration decide.
const CHECKER = `
import ast, base64, json, sys, warnings
warnings.simplefilter("ignore")
def verdict(item):
    source = base64.b64decode(item["bytes"]) if "bytes" in item else item["text"]
    try:
        ast.parse(source)
        return None
    except SyntaxError as e:
        return [e.lineno or 1, e.msg or str(e)]
    except Exception as e:
        return [1, f"{type(e).__name__}: {e}" if str(e) else type(e).__name__]
json.dump([verdict(item) for item in json.load(sys.stdin)], sys.stdout)
`;

export type CPythonVerdict = { line: number; message: string } | null;

/** A program as CPython gets it: text, or a file's bytes (BOM and coding declaration
 * included). */
export type Program = string | Uint8Array;

/** For each program, null when CPython parses it, else where and why it does not;
 * undefined when no python3 could be run. */
export function cpythonVerdicts(programs: Program[]): CPythonVerdict[] | undefined {
  const items = programs.map((p) =>
    typeof p === "string" ? { text: p } : { bytes: Buffer.from(p).toString("base64") },
  );
  return pythonEach<[number, string] | null>(CHECKER, items, (failure) => [1, failure])?.map((v) =>
    v ? { line: v[0], message: v[1] } : null,
  );
}

/** The user's Python: MPISTEP_MIGRATE_PYTHON, else python3 on the PATH. */
export function userPython(): string {
  return process.env.MPISTEP_MIGRATE_PYTHON ?? "python3";
}

type Batch<T> = { results: T[] } | { failure: string } | undefined;

/** Runs `script` once over all `inputs` (a JSON list on stdin, a JSON list of results on
 * stdout), isolated; undefined when no python3 could be run. */
function pythonBatch<T>(script: string, inputs: unknown[]): Batch<T> {
  const result = spawnSync(userPython(), ["-I", "-c", script], {
    input: JSON.stringify(inputs),
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (result.error) return undefined;
  if (result.status !== 0) {
    const lines = result.stderr.trim().split("\n");
    return { failure: `CPython failed on it (${lines[lines.length - 1] || result.signal})` };
  }
  return { results: JSON.parse(result.stdout) };
}

/** Runs `script` over all `inputs` in one process; when that process fails (a crash
 * on one input), each input again in a process of its own, so one input never decides
 * for the others: an input whose own process fails gets `onFailure`'s result. */
function pythonEach<T>(
  script: string,
  inputs: unknown[],
  onFailure: (failure: string) => T,
): T[] | undefined {
  if (!inputs.length) return [];
  const batch = pythonBatch<T>(script, inputs);
  if (!batch) return undefined;
  if ("results" in batch) return batch.results;
  return inputs.map((input) => {
    const alone = inputs.length > 1 ? pythonBatch<T>(script, [input]) : batch;
    return alone && "results" in alone ? alone.results[0]! : onFailure(alone?.failure ?? "");
  });
}

const OUTLINER = `
import ast, json, sys, warnings
warnings.simplefilter("ignore")
def first_line(s):
    return min([s.lineno] + [d.lineno for d in getattr(s, "decorator_list", [])])
def outline(text):
    try:
        tree = ast.parse(text)
    except Exception:
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
  return pythonEach<CPythonOutline | null>(OUTLINER, texts, () => null);
}
