// What every frontend returns, and the error type for input the tool cannot read.

import type { StepDefinition } from "../ir/types.js";

/** An entry that looked like a step but is not an MpiStep (reported, not converted). */
export interface SkippedEntry {
  label: string;
  type: string;
  line: number;
  column: number;
}

export interface FrontendResult {
  steps: StepDefinition[];
  skipped: SkippedEntry[];
}

/** A user-facing input problem: bad syntax, unreadable file. Never a stack trace. */
export class InputError extends Error {
  constructor(
    readonly code: "MPI030" | "MPI031",
    message: string,
    readonly line = 1,
    readonly column = 1,
  ) {
    super(message);
  }
}

/** Input reported and skipped without failing the run: binary, too large, undecodable. */
export class SkippedInput extends InputError {
  constructor(message: string) {
    super("MPI031", message);
  }
}
