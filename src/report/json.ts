// Machine-readable report: the JSON document of the CLI contract (README, "Usage").
// Diagnostics carry code, severity, message, line and column; a file's own findings are
// in `diagnostics`, and its first error and first warning also stand as `error` and
// `warning`, as earlier versions of the document had them.

import type { Diagnostic } from "../diagnostics/model.js";
import type { FileRecord, Report } from "./model.js";

function printed({ code, severity, message, line, column }: Diagnostic) {
  return { code, severity, message, line, column };
}

function fileDocument(file: FileRecord) {
  const first = (severity: Diagnostic["severity"]) => {
    const found = file.diagnostics.find((d) => d.severity === severity);
    return (
      found && { code: found.code, message: found.message, line: found.line, column: found.column }
    );
  };
  const [error, warning] = [first("error"), first("warning")];
  return {
    path: file.path,
    steps: file.steps.map((step) => ({ ...step, diagnostics: step.diagnostics.map(printed) })),
    skipped: file.skipped,
    outputs: file.outputs,
    ...(file.unchanged ? { unchanged: file.unchanged } : {}),
    diagnostics: file.diagnostics.map(printed),
    ...(error ? { error } : {}),
    ...(warning ? { warning } : {}),
  };
}

export function formatJson(report: Report): string {
  const { version, files, summary } = report;
  return JSON.stringify({ version, files: files.map(fileDocument), summary }, null, 2) + "\n";
}
