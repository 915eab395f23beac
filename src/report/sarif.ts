// SARIF 2.1.0 for GitHub code scanning: one rule per diagnostic code (with its full
// explanation), one result per finding (each MpiStep found carries MPI000), each with a
// 1-based location and a fingerprint that survives lines moving.

import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { CODES } from "../codes/index.js";
import type { Severity } from "../diagnostics/model.js";
import { toolVersion } from "../version.js";
import type { Report } from "./model.js";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  error: "error",
  warning: "warning",
  info: "note",
};
const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** Where a file is: a path under the working folder as a URI relative to %SRCROOT% (which
 * the run names); any other as an absolute file URI, without a base. */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  const uri = file.split(path.sep).map(encodeURIComponent).join("/");
  return { uri, uriBaseId: "%SRCROOT%" };
}

function fingerprint(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

export function formatSarif(report: Report): string {
  const ruleIndex = new Map<string, number>(CODES.map((info, index) => [info.code, index]));
  // Identical findings (two steps with the same name and message in one file) are told
  // apart by their order, which, unlike line numbers, survives edits elsewhere.
  const seen = new Map<string, number>();
  const stable = (...parts: string[]) => {
    const key = fingerprint(...parts);
    const nth = (seen.get(key) ?? 0) + 1;
    seen.set(key, nth);
    return nth === 1 ? key : fingerprint(key, String(nth));
  };
  const results: unknown[] = [];
  const result = (
    code: string,
    severity: Severity,
    message: string,
    uri: string,
    line: number,
    column: number,
    identity: string,
  ) => ({
    ruleId: code,
    ruleIndex: ruleIndex.get(code),
    level: LEVEL[severity],
    message: { text: message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(uri),
          region: { startLine: Math.max(1, line), startColumn: Math.max(1, column) },
        },
      },
    ],
    partialFingerprints: { "mpistepMigrate/v1": stable(code, uri, identity, message) },
  });
  for (const file of report.files) {
    const uri = file.path;
    for (const d of file.diagnostics)
      results.push(result(d.code, d.severity, d.message, uri, d.line, d.column, "file"));
    for (const step of file.steps)
      for (const d of step.diagnostics)
        results.push(result(d.code, d.severity, d.message, uri, d.line, d.column, step.name));
  }
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "mpistep-migrate",
            version: toolVersion(),
            informationUri: "https://github.com/mpistep-migrate/mpistep-migrate",
            rules: CODES.map((info) => ({
              id: info.code,
              name: info.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) =>
                c ? c.toUpperCase() : "",
              ),
              shortDescription: { text: info.title },
              fullDescription: { text: info.explanation },
              help: {
                text: `${info.explanation}\n\nRun 'mpistep-migrate explain ${info.code}'.`,
                markdown: `${info.explanation}\n\nRun \`mpistep-migrate explain ${info.code}\`.`,
              },
              defaultConfiguration: { level: LEVEL[info.severity] },
            })),
          },
        },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}
