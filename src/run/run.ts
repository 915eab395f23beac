// Runs check or convert over the paths given: discovery, per-file processing (a bounded
// number of files in flight), safe writes, and the report. Output order follows the
// discovery order (sorted by path), whatever order files finish in.

import path from "node:path";
import { sourceKind } from "../frontends/kinds.js";
import { discover, type DiscoveryProblem } from "../io/discover.js";
import {
  summarize,
  type FileRecord,
  type Report,
  type StepRecord,
  type Summary,
  type Verified,
} from "../report/model.js";
import { nextStep } from "../report/next.js";
import { processCandidate } from "../stages/process.js";
import type { FileInput, FileOutcome, RunOptions } from "../stages/outcome.js";
import { processInputs } from "./schedule.js";
import type { Written } from "./writing.js";

export interface RunResult {
  report: Report;
  /** The files worth reporting, in order (convert: with what would be written). */
  outcomes: FileOutcome[];
  exitCode: 0 | 1 | 2;
  /** The signal that stopped the run before it finished, if one did. */
  interrupted?: string;
  /** The files written, in order (absolute paths). */
  written: string[];
  /** The stale outputs removed (--write --force; absolute paths). */
  removed: string[];
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
  const converting = options.command === "convert";
  // Only a run with something to ask CPython loads the module that asks it.
  if (outcomes.some((o) => o.treeSitterRejected || (converting && o.rewrite))) {
    const { askCPython } = await import("../stages/cpython.js");
    outcomes = await askCPython(outcomes, converting, (input, bytes) =>
      processCandidate(input, bytes, options),
    );
  }
  // Standard input has no folder to write next to: with --write its results are printed.
  const writing =
    converting &&
    ((options.write && options.stdinText === undefined) || options.outputRoot !== undefined);
  let written: Written | undefined;
  let verified: Verified | undefined;
  let stoppedBy: string | undefined;
  /** Report records of outputs that are no input's (edited ones kept, stale ones). */
  const outputRecords: FileRecord[] = [];
  if (converting) {
    const { plannedDocuments, staleOutputRecords, verifyWritten, writeAll } =
      await import("./writing.js");
    // Only a run that writes v2 documents needs azure-ai-ml: asked before anything is written.
    const verifying = writing && options.verifyWith !== undefined;
    const sdk =
      verifying && plannedDocuments(outcomes).length ? await options.verifyWith!() : undefined;
    if (writing) {
      ({ outcomes } = written = await writeAll(outcomes, options));
      outputRecords.push(...written.records);
    } else
      for (const outcome of outcomes)
        outputRecords.push(...(await staleOutputRecords(outcome, false)).records);
    if (sdk) ({ outcomes, verified, stoppedBy } = verifyWritten(outcomes, sdk));
    else if (verifying) verified = { outputs: 0, rejected: 0 };
  }
  const files =
    outcomes.length || problems.length || outputRecords.length
      ? await reportedFiles(options.command, outcomes, problems, outputRecords)
      : [];
  const summary = {
    ...summarize(files, scanned),
    ...(skippedJson ? { skippedJson } : {}),
    ...(written
      ? {
          written: written.files.length,
          ...(written.unchanged ? { unchanged: written.unchanged } : {}),
          notWritten: written.notWritten,
          ...(written.removed.length ? { removed: written.removed.length } : {}),
        }
      : {}),
    ...(verified ? { verified } : {}),
  };
  const report: Report = { version: 1, command: options.command, files, summary };
  const next = nextStep(report, {
    paths: stdinText !== undefined ? ["-"] : paths,
    ...(options.target ? { target: options.target } : {}),
    writing,
  });
  if (next) report.next = next;
  return {
    report,
    outcomes,
    exitCode: exitCode(options.command, summary),
    interrupted: options.signal?.aborted ? String(options.signal.reason) : stoppedBy,
    written: written?.files ?? [],
    removed: written?.removed ?? [],
  };
}

/** MPI000's message: the step, its cell, and what the run made of it. */
function deprecation(command: Report["command"], step: StepRecord): string {
  const where = step.cell ? ` in cell ${step.cell.index}` : "";
  const made =
    step.status === "invalid"
      ? "invalid as written, not converted"
      : `${command === "check" ? "convertible" : "converted"} to ${step.target}${step.status === "manual" ? ", with manual work left" : ""}`;
  return `deprecated MpiStep '${step.name}'${where}: ${made}`;
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

/** The report's files in path order: each outcome's, every MpiStep carrying MPI000
 * (deprecated, with what the run made of it: the text report's step line), each path
 * given that could not be read (MPI031), and the outputs reported at themselves (an
 * edited one kept, MPI034; a stale one, MPI048). Loads the code table, which a run with
 * nothing to report never does. */
async function reportedFiles(
  command: Report["command"],
  outcomes: FileOutcome[],
  problems: DiscoveryProblem[],
  outputRecords: FileRecord[],
): Promise<FileRecord[]> {
  const { diagnostic } = await import("../codes/index.js");
  const files: FileRecord[] = outcomes.map(({ record }) => ({
    ...record,
    steps: record.steps.map((step) => ({
      ...step,
      diagnostics: [diagnostic("MPI000", deprecation(command, step), step), ...step.diagnostics],
    })),
  }));
  files.push(...outputRecords);
  for (const problem of problems)
    files.push({
      path: problem.path,
      steps: [],
      skipped: [],
      outputs: [],
      diagnostics: [diagnostic(problem.code ?? "MPI031", problem.message, { line: 1, column: 1 })],
    });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
