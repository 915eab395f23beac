// One file through the pipeline: read it, keep it only when it may hold a step, then
// analyse it (analyse.ts: parse, validate, convert, verify). Pure with respect to the
// file system except for reading: it returns the writes it would make, so the caller
// decides (print, write in place, write under --out-dir).

import { readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { InputError } from "../diagnostics/model.js";
import type { KeyMap } from "../frontends/json/key-map.js";
import { sourceKind } from "../frontends/kinds.js";
import type { SourceKind } from "../frontends/types.js";
import { readLimited } from "../io/read.js";
import {
  emptyOutcome,
  isStepFile,
  type FileInput,
  type FileOutcome,
  type ProcessOptions,
} from "./outcome.js";

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

/** Whether a run over `paths` reads `file` as one of its inputs (judged on real paths): it
 * is named, or lies in a folder named and is a Python file, a notebook, or JSON that may
 * hold step definitions (a JSON report of an earlier run may be replaced). */
export function isInputOfRun(file: string, paths: string[], keyMap?: KeyMap): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  };
  const target = real(file) ?? path.join(real(path.dirname(file)) ?? "", path.basename(file));
  const kind = sourceKind(target);
  const walkedInput = () => {
    if (kind !== "json") return kind !== undefined;
    try {
      return mayHoldStep(kind, readFileSync(target), keyMap);
    } catch {
      return false; // not there yet, or unreadable: not read by the run either
    }
  };
  return (paths.length ? paths : ["."])
    .filter((p) => p !== "-")
    .some((input) => {
      const inputPath = real(input);
      if (!inputPath) return false;
      if (inputPath === target) return true;
      const rel = path.relative(inputPath, target);
      return (
        statSync(inputPath).isDirectory() &&
        !rel.startsWith("..") &&
        !path.isAbsolute(rel) &&
        walkedInput()
      );
    });
}

/** The outcome of a file that could not be read or parsed. */
function failedOutcome(input: FileInput, error: InputError): FileOutcome {
  const outcome = emptyOutcome(input);
  outcome.record.diagnostics.push(error.toDiagnostic());
  return outcome;
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
      ? { ...outcome, treeSitterRejected: { ...input, bytes } }
      : outcome;
  }
}

/** Reads and processes one file. */
export async function processFile(input: FileInput, options: ProcessOptions): Promise<FileOutcome> {
  const read = readCandidate(input, options);
  if (read === null) return emptyOutcome(input);
  return Buffer.isBuffer(read) ? processCandidate(input, read, options) : read;
}
