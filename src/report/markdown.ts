// A Markdown report to paste into a pull request: the summary, then per file its own
// findings, a picture of each source pipeline around its MpiSteps (mermaid.ts) and a
// table of its steps: line, status, what was dropped, what needs a person (errors and
// manual work) and every other finding.

import type { Diagnostic } from "../diagnostics/model.js";
import type { Report, StepRecord } from "./model.js";
import { mermaidFlowchart } from "./mermaid.js";
import { formatSummary } from "./text.js";

function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function findings(list: Diagnostic[]): string {
  return list.length ? list.map((d) => `${code(d.code)} ${cell(d.message)}`).join("<br>") : "—";
}

/** What a person has to act on: errors, and what leaves manual work. */
function needsAttention(d: Diagnostic): boolean {
  return d.severity === "error" || d.manual === true;
}

function stepRow(step: StepRecord): string {
  const where = step.cell
    ? `${step.line} (cell ${step.cell.index}, line ${step.cell.line})`
    : String(step.line);
  const dropped = step.dropped.length ? step.dropped.map((d) => code(d.option)).join(", ") : "—";
  // MPI000 is the row itself: its status column.
  const said = step.diagnostics.filter((d) => d.code !== "MPI000");
  const attention = said.filter(needsAttention);
  const other = said.filter((d) => !needsAttention(d));
  return `| ${code(step.name)} | ${where} | ${step.status} | ${dropped} | ${findings(attention)} | ${findings(other)} |`;
}

export function formatMarkdown(report: Report): string {
  const lines = ["## mpistep-migrate report", "", `${formatSummary(report)}.`, ""];
  for (const file of report.files) {
    lines.push(`### ${code(file.path)}`, "");
    for (const d of file.diagnostics)
      lines.push(`- **${d.severity}** ${code(d.code)} at line ${d.line}: ${cell(d.message)}`);
    if (file.diagnostics.length) lines.push("");
    for (const pipeline of file.pipelines ?? [])
      lines.push(
        `Pipeline ${code(pipeline.name)} (line ${pipeline.line}):`,
        "",
        "```mermaid",
        mermaidFlowchart(pipeline),
        "```",
        "",
      );
    if (!file.steps.length) continue;
    lines.push(
      "| Step | Line | Status | Dropped | Needs attention | Other findings |",
      "| --- | --- | --- | --- | --- | --- |",
      ...file.steps.map(stepRow),
      "",
    );
  }
  if (report.next) lines.push(report.next.replace(/^next: /, "**Next:** "), "");
  return lines.join("\n");
}
