// Runs check or convert over the paths given: discovery, per-file processing (a bounded
// number of files in flight), safe writes, and the report. Output order follows the
// discovery order (sorted by path), whatever order files finish in.

import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Diagnostic } from "../diagnostics/model.js";
import { sourceKind } from "../frontends/registry.js";
import { decodeSource } from "../io/decode.js";
import { discover, type DiscoveryProblem } from "../io/discover.js";
import { unchangedSinceGenerated } from "../io/stamp.js";
import { isInside, writeAtomic } from "../io/write.js";
import {
  summarize,
  type FileRecord,
  type Report,
  type StepRecord,
  type Summary,
  type Verified,
} from "../report/model.js";
import { diagnostic } from "../validate/codes.js";
import { cpythonOutlines, cpythonVerdicts } from "./cpython.js";
import {
  displayPath,
  processCandidate,
  type FileInput,
  type FileOutcome,
  type PlannedWrite,
  type ProcessOptions,
} from "./process.js";
import { processInputs } from "./schedule.js";
import { sdkRejections } from "./sdk-verify.js";

export interface RunOptions extends ProcessOptions {
  paths: string[];
  excludes: string[];
  /** Rewrite in place / write generated files next to the inputs (with `outputRoot`,
   * under it: --out-dir, which writes never leave). */
  write: boolean;
  jobs: number;
  /** After writing, load every v2 output with the user's azure-ai-ml (this version). */
  verifyWith?: string;
  /** Replace generated files even when they were edited since the tool wrote them. */
  force?: boolean;
  /** Stops the run (SIGINT): no further file is read or written. */
  signal?: AbortSignal;
  stdinText?: string;
  /** What standard input is, as a file name (its extension picks the frontend); without
   * it, the content decides. */
  stdinFilename?: string;
  /** After each file: how many are done, and how many of them are worth reporting. */
  onProgress?: (done: number, reported: number) => void;
}

export interface RunResult {
  report: Report;
  /** The files worth reporting, in order (convert: with what would be written). */
  outcomes: FileOutcome[];
  exitCode: 0 | 1 | 2;
  /** The run was stopped by its signal before it finished. */
  interrupted: boolean;
  /** The files written, in order (absolute paths). */
  written: string[];
}

async function* inputsOf(
  options: RunOptions,
  problems: DiscoveryProblem[],
): AsyncGenerator<FileInput[]> {
  if (options.stdinText !== undefined) {
    const name = options.stdinFilename ?? stdinName(options.stdinText);
    const bytes = Buffer.from(options.stdinText, "utf8");
    const file = path.resolve(name);
    yield [
      {
        path: file,
        root: process.cwd(),
        explicit: true,
        stdin: true,
        bytes,
        kind: sourceKind(file),
      },
    ];
    return;
  }
  yield* discover(options.paths.length ? options.paths : ["."], options.excludes, problems);
}

/** A name for standard input by its content: a notebook (JSON with a `cells` list), JSON
 * step definitions, else Python. */
function stdinName(text: string): string {
  try {
    const value = JSON.parse(text);
    return Array.isArray(value?.cells) ? "stdin.ipynb" : "stdin.json";
  } catch {
    return "stdin.py";
  }
}

export async function run(options: RunOptions): Promise<RunResult> {
  const problems: DiscoveryProblem[] = [];
  // Each file is processed with the per-file options; the run's own stay here.
  const {
    paths,
    excludes,
    write,
    jobs,
    verifyWith,
    force,
    signal,
    stdinText,
    stdinFilename,
    onProgress,
    ...perFile
  } = options;
  const processed = await processInputs(inputsOf(options, problems), perFile, {
    jobs,
    signal,
    onProgress,
  });
  const { scanned } = processed;
  const skippedJson = processed.outcomes.filter((outcome) => outcome?.skippedJson).length;
  let outcomes = processed.outcomes.filter(
    (outcome): outcome is FileOutcome => !!outcome && !outcome.skippedJson,
  );
  outcomes = await withCPythonsWord(outcomes, options);
  const converting = options.command === "convert";
  const writing = converting && (options.write || options.outputRoot !== undefined);
  if (converting) outcomes = outcomes.map(secondOpinion(outcomes));
  let written: Written | undefined;
  if (writing) ({ outcomes } = written = await writeAll(outcomes, options));
  let verified: Verified | undefined;
  if (writing && options.verifyWith)
    ({ outcomes, verified } = verifyWritten(outcomes, options.verifyWith));
  const files = [...outcomes.map((o) => withDeprecation(o.record)), ...problems.map(problemRecord)];
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const summary = {
    ...summarize(files, scanned),
    ...(skippedJson ? { skippedJson } : {}),
    ...(written ? { written: written.files.length, notWritten: written.notWritten } : {}),
    ...(verified ? { verified } : {}),
  };
  return {
    report: { version: 1, command: options.command, files, summary },
    outcomes,
    exitCode: exitCode(options.command, summary),
    interrupted: options.signal?.aborted ?? false,
    written: written?.files ?? [],
  };
}

