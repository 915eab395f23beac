// Human-readable report: one line per step and per diagnostic, `file:line:column` first
// so editors and terminals can jump to it, then a one-line summary.

import type { Report, Summary } from "./model.js";

export function formatSummary(summary: Summary, command: Report["command"]): string {
  const parts = [
    `${summary.steps} MpiStep${summary.steps === 1 ? "" : "s"} in ${summary.files} file${summary.files === 1 ? "" : "s"} scanned`,
  ];
  if (command === "convert")
    parts.push(
      `${summary.converted} converted, ${summary.manual} need manual work, ${summary.invalid} invalid`,
    );
  else parts.push(`${summary.invalid} invalid`);
  parts.push(`${summary.errors} file error${summary.errors === 1 ? "" : "s"}`);
  const { verified } = summary;
  if (verified)
    parts.push(
      `azure-ai-ml ${verified.sdkVersion} verified ${verified.outputs - verified.rejected} of ${verified.outputs} output${verified.outputs === 1 ? "" : "s"}`,
    );
  return parts.join("; ");
}

export function formatText(report: Report): string {
  const lines: string[] = [];
  for (const file of report.files) {
    if (file.warning)
      lines.push(
        `${file.path}:${file.warning.line}:${file.warning.column}: warning ${file.warning.code}: ${file.warning.message}`,
      );
    if (file.error)
      lines.push(
        `${file.path}:${file.error.line}:${file.error.column}: error ${file.error.code}: ${file.error.message}`,
      );
    for (const entry of file.skipped)
      lines.push(
        `${file.path}:${entry.line}:${entry.column}: skipped '${entry.label}' (type ${entry.type}, not an MpiStep) [MPI021]`,
      );
    for (const step of file.steps) {
      const cell = step.cell ? ` (cell ${step.cell.index}, line ${step.cell.line})` : "";
      const verb =
        report.command === "check" && step.status !== "invalid"
          ? `MpiStep (${step.status === "converted" ? "convertible" : "needs manual work"})`
          : step.status;
      lines.push(
        `${file.path}:${step.line}:${step.column}: ${verb} '${step.name}'${cell} -> ${step.target}`,
      );
      for (const d of step.diagnostics)
        lines.push(`  ${file.path}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
      for (const drop of step.dropped) lines.push(`  dropped ${drop.option}: ${drop.reason}`);
    }
    if (report.command === "convert")
      for (const output of file.outputs) lines.push(`  -> ${output}`);
  }
  lines.push(formatSummary(report.summary, report.command));
  return lines.join("\n") + "\n";
}
