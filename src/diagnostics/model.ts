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

/** The field of a converted job a finding is about, whatever the target calls it. */
export type JobField =
  | "code"
  | "command"
  | "compute"
  | "instance_count"
  | "process_count"
  | "environment"
  | "environment_variables"
  | "inputs"
  | "outputs";

/** What a `TODO(mpistep-migrate CODE)` comment is about: a field of the step's job (an
 * input or output by its name), or a part of the whole pipeline. Each target writes the
 * comment where it writes that field. */
export type TodoPlace =
  { field: JobField; name?: string } | { pipeline: "jobs" | "inputs"; name?: string };

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