/** The Python files tree-sitter rejected, put to CPython all at once (one process): those
 * it accepts are valid, and processed again with its outline (process.ts). */
async function withCPythonsWord(
  outcomes: FileOutcome[],
  options: RunOptions,
): Promise<FileOutcome[]> {
  const asking = outcomes.filter((outcome) => outcome.askCPython);
  if (!asking.length) return outcomes;
  // The retry input carries the bytes already read (process.ts): no file is read twice.
  const textOf = async (input: FileInput & { bytes: Uint8Array }) =>
    (await decodeSource(Buffer.from(input.bytes), true)).text;
  const texts = await Promise.all(asking.map((outcome) => textOf(outcome.askCPython!)));
  const outlines = cpythonOutlines(texts);
  const answered = new Map<FileOutcome, FileOutcome>();
  for (const [i, outcome] of asking.entries()) {
    const outline = outlines?.[i] ?? null;
    const { askCPython, ...rest } = outcome;
    answered.set(
      outcome,
      outline
        ? await processCandidate(
            { ...askCPython!, outline },
            Buffer.from(askCPython!.bytes),
            options,
          )
        : rest,
    );
  }
  return outcomes.map((outcome) => answered.get(outcome) ?? outcome);
}

/** 2 when a file could not be read, parsed or written; else 1 when check found a step or
 * convert left work (a step that needs it or is invalid, an output with a TODO); else 0. */
function exitCode(command: Report["command"], summary: Summary): 0 | 1 | 2 {
  if (summary.errors > 0) return 2;
  const leftToDo =
    command === "check"
      ? summary.steps
      : summary.manual + summary.invalid + (summary.incomplete ?? 0);
  return leftToDo > 0 ? 1 : 0;
}

/** A path given on the command line that could not be read. */
function problemRecord(problem: DiscoveryProblem): FileRecord {
  return {
    path: problem.path,
    steps: [],
    skipped: [],
    outputs: [],
    diagnostics: [diagnostic("MPI031", problem.message, { line: 1, column: 1 })],
  };
}

