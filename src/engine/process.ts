// Runs one file through the pipeline: read, parse, validate, convert, verify. Pure with
// respect to the file system except for reading: it returns the writes it would make,
// so the caller decides (print, write in place, write under --out-dir).

import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { BACKENDS, defaultTarget } from "../backends/registry.js";
import type { DefaultImages } from "../backends/shared/command-job.js";
import { requirementLines } from "../backends/shared/environment.js";
import type {
  BackendOutput,
  ConvertContext,
  SourceFile,
  StepConversion,
  TargetName,
} from "../backends/types.js";
import { FRONTENDS, sourceKind } from "../frontends/registry.js";
import type { KeyMap } from "../frontends/json/key-map.js";
import { parseNotebookSteps, type NotebookResult } from "../frontends/notebook/index.js";
import { InputError, SkippedInput } from "../frontends/types.js";
import { argValue, literalOf, type StepDefinition } from "../ir/types.js";
import { decodeSource, encodeSource } from "../io/decode.js";
import { readLimited } from "../io/read.js";
import type { FileRecord, StepRecord } from "../report/model.js";
import type { Diagnostic } from "../validate/codes.js";
import { diagnostic, droppedOptions, validateStep } from "../validate/rules.js";
import { verifyText } from "./verify.js";

export interface ProcessOptions {
  command: "check" | "convert";
  target?: TargetName;
  keyMap?: KeyMap;
  defaultImages: DefaultImages;
  maxBytes: number;
  /** JSON files named on the command line count only for entries typed MpiStep, as in
   * discovery (hooks get every changed .json file, package.json included). */
  typedJsonOnly?: boolean;
  /** Folder generated and converted files go under (mirroring `root`). */
  outputRoot?: string;
}

export interface FileInput {
  path: string;
  /** The folder given on the command line that holds the file (its own folder for a file). */
  root: string;
  /** Named on the command line (JSON is then always read as step definitions). */
  explicit: boolean;
  /** The file's bytes when already read (standard input, or a pool's main thread). */
  bytes?: Uint8Array;
  /** Standard input, shown as "-". */
  stdin?: boolean;
}

export interface PlannedWrite {
  path: string;
  bytes: Buffer;
  /** For a job document or module: which of the record's steps it runs (see --verify). */
  steps?: number[];
  /** For in-place rewrites: the bytes read, so a file changed since is not overwritten. */
  original?: Buffer;
}

export interface FileOutcome {
  record: FileRecord;
  writes: PlannedWrite[];
  /** For in-place targets, the original and rewritten text (for a diff), and the Python
   * programs they hold (for a notebook, its code cells with magics masked). */
  rewrite?: { before: string; after: string; programs: { before: string; after: string } };
  /** Whether the file held anything worth reporting. */
  relevant: boolean;
}

const MPISTEP_BYTES = Buffer.from("MpiStep");

/** A path as reports show it: relative to the working folder when inside it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/** What backends may ask while converting the steps of `sourceFile`. */
function conversionContext(options: ProcessOptions, sourceFile: string): ConvertContext {
  return {
    defaultImages: options.defaultImages,
    readRequirements(step, file) {
      const dir = literalOf(argValue(step, "source_directory"));
      if (typeof dir !== "string") return { error: "source_directory is not known" };
      const full = path.resolve(path.dirname(sourceFile), dir, file);
      try {
        return { lines: requirementLines(readFileSync(full, "utf8")) };
      } catch {
        return { error: `'${file}' could not be read under '${dir}'` };
      }
    },
  };
}

function emptyOutcome(input: FileInput): FileOutcome {
  const record: FileRecord = {
    path: input.stdin ? "-" : displayPath(input.path),
    steps: [],
    skipped: [],
    outputs: [],
  };
  return { record, writes: [], relevant: false };
}

function failedOutcome(outcome: FileOutcome, error: InputError): FileOutcome {
  outcome.relevant = true;
  outcome.record[error instanceof SkippedInput ? "warning" : "error"] = {
    code: error.code,
    message: error.message,
    line: error.line,
    column: error.column,
  };
  return outcome;
}

/** Whether a JSON input is read as step definitions whatever it holds. */
function isStepFile(input: FileInput, options: ProcessOptions): boolean {
  return sourceKind(input.path) === "json" && input.explicit && !options.typedJsonOnly;
}

/** Reads an input and keeps it only when it may hold a step (its bytes mention MpiStep,
 * or it is a JSON file named as step definitions): its bytes, or the final outcome. */
function readCandidate(input: FileInput, options: ProcessOptions): Buffer | FileOutcome {
  if (!sourceKind(input.path)) return emptyOutcome(input);
  try {
    const bytes = input.bytes
      ? Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength)
      : readLimited(input.path, options.maxBytes, !input.explicit);
    if (!isStepFile(input, options) && !bytes.includes(MPISTEP_BYTES)) return emptyOutcome(input);
    return Buffer.from(bytes); // the read buffer is reused by the next file
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return failedOutcome(emptyOutcome(input), error);
  }
}

export async function processFile(input: FileInput, options: ProcessOptions): Promise<FileOutcome> {
  const read = readCandidate(input, options);
  return Buffer.isBuffer(read) ? analyse(input, read, options) : read;
}

