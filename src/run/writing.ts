// What convert does once every file is processed: CPython's second opinion on each
// rewrite, the writes (refusing collisions and hand-edited generated files, each write
// atomic) and, with --verify, the SDK's verdict on what was written. Loaded only by runs
// that convert.

import { readFile, unlink } from "node:fs/promises";
import path from "node:path";
import type { Diagnostic } from "../diagnostics/model.js";
import { unchangedSinceGenerated } from "../io/stamp.js";
import { writeAtomic } from "../io/write.js";
import type { FileRecord, StepRecord, Verified } from "../report/model.js";
import { diagnostic } from "../codes/index.js";
import { displayPath, type FileOutcome, type PlannedWrite } from "../stages/outcome.js";
import type { RunOptions } from "../stages/outcome.js";
import { sdkRejections } from "./sdk-verify.js";

/** A v2 document (job YAML, SDK v2 module): a planned write that runs steps. */
const isDocument = (write: PlannedWrite) => write.steps !== undefined;

/** The v2 documents a run plans to write. */
export function plannedDocuments(outcomes: FileOutcome[]): PlannedWrite[] {
  return outcomes.flatMap((outcome) => outcome.writes.filter(isDocument));
}

/** Loads every job document and module written with the SDK; a rejected one becomes an
 * MPI032 error on each step it runs, which then needs manual work. A signal that stops
 * the SDK's process (Ctrl-C) stops the run: the outcomes stay as written. */
