// The one shape every finding takes, wherever it is made (frontends, io, validation,
// backends, the engine), and the error that carries one out of a frontend or a read.
// Codes and their explanations: src/codes/ (docs/architecture.md).

export type Severity = "error" | "warning" | "info";

/** What a code says of itself: its default severity, a title, and the paragraph
 * `mpistep-migrate explain CODE` prints. */
export interface CodeText {
  severity: Severity;
  title: string;
  explanation: string;
}

/** A 1-based place in the input file. */
export interface Position {
  line: number;
  column: number;
}

/** Where a generated document carries a `TODO(mpistep-migrate CODE)` comment. */
export interface TodoPlace {
  /** Path of keys in the generated document (the job, or for `root` the pipeline). */
  at: Array<string | number>;
  /** In a pipeline: `at` is relative to the pipeline document, not the step's node. */
  root?: boolean;
}

export interface Diagnostic extends Position {
  /** `MPI` and three digits: one of src/codes/ (made there by `diagnostic()`). */
  code: string;
  severity: Severity;
  message: string;
  /** A person must act before the output behaves like the step: the step is `manual`.
   * Always so for a finding with a TODO place. */
  manual?: boolean;
  /** The output marks this finding with a TODO comment here. */
  todo?: TodoPlace;
}

/** Input the tool cannot read or parse (MPI030, MPI031): reported with its position,
 * never a stack trace; the run exits 2. */
export class InputError extends Error {
  constructor(
    readonly code: "MPI030" | "MPI031",
    message: string,
    readonly line = 1,
    readonly column = 1,
  ) {
    super(message);
  }

  get severity(): Severity {
    return "error";
  }

  toDiagnostic(): Diagnostic {
    const { code, severity, message, line, column } = this;
    return { code, severity, message, line, column };
  }
}

/** Input reported and skipped without failing the run: binary, too large, undecodable. */
export class SkippedInput extends InputError {
  constructor(message: string) {
    super("MPI031", message);
  }

  override get severity(): Severity {
    return "warning";
  }
}