/** Parses, validates, converts and verifies one file that may hold steps. */
async function analyse(
  input: FileInput,
  bytes: Buffer,
  options: ProcessOptions,
): Promise<FileOutcome> {
  const outcome = emptyOutcome(input);
  const { record } = outcome;
  const kind = sourceKind(input.path)!;
  const stepFile = isStepFile(input, options);
  outcome.relevant = true;
  try {
    const decoded = decodeSource(bytes, kind === "python");
    const parse = await FRONTENDS[kind].load();
    const parsed = await parse(decoded.text, {
      strict: options.command === "convert",
      keyMap: options.keyMap,
      requireExplicitType: kind === "json" && !stepFile,
    });
    record.skipped = parsed.skipped;
    if (kind === "json" && !stepFile && parsed.steps.length === 0) outcome.relevant = false;
    const target = options.target ?? defaultTarget(kind);
    const backend = BACKENDS[target];
    const relative = path.relative(input.root, input.path);
    const outputRoot = options.outputRoot ?? input.root;
    const source: SourceFile = {
      path: input.path,
      kind,
      text: decoded.text,
      parsed,
      outputStem: path.join(
        outputRoot,
        relative.slice(0, relative.length - path.extname(relative).length),
      ),
    };
    const validation = new Map<StepDefinition, Diagnostic[]>();
    const context = {
      frontend: kind,
      baseDir: path.dirname(input.path),
      isDirectory: (p: string) => existsSync(p) && statSync(p).isDirectory(),
      isFile: (p: string) => existsSync(p) && statSync(p).isFile(),
    };
    for (const step of parsed.steps) validation.set(step, validateStep(step, context));
    const valid = parsed.steps.filter(
      (step) => !validation.get(step)!.some((d) => d.severity === "error"),
    );
    const takes = backend.inputs.includes(kind);
    if (!takes)
      record.warning = {
        code: "MPI027",
        message: `target ${target} does not convert ${kind} files; skipped`,
        line: 1,
        column: 1,
      };
    const output: BackendOutput = takes
      ? (await backend.load()).convert(source, valid, conversionContext(options, input.path))
      : { files: [], steps: new Map() };
    // check never writes: it skips re-parsing what convert would write.
    if (options.command === "check") {
      for (const step of parsed.steps)
        record.steps.push(
          stepRecord(step, target, validation.get(step)!, output.steps.get(step), undefined),
        );
      return outcome;
    }
    const verified = await verifyOutputs(kind, output);
    for (const step of parsed.steps)
      record.steps.push(
        stepRecord(step, target, validation.get(step)!, output.steps.get(step), verified.problem),
      );
    if (verified.problem) return outcome;
    for (const file of output.files) {
      record.outputs.push(displayPath(file.path));
      outcome.writes.push({
        path: file.path,
        bytes: Buffer.from(file.text, "utf8"),
        steps: file.steps?.map((step) => parsed.steps.indexOf(step)),
      });
    }
    if (output.rewritten !== undefined && output.rewritten !== decoded.text) {
      const destination = path.join(outputRoot, relative);
      record.outputs.push(displayPath(destination));
      outcome.writes.push({
        path: destination,
        bytes: encodeSource(decoded, output.rewritten),
        original: options.outputRoot ? undefined : bytes,
      });
      const before = kind === "notebook" ? (parsed as NotebookResult).maskedText : decoded.text;
      outcome.rewrite = {
        before: decoded.text,
        after: output.rewritten,
        programs: { before, after: verified.program! },
      };
    }
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    failedOutcome(outcome, error);
  }
  return outcome;
}

/** Checks that every output parses: the problem when one does not (then nothing of the
 * file is written), and the Python program the rewritten file holds (for a notebook, its
 * code cells with magics masked). */
async function verifyOutputs(
  kind: SourceFile["kind"],
  output: BackendOutput,
): Promise<{ problem?: string; program?: string }> {
  for (const file of output.files) {
    const problem = await verifyText(path.extname(file.path), file.text);
    if (problem)
      return {
        problem: `generated ${path.basename(file.path)} would not parse (${problem}); nothing written`,
      };
  }
  if (output.rewritten === undefined) return {};
  const rewrittenProblem = (problem: string) => ({
    problem: `the rewritten file would not parse (${problem}); nothing written`,
  });
  if (kind !== "notebook") {
    const problem = await verifyText(".py", output.rewritten);
    return problem ? rewrittenProblem(problem) : { program: output.rewritten };
  }
  try {
    return { program: (await parseNotebookSteps(output.rewritten, { strict: true })).maskedText };
  } catch (error) {
    if (error instanceof InputError) return rewrittenProblem(error.message);
    throw error;
  }
}

function stepRecord(
  step: StepDefinition,
  target: TargetName,
  validation: Diagnostic[],
  conversion: StepConversion | undefined,
  verifyProblem: string | undefined,
): StepRecord {
  const diagnostics = [...validation];
  const invalid = validation.some((d) => d.severity === "error");
  let manual = false;
  for (const todo of conversion?.todos ?? []) {
    diagnostics.push(diagnostic(todo.code, todo.message, undefined, step));
    manual ||= todo.manual;
  }
  for (const note of conversion?.notes ?? [])
    diagnostics.push(diagnostic(note.code, note.message, undefined, step, "info"));
  if (verifyProblem && !invalid) {
    diagnostics.push(diagnostic("MPI030", verifyProblem, undefined, step, "error"));
    manual = true;
  }
  const dropped = [...droppedOptions(step), ...(conversion?.dropped ?? [])];
  return {
    name: step.label,
    line: step.line,
    column: step.column,
    ...(step.cell ? { cell: step.cell } : {}),
    status: invalid ? "invalid" : manual || !conversion ? "manual" : "converted",
    target,
    diagnostics,
    dropped,
  };
}
