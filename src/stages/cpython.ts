// CPython's own compiler (compile(): it turns the text into bytecode and never runs it)
// as a second opinion: before writing, it checks each original and rewritten program of a run in
// one python3 process (tree-sitter's grammar accepts some text CPython rejects; a file
// either parser rejects is not rewritten); and it outlines a file tree-sitter rejects
// but CPython accepts, so its steps are still found. Without python3 on the machine the
// tool relies on tree-sitter alone. Python runs isolated (-I): neither the working folder
// nor PYTHONPATH is on its import path, so no module of the user's folders is imported.

import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";

// Each program is judged on its own: whatever one raises (RecursionError on a
// 100,000-long attribute chain, MemoryError) is that program's verdict. A program given
// as bytes is read as CPython reads a file: its BOM and coding declaration decide.
const CHECKER = `
import base64, json, sys, warnings
warnings.simplefilter("ignore")
def verdict(item):
    source = base64.b64decode(item["bytes"]) if "bytes" in item else item["text"]
    try:
        compile(source, "<file>", "exec", dont_inherit=True)
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
export async function cpythonVerdicts(programs: Program[]): Promise<CPythonVerdict[] | undefined> {
  const items = programs.map((p) =>
    typeof p === "string" ? { text: p } : { bytes: Buffer.from(p).toString("base64") },
  );
  const verdicts = await pythonEach<[number, string] | null>(CHECKER, items, (failure) => [
    1,
    failure,
  ]);
  return verdicts?.map((v) => (v ? { line: v[0], message: v[1] } : null));
}

/** The user's Python: MPISTEP_MIGRATE_PYTHON, else python3 on the PATH. */
export function userPython(): string {
  return process.env.MPISTEP_MIGRATE_PYTHON ?? "python3";
}

type Batch<T> = { results: T[] } | { failure: string } | undefined;

/** Runs `script` once over all `inputs` (a JSON list on stdin, a JSON list of results on
 * stdout), isolated; undefined when no python3 could be run. */
function pythonBatch<T>(script: string, inputs: unknown[]): Promise<Batch<T>> {
  return new Promise((resolve) => {
    const child = spawn(userPython(), ["-I", "-c", script]);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.stdin.on("error", () => {}); // a Python that stops reading: its exit says why
    child.on("error", () => resolve(undefined));
    child.on("close", (status, signal) => {
      if (status !== 0) {
        const lines = Buffer.concat(err).toString("utf8").trim().split("\n");
        resolve({ failure: `CPython failed on it (${lines[lines.length - 1] || signal})` });
      } else resolve({ results: JSON.parse(Buffer.concat(out).toString("utf8")) });
    });
    child.stdin.end(JSON.stringify(inputs));
  });
}

/** Above this much text, the inputs are shared out over several processes (one a core):
 * CPython compiles a megabyte in most of a second. */
const SHARED_OUT_ABOVE = 1 << 20;

/** `inputs` cut into at most `parts` runs of about equal size, in order. */
function shareOut(inputs: unknown[], parts: number): unknown[][] {
  const sizes = inputs.map((input) => JSON.stringify(input).length);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (parts < 2 || total <= SHARED_OUT_ABOVE) return [inputs];
  const runs: unknown[][] = [[]];
  let size = 0;
  inputs.forEach((input, i) => {
    if (size >= (total / parts) * runs.length && runs.length < parts) runs.push([]);
    runs[runs.length - 1]!.push(input);
    size += sizes[i]!;
  });
  return runs.filter((run) => run.length);
}

/** Runs `script` over all `inputs`, in one process or (a lot of text) one a core; when a
 * process fails (a crash on one input), each of its inputs again in a process of its
 * own, so one input never decides for the others: an input whose own process fails gets
 * `onFailure`'s result. */
async function pythonEach<T>(
  script: string,
  inputs: unknown[],
  onFailure: (failure: string) => T,
): Promise<T[] | undefined> {
  if (!inputs.length) return [];
  const runs = shareOut(inputs, Math.min(availableParallelism(), inputs.length));
  const batches = await Promise.all(runs.map((run) => pythonBatch<T>(script, run)));
  if (batches.some((batch) => !batch)) return undefined;
  const results: T[] = [];
  for (const [i, batch] of batches.entries()) {
    if ("results" in batch!) {
      results.push(...batch.results);
      continue;
    }
    for (const input of runs[i]!) {
      const alone = runs[i]!.length > 1 ? await pythonBatch<T>(script, [input]) : batch;
      results.push(
        alone && "results" in alone ? alone.results[0]! : onFailure(alone?.failure ?? ""),
      );
    }
  }
  return results;
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
export function cpythonOutlines(
  texts: string[],
): Promise<Array<CPythonOutline | null> | undefined> {
  return pythonEach<CPythonOutline | null>(OUTLINER, texts, () => null);
}
