// Runs check or convert over the paths given: discovery, per-file processing (a bounded
// number of files in flight), safe writes, and the report. Output order follows the
// discovery order (sorted by path), whatever order files finish in.

import path from "node:path";
import { discover, type DiscoveryProblem } from "../io/discover.js";
import { isInside, writeAtomic } from "../io/write.js";
import { summarize, type FileRecord, type Report, type Verified } from "../report/model.js";
import { cpythonVerdicts } from "./cpython.js";
import { poolAvailable, WorkerPool } from "./pool.js";
import {
  displayPath,
  processFile,
  type FileInput,
  type FileOutcome,
  type ProcessOptions,
} from "./process.js";
import { sdkRejections } from "./sdk-verify.js";

export interface RunOptions extends ProcessOptions {
  paths: string[];
  excludes: string[];
  /** Rewrite in place / write generated files next to the inputs. */
  write: boolean;
  outDir?: string;
  jobs: number;
  /** After writing, load every v2 output with the user's azure-ai-ml (this version). */
  verifyWith?: string;
  stdinText?: string;
  onProgress?: (done: number, relevant: number) => void;
}

export interface RunResult {
  report: Report;
  /** The files worth reporting, in order (convert: with what would be written). */
  outcomes: FileOutcome[];
  exitCode: 0 | 1 | 2;
}

async function* inputsOf(
  options: RunOptions,
  problems: DiscoveryProblem[],
): AsyncGenerator<FileInput[]> {
  if (options.stdinText !== undefined) {
    const name = options.paths.find((p) => p !== "-") ?? "stdin.py";
    const bytes = Buffer.from(options.stdinText, "utf8");
    yield [{ path: path.resolve(name), root: process.cwd(), explicit: true, stdin: true, bytes }];
    return;
  }
  yield* discover(options.paths.length ? options.paths : ["."], options.excludes, problems);
}

/** A run must have this many files before a worker pool is worth its start-up (a
 * pre-commit run on a few files stays in this thread); files go to workers in batches. */
const POOL_THRESHOLD = 256;
const BATCH = 128;

/** Processes inputs, in this thread or with a worker pool for large runs, yielding each
 * outcome in input order (null for a file with nothing to report). */
async function* processInOrder(
  inputs: AsyncGenerator<FileInput[]>,
  options: RunOptions,
): AsyncGenerator<FileOutcome | null> {
  const head: FileInput[] = [];
  let more = true;
  while (head.length < POOL_THRESHOLD) {
    const next = await inputs.next();
    if (next.done) {
      more = false;
      break;
    }
    head.push(...next.value);
  }
  const all = async function* () {
    yield head;
    if (more) yield* inputs;
  };
  if (!more || options.jobs < 2 || !poolAvailable()) {
    for await (const group of all())
      for (const input of group) {
        const outcome = await processFile(input, options);
        yield outcome.relevant ? outcome : null;
      }
    return;
  }
  // Workers get the per-file options; the run's own (paths, callbacks) stay here.
  const { paths, excludes, write, outDir, jobs, verifyWith, stdinText, onProgress, ...perFile } =
    options;
  const pool = new WorkerPool(jobs, perFile);
  try {
    const inFlight: Array<Promise<Array<FileOutcome | null>>> = [];
    let batch: FileInput[] = [];
    const drainOne = async function* () {
      for (const outcome of await inFlight.shift()!) yield outcome;
    };
    for await (const group of all()) {
      for (const input of group) {
        batch.push(input);
        if (batch.length < BATCH) continue;
        inFlight.push(pool.process(batch));
        batch = [];
        if (inFlight.length >= jobs * 2) yield* drainOne();
      }
    }
    if (batch.length) inFlight.push(pool.process(batch));
    while (inFlight.length) yield* drainOne();
  } finally {
    await pool.close();
  }
}

