// One file through the pipeline: read it, keep it only when it may hold a step, then
// analyse it (analyse.ts: parse, validate, convert, verify). Pure with respect to the
// file system except for reading: it returns the writes it would make, so the caller
// decides (print, write in place, write under --out-dir).

import path from "node:path";
import type { TargetName } from "../backends/registry.js";
import type { DefaultImages } from "../backends/types.js";
import { InputError } from "../diagnostics/model.js";
import type { KeyMap } from "../frontends/json/key-map.js";
import { sourceKind } from "../frontends/kinds.js";
import type { SourceKind } from "../frontends/types.js";
import { readLimited } from "../io/read.js";
import type { FileRecord } from "../report/model.js";
import type { CPythonOutline, Program } from "./cpython.js";

export interface ProcessOptions {
  command: "check" | "convert";
  target?: TargetName;
  keyMap?: KeyMap;
  defaultImages: DefaultImages;
  /** --python-version: the Python conda files pin. */
  pythonVersion?: string;
  maxBytes: number;
  /** JSON files named on the command line count only for entries typed MpiStep, as in
   * discovery (hooks get every changed .json file, package.json included). */
  typedJsonOnly?: boolean;
  /** check: parse whole files, as convert does (by default check leaves out of the parse
   * the top-level definitions that cannot matter to a step; frontends/python/reduce.ts). */
  fullParse?: boolean;
  /** Folder generated and converted files go under (mirroring `root`). */
  outputRoot?: string;
}

export interface FileInput {
  path: string;
  /** What kind of input it is, decided where the file was found (its extension); left
   * out, the extension decides here. */
  kind?: SourceKind;
  /** The folder given on the command line that holds the file (its own folder for a file). */
  root: string;
  /** Named on the command line (JSON is then always read as step definitions). */
  explicit: boolean;
  /** The file's bytes when already read (standard input, or a pool's main thread). */
  bytes?: Uint8Array;
  /** Standard input, shown as "-". */
  stdin?: boolean;
  /** CPython's outline of the file, asked for when tree-sitter rejected it (null: CPython
   * rejects it too). */
  outline?: CPythonOutline | null;
}

export interface PlannedWrite {
  path: string;
  /** The folder the file must stay inside, on real paths: the input's tree (--write) or
   * --out-dir. */
  root: string;
  bytes: Buffer;
  /** For a job document or module: which of the record's steps it runs (see --verify). */
  steps?: number[];
  /** A generated file (stamped): an edited one at its path is kept unless --force. */
  generated?: boolean;
  /** For in-place rewrites: the bytes read, so a file changed since is not overwritten. */
  original?: Buffer;
}

export interface FileOutcome {
  record: FileRecord;
  writes: PlannedWrite[];
  /** For in-place targets, the original and rewritten text (for a diff), and the Python
   * programs they hold as CPython judges them: a Python file's bytes (its BOM and coding
   * declaration count), a notebook's code cells with magics masked. */
  rewrite?: { before: string; after: string; programs: { before: Program; after: Program } };
  /** A JSON file found by a folder walk that holds no step definitions (counted). */
  skippedJson?: boolean;
  /** A Python file tree-sitter rejects: CPython may accept it; run.ts asks it for every
   * such file at once and processes it again with the outline. Carries the bytes read. */
  askCPython?: FileInput & { bytes: Uint8Array };
}

const MPISTEP_BYTES = Buffer.from("MpiStep");
const SCRIPT_NAME_BYTES = Buffer.from('"script_name"');

/** Whether a file's bytes may hold a step: they name MpiStep, or (JSON) they hold the key
 * of a step-shaped entry's script, in MpiStep's or the key map's spelling. */
function mayHoldStep(kind: SourceKind, bytes: Buffer, keyMap: KeyMap | undefined): boolean {
  if (bytes.includes(MPISTEP_BYTES)) return true;
  if (kind !== "json") return false;
  if (bytes.includes(SCRIPT_NAME_BYTES)) return true;
  return Object.entries(keyMap ?? {}).some(
    ([key, name]) => name === "script_name" && bytes.includes(JSON.stringify(key)),
  );
}

/** A path as reports show it: relative to the working folder when inside it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

export function emptyOutcome(input: FileInput): FileOutcome {
  const record: FileRecord = {
    path: input.stdin ? "-" : displayPath(input.path),
    steps: [],
    skipped: [],
    outputs: [],
    diagnostics: [],
  };
  return { record, writes: [] };
}

/** The outcome of a file that could not be read or parsed. */
function failedOutcome(input: FileInput, error: InputError): FileOutcome {
  const outcome = emptyOutcome(input);
  outcome.record.diagnostics.push(error.toDiagnostic());
  return outcome;
}

/** Whether a JSON input is read as step definitions whatever it holds. */
export function isStepFile(kind: SourceKind, input: FileInput, options: ProcessOptions): boolean {
  return kind === "json" && input.explicit && !options.typedJsonOnly;
}

/** Reads an input and keeps it only when it may hold a step (its bytes mention MpiStep,
 * or it is a JSON file named as step definitions): its bytes, else its final outcome
 * (null: nothing to report or count). */
export function readCandidate(
  input: FileInput,
  options: ProcessOptions,
): Buffer | FileOutcome | null {
  const kind = input.kind ?? sourceKind(input.path);
  if (!kind) return null;
  try {
    const bytes = input.bytes
      ? Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength)
      : readLimited(input.path, options.maxBytes, !input.explicit);
    if (!isStepFile(kind, input, options) && !mayHoldStep(kind, bytes, options.keyMap))
      return kind === "json" ? { ...emptyOutcome(input), skippedJson: true } : null;
    return Buffer.from(bytes); // the read buffer is reused by the next file
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return failedOutcome(input, error);
  }
}

/** Processes a file that may hold a step, from the bytes read. */
export async function processCandidate(
  input: FileInput,
  bytes: Buffer,
  options: ProcessOptions,
): Promise<FileOutcome> {
  const kind = (input.kind ?? sourceKind(input.path))!;
  try {
    const { analyse } = await import("./analyse.js");
    return await analyse(input, kind, bytes, options);
  } catch (thrown) {
    // A failure on one file is that file's finding: the run goes on with the others.
    const error =
      thrown instanceof InputError
        ? thrown
        : new InputError(
            "MPI031",
            `internal error on this file, which was skipped: ${(thrown as Error).message}`,
          );
    const outcome = failedOutcome(input, error);
    const cpythonMayAccept = kind === "python" && error.code === "MPI030";
    return cpythonMayAccept && input.outline === undefined
      ? { ...outcome, askCPython: { ...input, bytes } }
      : outcome;
  }
}

/** Reads and processes one file. */
export async function processFile(input: FileInput, options: ProcessOptions): Promise<FileOutcome> {
  const read = readCandidate(input, options);
  if (read === null) return emptyOutcome(input);
  return Buffer.isBuffer(read) ? processCandidate(input, read, options) : read;
}
