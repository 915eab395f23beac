// The report printers by --format name.

import { formatJson } from "./json.js";
import { formatMarkdown } from "./markdown.js";
import type { Report } from "./model.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";

export const FORMATS: Record<string, (report: Report) => string> = {
  text: formatText,
  json: formatJson,
  markdown: formatMarkdown,
  sarif: formatSarif,
};
