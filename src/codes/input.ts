// Codes of input the tool cannot read or parse: raised as an InputError
// (src/diagnostics/model.ts) by io, the frontends and the per-file stages, and by the
// run when a write fails. Codes are never renumbered.

import type { CodeText } from "../diagnostics/model.js";

export const INPUT_CODES = {
  MPI030: {
    severity: "error",
    title: "File could not be parsed",
    explanation:
      "The file has a syntax error (Python), invalid JSON, or an invalid notebook. It is reported with the position of the first error and never rewritten.",
  },
  MPI031: {
    severity: "error",
    title: "File could not be read",
    explanation:
      "The file is unreadable, binary, not valid text in its declared encoding, or larger than the size limit. It is reported and skipped.",
  },
} as const satisfies Record<string, CodeText>;
