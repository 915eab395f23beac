// A Markdown report to paste into a pull request: the summary, then a table per file with
// each step's line, status, what was dropped and what needs manual work.

import type { Report, StepRecord } from "./model.js";
import { formatSummary } from "./text.js";

function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** What a person has to look at: errors of an invalid step, warnings of a manual one. */
function attention(step: StepRecord): string {
  if (step.status === "converted") return "—";
  const wanted = step.status === "invalid" ? ["error"] : ["warning", "error"];
  const items = step.diagnostics
    .filter((d) => wanted.includes(d.severity))
    .map((d) => `${code(d.code)} ${cell(d.message)}`);
  return items.length ? items.join("<br>") : "—";
}

export function formatMarkdown(report: Report): string {
  const lines = [
    "## mpistep-migrate report",
    "",
    `${formatSummary(report.summary, report.command)}.`,
    "",
  ];
  for (const file of report.files) {
    lines.push(`### ${code(file.path)}`, "");
    if (file.error)
      lines.push(
        `**Error** ${code(file.error.code)} at line ${file.error.line}: ${cell(file.error.message)}`,
        "",
      );
    if (file.warning)
      lines.push(`**Skipped** ${code(file.warning.code)}: ${cell(file.warning.message)}`, "");
    for (const entry of file.skipped)
      lines.push(
        `- Skipped ${code(entry.label)} (type ${cell(entry.type)}, line ${entry.line}): not an MpiStep`,
      );
    if (file.skipped.length) lines.push("");
    if (!file.steps.length) continue;
    lines.push(
      "| Step | Line | Status | Dropped | Needs attention |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const step of file.steps) {
      const where = step.cell
        ? `${step.line} (cell ${step.cell.index}, line ${step.cell.line})`
        : String(step.line);
      const dropped = step.dropped.length
        ? step.dropped.map((d) => code(d.option)).join(", ")
        : "—";
      lines.push(
        `| ${code(step.name)} | ${where} | ${step.status} | ${dropped} | ${attention(step)} |`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}
