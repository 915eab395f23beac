// CPython's opinion: what the tool asks CPython (never running the user's code), all of
// it here and entered from one place, askCPython, once per run (src/run/run.ts):
// - a Python file tree-sitter rejects is outlined by CPython; when CPython accepts it,
//   it is processed again with the outline (parseWithOutline sets aside the top-level
//   statements tree-sitter misreads, and reports the MpiStep calls in them as misread);
// - before anything is written, each rewrite is judged: the original and the rewritten
//   program compile with CPython (compile(): bytecode, never run), or the file is not
//   rewritten (tree-sitter's grammar accepts some text CPython rejects); a large file is
//   judged while it is processed (judgeEarly, started by analyse.ts).
// Without python3 on the machine the tool relies on tree-sitter alone. Python runs
// isolated (-I): neither the working folder nor PYTHONPATH is on its import path.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { diagnostic } from "../codes/index.js";
import { InputError, type Diagnostic } from "../diagnostics/model.js";
import { parseSource, type ParsedSource } from "../frontends/registry.js";
import type { SourceKind } from "../frontends/types.js";
import { lineIndex } from "../ir/positions.js";
import { decodeSource } from "../io/decode.js";
import type { CPythonOutline, CPythonVerdict, FileInput, FileOutcome, Program } from "./outcome.js";

// Each program is judged on its own: whatever one raises (RecursionError on a
// 100,000-long attribute chain, MemoryError) is that program's verdict. A program given
// as bytes is read as CPython reads a file: its BOM and coding declaration decide.
const VERDICT = `
import base64, json, sys, warnings
warnings.simplefilter("ignore")
def source_of(item):
    if "file" in item:
        with open(item["file"], "rb") as f:
            return f.read()
    return base64.b64decode(item["bytes"]) if "bytes" in item else item["text"]
def verdict(item):
    source = source_of(item)
    try:
        compile(source, "<file>", "exec", dont_inherit=True)
        return None
    except SyntaxError as e:
        return [e.lineno or 1, e.msg or str(e)]
    except Exception as e:
        return [1, f"{type(e).__name__}: {e}" if str(e) else type(e).__name__]
`;
const CHECKER = `${VERDICT}
json.dump([verdict(item) for item in json.load(sys.stdin)], sys.stdout)
`;
/** One program a line, one verdict a line as soon as it is reached. */
const LINE_CHECKER = `${VERDICT}
for line in iter(sys.stdin.readline, ""):
    print(json.dumps(verdict(json.loads(line))), flush=True)
`;

/** node:child_process, loaded when Python is first started: a run that asks CPython
 * nothing (`check` of well-formed files, a pre-commit run) never loads it. */
const builtin = createRequire(import.meta.url);

/** `python3 -I -c script` with pipes for its standard streams. */
function startPython(script: string) {
  const { spawn } = builtin("node:child_process") as typeof import("node:child_process");
  return spawn(userPython(), ["-I", "-c", script]);
}

/** A program as the checkers read it (a JSON object). */
const item = (p: Program) =>
  typeof p === "string" ? { text: p } : { bytes: Buffer.from(p).toString("base64") };

/** For each program, null when CPython parses it, else where and why it does not;
 * undefined when no python3 could be run. */
