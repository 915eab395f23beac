// The report printers by --format name, each loaded when asked for (SARIF, for one,
// loads the whole code table).

import type { Report } from "./model.js";

export type Printer = (report: Report) => string;

export const FORMATS: Record<string, () => Promise<Printer>> = {
  text: async () => (await import("./text.js")).formatText,
  json: async () => (await import("./json.js")).formatJson,
  markdown: async () => (await import("./markdown.js")).formatMarkdown,
  sarif: async () => (await import("./sarif.js")).formatSarif,
};