export function verifyWritten(
  outcomes: FileOutcome[],
  sdkVersion: string,
): { outcomes: FileOutcome[]; verified?: Verified; stoppedBy?: NodeJS.Signals } {
  // The documents written, and those already there with the same bytes.
  const written = (outcome: FileOutcome) =>
    outcome.writes.filter(
      (w) =>
        isDocument(w) &&
        [...outcome.record.outputs, ...(outcome.record.unchanged ?? [])].some(
          (p) => path.resolve(p) === w.path,
        ),
    );
  const documents = outcomes.flatMap(written);
  const answer = sdkRejections(documents.map((write) => write.path));
  if (!(answer instanceof Map)) return { outcomes, stoppedBy: answer.stoppedBy };
  const rejected = answer;
  const checked = outcomes.map((outcome) => {
    const findings = new Map<number, Diagnostic[]>();
    for (const write of written(outcome)) {
      const rejection = rejected.get(write.path);
      if (!rejection) continue;
      for (const index of write.steps!) {
        const step = outcome.record.steps[index]!;
        // The field complained of, unless the complaint already starts with it.
        const [first] = rejection.fields;
        const field = first && !rejection.message.startsWith(`${first}:`) ? first : undefined;
        const message = `azure-ai-ml ${sdkVersion} rejects ${displayPath(write.path)} (${rejection.stage}${field ? ` of ${field}` : ""}): ${rejection.message}`;
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

/** What is at a planned output's path already: nothing, the same bytes (left as it
 * is), or a generated file edited by hand (or not the tool's), which is kept: a warning
 * that leaves manual work, not an error (filling in TODOs is what the user is asked to
 * do, and a batch re-run must not fail on it). */
async function existingOutput(
  planned: PlannedWrite,
  force: boolean,
): Promise<"none" | "same" | Diagnostic> {
  let existing: Buffer;
  try {
    existing = await readFile(planned.path);
  } catch {
    return "none"; // nothing there yet
  }
  if (existing.equals(planned.bytes)) return "same";
  if (!planned.generated || force || unchangedSinceGenerated(existing.toString("utf8")))
    return "none";
  return diagnostic(
    "MPI034",
    "edited since mpistep-migrate generated it (or not written by it); kept as it is: compare it with the new output (convert without --write prints it), or rerun with --force to replace it",
    { line: 1, column: 1 },
    { severity: "warning", manual: true },
  );
}

export interface Written {
  outcomes: FileOutcome[];
  /** Files written (absolute paths), how many already held the same bytes (left
   * untouched), and how many planned files were not written. */
  files: string[];
  unchanged: number;
  notWritten: number;
  /** Stale outputs removed (absolute paths). */
  removed: string[];
  /** Outputs that are no input's, each a report record of its own that points at it: the
   * edited ones kept (MPI034), the stale ones (MPI048). */
  records: FileRecord[];
}

/** A report record of its own for an output file (line 1 of it). */
function outputRecord(file: string, finding: Diagnostic): FileRecord {
  return { path: displayPath(file), steps: [], skipped: [], outputs: [], diagnostics: [finding] };
}

/** The outcome's stale outputs (MPI048 at each), removed when `remove` (--write --force):
 * a warning that leaves manual work while one is there, an info once it is removed. */
export async function staleOutputRecords(
  outcome: FileOutcome,
  remove: boolean,
): Promise<{ records: FileRecord[]; removed: string[] }> {
  const result = { records: [] as FileRecord[], removed: [] as string[] };
  if (!outcome.stale) return result;
  const what = `generated from ${outcome.record.path} by --target ${outcome.stale.target}, and no step there converts to it any more (renamed or removed)`;
  const at = { line: 1, column: 1 };
  for (const { file, edited } of outcome.stale.files) {
    if (!remove) {
      const carry = edited ? " (edited since it was generated: carry the edits over first)" : "";
      const message = `stale: ${what}${carry}; delete it, or rerun with --write --force to remove it`;
      result.records.push(
        outputRecord(
          file,
          diagnostic("MPI048", message, at, { severity: "warning", manual: true }),
        ),
      );
      continue;
    }
    try {
      await unlink(file);
      result.removed.push(file);
      const message = `removed (--force): ${what}; commit the removal`;
      result.records.push(
        outputRecord(file, diagnostic("MPI048", message, at, { severity: "info" })),
      );
    } catch (error) {
      const message = `stale, not removed: ${(error as Error).message}`;
      result.records.push(outputRecord(file, diagnostic("MPI031", message, at)));
    }
  }
  return result;
}

/** Writes every planned file, each atomically. A file that cannot be written, would
 * leave the output root, or would replace a hand-edited generated file is not written and
 * becomes a file error; once `signal` is aborted nothing more is written. */
export async function writeAll(outcomes: FileOutcome[], options: RunOptions): Promise<Written> {
  const clashes = collisions(outcomes);
  const result: Written = {
    outcomes: [],
    files: [],
    unchanged: 0,
    notWritten: 0,
    removed: [],
    records: [],
  };
  for (const outcome of outcomes) {
    const errors: Diagnostic[] = [...(clashes.get(outcome) ?? [])];
    const done: string[] = [];
    const same: string[] = [];
    for (const planned of outcome.writes) {
      if (clashes.size || options.signal?.aborted) continue;
      try {
        const existing = await existingOutput(planned, !!options.force);
        if (existing === "same") {
          same.push(path.resolve(planned.path));
          continue;
        }
        if (existing !== "none") {
          result.records.push(outputRecord(planned.path, existing));
          continue;
        }
        await writeAtomic(planned.path, planned.bytes, planned.original, planned.root);
        done.push(path.resolve(planned.path));
      } catch (error) {
        errors.push(
          diagnostic("MPI031", `not written: ${(error as Error).message}`, { line: 1, column: 1 }),
        );
      }
    }
    // Stale outputs go only once everything that replaces them is in place.
    const remove = !!options.force && !errors.length && !clashes.size && !options.signal?.aborted;
    const stale = await staleOutputRecords(outcome, remove);
    result.records.push(...stale.records);
    result.removed.push(...stale.removed);
    result.files.push(...done);
    result.unchanged += same.length;
    result.notWritten += outcome.writes.length - done.length - same.length;
    const { record } = outcome;
    const outputs = record.outputs.filter((p) => p === "-" || done.includes(path.resolve(p)));
    const unchanged = record.outputs.filter((p) => same.includes(path.resolve(p)));
    result.outcomes.push(
      errors.length || outputs.length !== record.outputs.length
        ? {
            ...outcome,
            record: {
              ...record,
              diagnostics: [...record.diagnostics, ...errors],
              outputs,
              ...(unchanged.length ? { unchanged } : {}),
            },
          }
        : outcome,
    );
  }
  return result;
}
