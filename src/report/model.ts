// The report's data model: one record per file and per step, shared by every printer.
// Every finding is in it before printing; printers only format it.

import type { TargetName } from "../backends/registry.js";
import type { Dropped } from "../backends/types.js";
import type { Diagnostic } from "../diagnostics/model.js";
import type { SkippedEntry } from "../frontends/types.js";
import type { CellLocation } from "../ir/types.js";

export type StepStatus = "converted" | "manual" | "invalid";

export interface StepRecord {
  name: string;
  line: number;
  column: number;
  cell?: CellLocation;
  status: StepStatus;
  target: TargetName;
  diagnostics: Diagnostic[];
  dropped: Dropped[];
}

/** What became of a step of a source pipeline: converted, converted with TODOs, left out
 * of the output (another type, invalid), or not this target's to convert (it stays as it
 * is: commandstep rewrites MpiSteps only, job-yaml writes MpiSteps only). */
export type NodeStatus = "converted" | "manual" | "left out" | "not converted";

/** A source pipeline holding an MpiStep, for the report's picture of it. */
export interface PipelineRecord {
  name: string;
  line: number;
  nodes: Array<{ name: string; type: string; line: number; status: NodeStatus }>;
  /** Data passing from one node to another (indexes into nodes). */
  edges: Array<{ from: number; to: number; data: string }>;
}

export interface FileRecord {
  path: string;
  steps: StepRecord[];
  skipped: SkippedEntry[];
  /** The source pipelines around its MpiSteps (code and JSON inputs that hold one). */
  pipelines?: PipelineRecord[];
  /** Paths written, or that would be written. */
  outputs: string[];
  /** convert --write / --out-dir: outputs that already held the same bytes, left as they
   * were. */
  unchanged?: string[];
  /** Findings about the file itself: it could not be read, parsed or written (severity
   * error: the run exits 2), it was skipped (binary, too large, undecodable, a kind the
   * target does not take), entries in it that are not MpiSteps. */
  diagnostics: Diagnostic[];
}

export interface Summary {
  files: number;
  steps: number;
  converted: number;
  manual: number;
  invalid: number;
  errors: number;
  /** convert --write / --out-dir: files written, files that already held the same bytes,
   * and files planned but not written. */
  written?: number;
  unchanged?: number;
  notWritten?: number;
  /** convert --write --force: stale outputs removed (MPI048), when any. */
  removed?: number;
  /** Files whose own findings leave manual work beyond their steps' (an output leaving
   * out steps of the source, an edited output kept, a stale output), when any. */
  incomplete?: number;
  /** JSON files found by a folder walk that hold no step definitions (when any). */
  skippedJson?: number;
  /** convert --verify: what the installed azure-ai-ml said of the v2 outputs written. */
  verified?: Verified;
}

export interface Verified {
  /** Absent when the run wrote no v2 output, so nothing was verified. */
  sdkVersion?: string;
  /** Job documents and modules loaded. */
  outputs: number;
  rejected: number;
}

export interface Report {
  version: 1;
  command: "check" | "convert";
  files: FileRecord[];
  summary: Summary;
  /** What to run or do next (report/next.ts), when anything is left. */
  next?: string;
}

export function summarize(files: FileRecord[], scanned: number): Summary {
  const steps = files.flatMap((f) => f.steps);
  return {
    files: scanned,
    steps: steps.length,
    converted: steps.filter((s) => s.status === "converted").length,
    manual: steps.filter((s) => s.status === "manual").length,
    invalid: steps.filter((s) => s.status === "invalid").length,
    errors: files.filter(hasError).length,
    ...countIf("incomplete", files.filter((f) => f.diagnostics.some((d) => d.manual)).length),
  };
}

/** Whether the file itself could not be read, parsed or written. */
export function hasError(file: FileRecord): boolean {
  return file.diagnostics.some((d) => d.severity === "error");
}

/** `{ [key]: count }` when the count is not zero, else nothing. */
function countIf<K extends string>(key: K, count: number): Partial<Record<K, number>> {
  return count ? ({ [key]: count } as Record<K, number>) : {};
}
