// Machine-readable report: the JSON document fixed in DESIGN.md.

import type { Report } from "./model.js";

export function formatJson(report: Report): string {
  const { version, files, summary } = report;
  return JSON.stringify({ version, files, summary }, null, 2) + "\n";
}
