// The report's data model: one record per file and per step, shared by every printer.

import type { SkippedEntry } from "../frontends/types.js";
import type { CellLocation } from "../ir/types.js";
import type { Diagnostic } from "../validate/codes.js";
import type { Dropped, TargetName } from "../backends/types.js";

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

export interface FileRecord {
  path: string;
  steps: StepRecord[];
  skipped: SkippedEntry[];
  /** Paths written, or that would be written. */
  outputs: string[];
  /** The file could not be read or parsed: the run exits 2. */
  error?: { code: string; message: string; line: number; column: number };
  /** The file was reported and skipped (binary, too large, undecodable); not fatal. */
  warning?: { code: string; message: string; line: number; column: number };
}

export interface Summary {
  files: number;
  steps: number;
  converted: number;
  manual: number;
  invalid: number;
  errors: number;
  /** convert --verify: what the installed azure-ai-ml said of the v2 outputs written. */
  verified?: Verified;
}

export interface Verified {
  sdkVersion: string;
  /** Job documents and modules loaded. */
  outputs: number;
  rejected: number;
}

export interface Report {
  version: 1;
  command: "check" | "convert";
  files: FileRecord[];
  summary: Summary;
}

export function summarize(files: FileRecord[], scanned: number): Summary {
  const steps = files.flatMap((f) => f.steps);
  return {
    files: scanned,
    steps: steps.length,
    converted: steps.filter((s) => s.status === "converted").length,
    manual: steps.filter((s) => s.status === "manual").length,
    invalid: steps.filter((s) => s.status === "invalid").length,
    errors: files.filter((f) => f.error).length,
  };
}
