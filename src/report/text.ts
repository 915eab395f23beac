// Human-readable report, ruff's layout: one line per finding, `path:line:col: CODE
// message`, so editors and terminals can jump to it; each step's line is its MPI000
// (what the run made of it), followed by the step's findings in source order; then a
// one-line summary and what to run next. Control characters
// in names and messages are shown escaped: a step or file name can never clear the
// screen, retitle the terminal or break a line.

import type { Diagnostic } from "../diagnostics/model.js";
import type { Report } from "./model.js";

export function formatSummary(report: Report): string {
  const { summary, command } = report;
  const parts = [
    `${summary.steps} MpiStep${summary.steps === 1 ? "" : "s"} in ${summary.files} file${summary.files === 1 ? "" : "s"} scanned`,
  ];
  if (command === "convert")
    parts.push(
      `${summary.converted} converted, ${summary.manual} need manual work, ${summary.invalid} invalid`,
    );
  else parts.push(`${summary.invalid} invalid`);
  parts.push(`${summary.errors} file error${summary.errors === 1 ? "" : "s"}`);
  if (summary.incomplete)
    parts.push(
      `${summary.incomplete} file${summary.incomplete === 1 ? "" : "s"} with manual work beyond the steps`,
    );
  const planned = report.files.reduce((n, file) => n + file.outputs.length, 0);
  if (command === "convert" && summary.written === undefined && planned)
    parts.push(`${planned} file${planned === 1 ? "" : "s"} would be written`);
  if (summary.written !== undefined)
    parts.push(
      `${summary.written} file${summary.written === 1 ? "" : "s"} written${summary.unchanged ? `, ${summary.unchanged} unchanged` : ""}${summary.notWritten ? `, ${summary.notWritten} not written` : ""}${summary.removed ? `, ${summary.removed} stale removed` : ""}`,
    );
  if (summary.skippedJson)
    parts.push(
      `${summary.skippedJson} JSON file${summary.skippedJson === 1 ? "" : "s"} without step definitions skipped`,
    );
  const { verified } = summary;
  if (verified && !verified.outputs) parts.push("--verify: no v2 output to verify");
  else if (verified)
    parts.push(
      `azure-ai-ml ${verified.sdkVersion} verified ${verified.outputs - verified.rejected} of ${verified.outputs} output${verified.outputs === 1 ? "" : "s"}`,
    );
  return parts.join("; ");
}

/** C0 and C1 controls (tab aside), DEL, and the bidirectional overrides that reorder
 * what a terminal shows. */
const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with each control character written as an escape (`\x1b`, `\u202e`). */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

function findingLine(path: string, d: Diagnostic): string {
  return `${path}:${d.line}:${d.column}: ${d.code} ${d.message}`;
}

export function formatText(report: Report): string {
  const lines: string[] = [];
  for (const file of report.files) {
    for (const d of file.diagnostics) lines.push(findingLine(file.path, d));
    for (const step of file.steps)
      for (const d of step.diagnostics) lines.push(findingLine(file.path, d));
  }
  lines.push(formatSummary(report));
  if (report.next) lines.push(report.next);
  return lines.map(escapeControls).join("\n") + "\n";
}
