// What one file's processing takes and gives, shared by the per-file stages and the run
// machinery: the options, the input, the outcome (its report record and the writes it
// plans), and the helpers every stage uses on them.

import path from "node:path";
import type { StaleOutput } from "./stale.js";
import type { TargetName } from "../backends/registry.js";
import type { DefaultImages } from "../backends/types.js";
import type { KeyMap } from "../frontends/json/key-map.js";
import type { SourceKind } from "../frontends/types.js";
import type { FileRecord } from "../report/model.js";
import type { SuppliedValue } from "./supplied.js";

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
  /** --set: step parameters the user supplies. */
  supplied?: SuppliedValue[];
  /** Folder generated and converted files go under (mirroring `root`). */
  outputRoot?: string;
}

export interface RunOptions extends ProcessOptions {
  paths: string[];
  excludes: string[];
  /** Rewrite in place / write generated files next to the inputs (with `outputRoot`,
   * under it: --out-dir, which writes never leave). */
  write: boolean;
  jobs: number;
  /** After writing, load every v2 output with the user's azure-ai-ml (this version). */
  verifyWith?: () => Promise<string>;
  /** Replace generated files even when they were edited since the tool wrote them. */
  force?: boolean;
  /** Stops the run (SIGINT, SIGTERM, SIGHUP; its reason names the signal): no further
   * file is read or written. */
  signal?: AbortSignal;
  stdinText?: string;
  /** What standard input is, as a file name (its extension picks the frontend); without
   * it, the content decides. */
  stdinFilename?: string;
  /** After each file: how many are done, and how many of them are worth reporting. */
  onProgress?: (done: number, reported: number) => void;
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
  /** Files generated from this input by the target that no step of it converts to any
   * more (stages/stale.ts; absolute paths). */
  stale?: { files: StaleOutput[]; target: string };
  /** For in-place targets, the original and rewritten text (for a diff), and the Python
   * programs they hold as CPython judges them: a Python file's bytes (its BOM and coding
   * declaration count), a notebook's code cells with magics masked. */
  rewrite?: {
    before: string;
    after: string;
    programs: { before: Program; after: Program };
    /** CPython's verdicts on both programs when it judged them while the file was
     * processed (a large file: judgeEarly in cpython.ts). */
    verdicts?: [CPythonVerdict, CPythonVerdict];
  };
  /** A JSON file found by a folder walk that holds no step definitions (counted). */
  skippedJson?: boolean;
  /** A Python file tree-sitter rejects, which CPython may accept: askCPython
   * (cpython.ts) asks for every such file at once and processes it again with the
   * outline. Carries the bytes read. */
  treeSitterRejected?: FileInput & { bytes: Uint8Array };
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

/** Whether a JSON input is read as step definitions whatever it holds. */
export function isStepFile(kind: SourceKind, input: FileInput, options: ProcessOptions): boolean {
  return kind === "json" && input.explicit && !options.typedJsonOnly;
}

/** How CPython reads a file: its top-level statements (first line, decorators included,
 * and last line) and where it calls something named MpiStep (line, 0-based UTF-8
 * column). */
export interface CPythonOutline {
  statements: Array<[number, number]>;
  calls: Array<[number, number]>;
}

/** A program as CPython gets it: text, or a file's bytes (BOM and coding declaration
 * included). */
export type Program = string | Uint8Array;

/** CPython's verdict on a program: null when it compiles, else where and why not. */
export type CPythonVerdict = { line: number; message: string } | null;
