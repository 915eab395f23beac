// Machine-readable report: the JSON document of the CLI contract (README, "Usage").
// Diagnostics carry code, severity, message, line and column; a file's own findings are
// in `diagnostics`, a step's in its own; each finding is there once.

import type { Diagnostic } from "../diagnostics/model.js";
import type { FileRecord, Report } from "./model.js";

function printed({ code, severity, message, line, column }: Diagnostic) {
  return { code, severity, message, line, column };
}

function fileDocument(file: FileRecord) {
  return {
    path: file.path,
    steps: file.steps.map((step) => ({ ...step, diagnostics: step.diagnostics.map(printed) })),
    skipped: file.skipped,
    outputs: file.outputs,
    ...(file.unchanged ? { unchanged: file.unchanged } : {}),
    diagnostics: file.diagnostics.map(printed),
  };
}

export function formatJson(report: Report): string {
  const { version, files, summary, next } = report;
  return (
    JSON.stringify(
      { version, files: files.map(fileDocument), summary, ...(next ? { next } : {}) },
      null,
      2,
    ) + "\n"
  );
}