export async function run(options: RunOptions): Promise<RunResult> {
  const problems: DiscoveryProblem[] = [];
  const files: FileRecord[] = [];
  const outcomes: FileOutcome[] = [];
  let scanned = 0;
  for await (const outcome of processInOrder(inputsOf(options, problems), options)) {
    scanned++;
    if (outcome) {
      files.push(outcome.record);
      outcomes.push(outcome);
    }
    options.onProgress?.(scanned, files.length);
  }
  for (const problem of problems)
    files.push({
      path: problem.path,
      steps: [],
      skipped: [],
      outputs: [],
      error: { code: "MPI031", message: problem.message, line: 1, column: 1 },
    });

  if (options.command === "convert") secondOpinion(outcomes);
  const writing = options.command === "convert" && (options.write || options.outDir);
  if (writing) await writeAll(outcomes, options);
  const verified =
    writing && options.verifyWith ? verifyWritten(outcomes, options.verifyWith) : undefined;
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const summary = { ...summarize(files, scanned), ...(verified ? { verified } : {}) };
  const exitCode =
    summary.errors > 0
      ? 2
      : options.command === "check"
        ? summary.steps > 0
          ? 1
          : 0
        : summary.manual + summary.invalid > 0
          ? 1
          : 0;
  return { report: { version: 1, command: options.command, files, summary }, outcomes, exitCode };
}

/** Drops the rewrite of any file whose original or rewritten program CPython rejects. */
function secondOpinion(outcomes: FileOutcome[]) {
  const rewritten = outcomes.filter((o) => o.rewrite);
  const verdicts = cpythonVerdicts(
    rewritten.flatMap((o) => [o.rewrite!.programs.before, o.rewrite!.programs.after]),
  );
  if (!verdicts) return;
  rewritten.forEach((outcome, i) => {
    const [before, after] = [verdicts[2 * i], verdicts[2 * i + 1]];
    if (!before && !after) return;
    const { record } = outcome;
    const problem = before ?? after!;
    const message = before
      ? `CPython rejects this file: ${problem.message}; not rewritten`
      : `the rewritten file would not parse with CPython (${problem.message} at line ${problem.line}); not written`;
    record.error = { code: "MPI030", message, line: problem.line, column: 1 };
    for (const step of record.steps) if (step.status === "converted") step.status = "manual";
    record.outputs = [];
    outcome.writes = [];
    outcome.rewrite = undefined;
  });
}

/** Loads every job document and module written with the SDK; a rejected one becomes an
 * MPI032 error on each step it runs, which then needs manual work. */
function verifyWritten(outcomes: FileOutcome[], sdkVersion: string): Verified {
  const written = outcomes.flatMap((outcome) =>
    outcome.writes
      .filter((w) => w.steps && outcome.record.outputs.some((p) => path.resolve(p) === w.path))
      .map((write) => ({ outcome, write })),
  );
  const rejected = sdkRejections(written.map(({ write }) => write.path));
  for (const { outcome, write } of written) {
    const rejection = rejected.get(write.path);
    if (!rejection) continue;
    for (const index of write.steps!) {
      const step = outcome.record.steps[index]!;
      step.diagnostics.push({
        code: "MPI032",
        severity: "error",
        message: `azure-ai-ml ${sdkVersion} rejects ${displayPath(write.path)} (${rejection.stage}): ${rejection.message}`,
        line: step.line,
        column: step.column,
      });
      if (step.status === "converted") step.status = "manual";
    }
  }
  return { sdkVersion, outputs: written.length, rejected: rejected.size };
}

async function writeAll(outcomes: FileOutcome[], options: RunOptions) {
  for (const outcome of outcomes) {
    for (const planned of outcome.writes) {
      try {
        if (options.outDir && !isInside(options.outDir, planned.path))
          throw new Error(`refusing to write outside --out-dir: ${planned.path}`);
        await writeAtomic(planned.path, planned.bytes, planned.original);
      } catch (error) {
        outcome.record.error = {
          code: "MPI031",
          message: `not written: ${(error as Error).message}`,
          line: 1,
          column: 1,
        };
        outcome.record.outputs = outcome.record.outputs.filter(
          (p) => path.resolve(p) !== path.resolve(planned.path),
        );
      }
    }
  }
}