/** Every MpiStep found is deprecated (MPI000), whatever else is said of it. */
function withDeprecation(record: FileRecord): FileRecord {
  const state = (step: StepRecord) =>
    step.status === "invalid"
      ? "invalid as written"
      : `convertible to ${step.target}${step.status === "manual" ? " with manual work" : ""}`;
  return {
    ...record,
    steps: record.steps.map((step) => ({
      ...step,
      diagnostics: [
        ...step.diagnostics,
        diagnostic("MPI000", `MpiStep '${step.name}' is deprecated (${state(step)})`, step),
      ],
    })),
  };
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
function secondOpinion(outcomes: FileOutcome[]): (outcome: FileOutcome) => FileOutcome {
  const rewritten = outcomes.filter((o) => o.rewrite);
  const verdicts = cpythonVerdicts(
    rewritten.flatMap((o) => [o.rewrite!.programs.before, o.rewrite!.programs.after]),
  );
  return (outcome) => {
    const i = rewritten.indexOf(outcome);
    if (!verdicts || i < 0) return outcome;
    const [before, after] = [verdicts[2 * i], verdicts[2 * i + 1]];
    if (!before && !after) return outcome;
    const problem = before ?? after!;
    const message = before
      ? `CPython rejects this file: ${problem.message}; not rewritten`
      : `the rewritten file would not parse with CPython (${problem.message} at line ${problem.line}); not written`;
    return failed(outcome, diagnostic("MPI030", message, { line: problem.line, column: 1 }));
  };
}

/** Loads every job document and module written with the SDK; a rejected one becomes an
 * MPI032 error on each step it runs, which then needs manual work. */
function verifyWritten(
  outcomes: FileOutcome[],
  sdkVersion: string,
): { outcomes: FileOutcome[]; verified: Verified } {
  const written = (outcome: FileOutcome) =>
    outcome.writes.filter(
      (w) => w.steps && outcome.record.outputs.some((p) => path.resolve(p) === w.path),
    );
  const documents = outcomes.flatMap(written);
  const rejected = sdkRejections(documents.map((write) => write.path));
  const checked = outcomes.map((outcome) => {
    const findings = new Map<number, Diagnostic[]>();
    for (const write of written(outcome)) {
      const rejection = rejected.get(write.path);
      if (!rejection) continue;
      for (const index of write.steps!) {
        const step = outcome.record.steps[index]!;
        const message = `azure-ai-ml ${sdkVersion} rejects ${displayPath(write.path)} (${rejection.stage}): ${rejection.message}`;
        findings.set(index, [
          ...(findings.get(index) ?? []),
          diagnostic("MPI032", message, step, { manual: true }),
        ]);
      }
    }
    if (!findings.size) return outcome;
    const steps = outcome.record.steps.map((step, index): StepRecord => {
      const found = findings.get(index);
      if (!found) return step;
      const status = step.status === "converted" ? "manual" : step.status;
      return { ...step, status, diagnostics: [...step.diagnostics, ...found] };
    });
    return { ...outcome, record: { ...outcome.record, steps } };
  });
  return {
    outcomes: checked,
    verified: { sdkVersion, outputs: documents.length, rejected: rejected.size },
  };
}

/** Outputs planned by two inputs: each such input gets an MPI035 error, and the run
 * writes nothing. */
function collisions(outcomes: FileOutcome[]): Map<FileOutcome, Diagnostic[]> {
  const writers = new Map<string, FileOutcome[]>();
  for (const outcome of outcomes)
    for (const planned of outcome.writes) {
      const key = path.resolve(planned.path);
      writers.set(key, [...(writers.get(key) ?? []), outcome]);
    }
  const found = new Map<FileOutcome, Diagnostic[]>();
  for (const [file, owners] of writers) {
    if (owners.length < 2) continue;
    for (const owner of owners) {
      const others = owners.filter((o) => o !== owner).map((o) => o.record.path);
      found.set(owner, [
        ...(found.get(owner) ?? []),
        diagnostic(
          "MPI035",
          `${displayPath(file)} would also be written for ${others.join(", ")}; nothing written`,
          { line: 1, column: 1 },
        ),
      ]);
    }
  }
  return found;
}

/** Why an existing file at a generated output's path must not be replaced, if so. */
async function keptGenerated(
  planned: PlannedWrite,
  force: boolean,
): Promise<Diagnostic | undefined> {
  if (!planned.generated || force) return undefined;
  let existing: Buffer;
  try {
    existing = await readFile(planned.path);
  } catch {
    return undefined; // nothing there yet
  }
  if (existing.equals(planned.bytes) || unchangedSinceGenerated(existing.toString("utf8")))
    return undefined;
  return diagnostic(
    "MPI034",
    `${displayPath(planned.path)} was edited since mpistep-migrate generated it (or was not written by it); not replaced: rerun with --force to replace it`,
    { line: 1, column: 1 },
  );
}

interface Written {
  outcomes: FileOutcome[];
  /** Files written (absolute paths), and how many planned files were not. */
  files: string[];
  notWritten: number;
}

/** Writes every planned file, each atomically. A file that cannot be written, would
 * leave the output root, or would replace a hand-edited generated file is not written and
 * becomes a file error; once `signal` is aborted nothing more is written. */
async function writeAll(outcomes: FileOutcome[], options: RunOptions): Promise<Written> {
  const clashes = collisions(outcomes);
  const result: Written = { outcomes: [], files: [], notWritten: 0 };
  for (const outcome of outcomes) {
    const errors: Diagnostic[] = [...(clashes.get(outcome) ?? [])];
    const done: string[] = [];
    for (const planned of outcome.writes) {
      if (clashes.size || options.signal?.aborted) continue;
      try {
        if (options.outputRoot && !isInside(options.outputRoot, planned.path))
          throw new Error(`refusing to write outside --out-dir: ${planned.path}`);
        const kept = await keptGenerated(planned, !!options.force);
        if (kept) {
          errors.push(kept);
          continue;
        }
        await writeAtomic(planned.path, planned.bytes, planned.original);
        done.push(path.resolve(planned.path));
      } catch (error) {
        errors.push(
          diagnostic("MPI031", `not written: ${(error as Error).message}`, { line: 1, column: 1 }),
        );
      }
    }
    result.files.push(...done);
    result.notWritten += outcome.writes.length - done.length;
    const { record } = outcome;
    const outputs = record.outputs.filter((p) => p === "-" || done.includes(path.resolve(p)));
    result.outcomes.push(
      errors.length || outputs.length !== record.outputs.length
        ? {
            ...outcome,
            record: { ...record, diagnostics: [...record.diagnostics, ...errors], outputs },
          }
        : outcome,
    );
  }
  return result;
}