export async function cpythonVerdicts(programs: Program[]): Promise<CPythonVerdict[] | undefined> {
  const items = programs.map(item);
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
    const child = startPython(script);
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

/** For each text, CPython's outline, or null where CPython rejects it; undefined when no
 * python3 could be run. One process for all. */
export function cpythonOutlines(
  texts: string[],
): Promise<Array<CPythonOutline | null> | undefined> {
  return pythonEach<CPythonOutline | null>(OUTLINER, texts, () => null);
}

/** Parses the text. A Python file tree-sitter rejects but CPython accepts is valid (the
 * input carries CPython's outline then: askCPython): the top-level statements (as CPython
 * delimits them) holding what tree-sitter misreads are blanked out, offsets kept, and
 * the rest is read as usual; the MpiStep calls CPython finds inside them are reported as
 * misread steps, never converted. */
export async function parseWithOutline(
  kind: SourceKind,
  text: string,
  outline: CPythonOutline | null | undefined,
  options: Parameters<typeof parseSource>[2],
): Promise<{ parse: ParsedSource; tolerant: boolean }> {
  try {
    return { parse: await parseSource(kind, text, options), tolerant: false };
  } catch (error) {
    if (!(error instanceof InputError) || error.code !== "MPI030" || kind !== "python" || !outline)
      throw error;
    const { misreadOffsets } = await import("../frontends/python/index.js");
    const lines = lineIndex(text);
    /** Where the line after `line` starts (the end of the text after the last line). */
    const after = (line: number) => {
      const next = lines.lineStart(line + 1);
      return next > lines.lineStart(line) ? next : text.length;
    };
    const statements = outline.statements.map(
      ([first, last]) => [lines.lineStart(first), after(last)] as const,
    );
    // Blank the statements where tree-sitter's reading goes wrong until it reads the rest
    // (an error can hide the next one).
    const regions: Array<readonly [number, number]> = [];
    const inRegion = (offset: number) =>
      regions.some(([start, end]) => offset >= start && offset < end);
    let blanked = text;
    for (;;) {
      const bad = await misreadOffsets(blanked);
      if (!bad.length) break;
      const misread = statements.filter(
        (region) =>
          !regions.includes(region) &&
          bad.some((offset) => offset >= region[0] && offset < region[1]),
      );
      if (!misread.length) throw error;
      regions.push(...misread);
      blanked = text.replace(/[^\r\n]/g, (ch, offset: number) => (inRegion(offset) ? " " : ch));
    }
    let parse: ParsedSource;
    try {
      parse = await parseSource(kind, blanked, options);
    } catch {
      throw error;
    }
    for (const [line, byteColumn] of outline.calls) {
      const start = lines.lineStart(line);
      // CPython's columns count UTF-8 bytes.
      const lineText = text.slice(start, after(line));
      const column = Buffer.from(lineText).subarray(0, byteColumn).toString("utf8").length + 1;
      if (!inRegion(start + column - 1)) continue;
      parse.parsed.steps.push({
        kind: "MpiStep",
        label: `MpiStep at line ${line}`,
        line,
        column,
        args: new Map(),
        ignored: [],
        misread: true,
      });
    }
    parse.parsed.steps.sort((x, y) => x.line - y.line || x.column - y.column);
    return { parse, tolerant: true };
  }
}

/** The outcome with a file-level error: nothing of it is written, and its converted
 * steps need manual work. */
function failed(outcome: FileOutcome, error: Diagnostic): FileOutcome {
  const { record } = outcome;
  return {
    ...outcome,
    writes: [],
    rewrite: undefined,
    record: {
      ...record,
      outputs: [],
      diagnostics: [...record.diagnostics, error],
      steps: record.steps.map((step) =>
        step.status === "converted" ? { ...step, status: "manual" } : step,
      ),
    },
  };
}

/** CPython's verdict on every original and rewritten program of the run, in one process:
 * a file whose original or rewrite CPython rejects is not rewritten. */
async function judgeRewrites(
  outcomes: FileOutcome[],
): Promise<(outcome: FileOutcome) => FileOutcome> {
  // A large file's rewrite was judged while it was processed (judgeEarly).
  const rewritten = outcomes.filter((o) => o.rewrite && !o.rewrite.verdicts);
  const verdicts = await cpythonVerdicts(
    rewritten.flatMap((o) => [o.rewrite!.programs.before, o.rewrite!.programs.after]),
  );
  return (outcome) => {
    const i = rewritten.indexOf(outcome);
    const [before, after] =
      outcome.rewrite?.verdicts ??
      (verdicts && i >= 0 ? [verdicts[2 * i], verdicts[2 * i + 1]] : [null, null]);
    if (!before && !after) return outcome;
    const problem = before ?? after!;
    const message = before
      ? `CPython rejects this file: ${problem.message}; not rewritten`
      : `the rewritten file would not parse with CPython (${problem.message} at line ${problem.line}); not written`;
    return failed(outcome, diagnostic("MPI030", message, { line: problem.line, column: 1 }));
  };
}

/** The Python files tree-sitter rejected, put to CPython all at once (one process): those
 * it accepts are valid, and processed again with its outline. */
async function outlineRejected(
  outcomes: FileOutcome[],
  reprocess: Reprocess,
): Promise<FileOutcome[]> {
  const asking = outcomes.filter((outcome) => outcome.treeSitterRejected);
  if (!asking.length) return outcomes;
  // The retry input carries the bytes already read (process.ts): no file is read twice.
  const textOf = async (input: FileInput & { bytes: Uint8Array }) =>
    (await decodeSource(Buffer.from(input.bytes), true)).text;
  const texts = await Promise.all(asking.map((outcome) => textOf(outcome.treeSitterRejected!)));
  const outlines = await cpythonOutlines(texts);
  const answered = new Map<FileOutcome, FileOutcome>();
  for (const [i, outcome] of asking.entries()) {
    const outline = outlines?.[i] ?? null;
    const { treeSitterRejected, ...rest } = outcome;
    answered.set(
      outcome,
      outline
        ? await reprocess(
            { ...treeSitterRejected!, outline },
            Buffer.from(treeSitterRejected!.bytes),
          )
        : rest,
    );
  }
  return outcomes.map((outcome) => answered.get(outcome) ?? outcome);
}

/** Processes a file again, with CPython's outline on its input. */
export type Reprocess = (input: FileInput, bytes: Buffer) => Promise<FileOutcome>;

/** CPython's opinion on a run's files, asked once, after every file is processed
 * (run.ts): the Python files tree-sitter rejected are outlined and processed again;
 * then, when converting, each rewrite is judged (original and rewritten program), and a
 * file CPython rejects either way is not rewritten. */
export async function askCPython(
  outcomes: FileOutcome[],
  converting: boolean,
  reprocess: Reprocess,
): Promise<FileOutcome[]> {
  const outlined = await outlineRejected(outcomes, reprocess);
  return converting ? outlined.map(await judgeRewrites(outlined)) : outlined;
}

/** Above this size, a Python file's original is given to CPython as soon as it is read,
 * and its rewrite when it is made, in a process of its own: compiling a megabyte takes
 * CPython most of a second, which then passes while the tool parses and converts. */
export const JUDGED_EARLY_ABOVE = 256 * 1024;

/** CPython judging one file's original from now on; `rewrite` gives it the rewritten
 * program and waits for both verdicts (undefined: that process failed, and the run's
 * batch judges the file instead), `abandon` ends it when there is no rewrite. */
export interface EarlyJudgement {
  rewrite(after: Program): Promise<[CPythonVerdict, CPythonVerdict] | undefined>;
  abandon(): void;
}

export function judgeEarly(before: Uint8Array): EarlyJudgement {
  // The original goes by a file of the tool's own: a pipe would be filled only when the
  // event loop runs, which the parse about to start holds up.
  const folder = mkdtempSync(path.join(tmpdir(), "mpistep-cpython-"));
  const file = path.join(folder, "original.py");
  writeFileSync(file, before);
  const cleanUp = () => rmSync(folder, { recursive: true, force: true });
  const child = startPython(LINE_CHECKER);
  const out: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr.resume();
  child.stdin.on("error", () => {}); // a Python that stopped reading: its exit says why
  const done = new Promise<boolean>((resolve) => {
    child.on("error", () => resolve(false));
    child.on("close", (status) => resolve(status === 0));
  }).finally(cleanUp);
  child.stdin.write(`${JSON.stringify({ file })}\n`);
  return {
    async rewrite(after) {
      child.stdin.end(`${JSON.stringify(item(after))}\n`);
      if (!(await done)) return undefined;
      const lines = Buffer.concat(out).toString("utf8").trim().split("\n");
      if (lines.length !== 2) return undefined;
      const [original, rewritten] = lines.map((line): CPythonVerdict => {
        const v = JSON.parse(line) as [number, string] | null;
        return v ? { line: v[0], message: v[1] } : null;
      });
      return [original!, rewritten!];
    },
    abandon() {
      child.stdin.end();
      child.kill();
      cleanUp();
    },
  };
}
