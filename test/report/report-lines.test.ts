// Every line of the text report earns its place (issue 20): over the fixtures and a
// sample-style notebook, with check and with every target, each line is a step's line
// (its MPI000), a finding that needs the user (an error, a warning, anything that leaves a
// TODO), an info that says what the user can do, the summary, or the closing "next:"
// line. And no finding (file, line, code, message) is said twice in the text, JSON or
// SARIF report. Each line is classified by the JSON report of the same run.

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, scratch } from "../helpers.js";

interface Finding {
  code: string;
  severity: string;
  message: string;
  line: number;
  column: number;
}

/** What an info must hand the user: an option to give, or a thing to do. */
const ACTION =
  /--[a-z-]+|\b(?:give|set|use|run|commit|check|refer|fix|pin|bind|map|write|add|list|choose)\b/;

const RUNS: string[][] = [
  ["check", "."],
  ...["commandstep", "job-yaml", "pipeline-yaml", "sdk-v2"].map((target) => [
    "convert",
    ".",
    "--target",
    target,
  ]),
  ["convert", "python/notebooks/style_transfer.ipynb", "--target", "pipeline-yaml"],
  ["convert", "python/whole/restyle_clip.ipynb", "--target", "sdk-v2"],
];

/** The report of a run in `tree`, written outside it (a fresh file each time). */
function reportOf(tree: string, args: string[], format: string): string {
  const file = path.join(scratch(), `report.${format}`);
  const result = runCli([...args, "--format", format, "--report", file], { cwd: tree });
  expect(result.code, result.stderr).toBeLessThan(3);
  return readFileSync(file, "utf8");
}

describe("the text report", () => {
  it("has no line that does not need the user, and says no finding twice in any format", () => {
    const dir = scratch(".");
    let lines = 0;
    for (const args of RUNS) {
      const json = JSON.parse(reportOf(dir, args, "json"));
      const findings = new Map<string, Finding>();
      const keys: string[] = [];
      for (const file of json.files)
        for (const d of [
          ...file.diagnostics,
          ...file.steps.flatMap((s: { diagnostics: Finding[] }) => s.diagnostics),
        ] as Finding[]) {
          const key = `${file.path}:${d.line}:${d.column}: ${d.code} ${d.message}`;
          keys.push(key);
          findings.set(key, d);
        }
      const twice = (list: string[]) => list.filter((key, i) => list.indexOf(key) !== i);
      expect(twice(keys), `JSON: ${args.join(" ")}`).toEqual([]);

      const text = reportOf(dir, args, "text").trimEnd().split("\n");
      expect(twice(text), `text: ${args.join(" ")}`).toEqual([]);
      for (const line of text) {
        lines++;
        if (/^\d+ MpiSteps? in \d+ files? scanned; /.test(line)) continue;
        if (line.startsWith("next: ")) continue;
        const finding = findings.get(line);
        expect(finding, `not a finding of the JSON report: ${line}`).toBeDefined();
        if (finding!.code === "MPI000" || finding!.severity !== "info") continue;
        expect(line, "an info that gives the user nothing to do").toMatch(ACTION);
      }
      // Every finding of the JSON report is a line of the text report.
      expect(keys.filter((key) => !text.includes(key))).toEqual([]);
      expect(text.filter((line) => line.startsWith("next: ")).length).toBeLessThanOrEqual(1);

      const sarif = JSON.parse(reportOf(dir, args, "sarif"));
      const results = sarif.runs[0].results.map(
        (r: any) =>
          `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}:${r.ruleId}:${r.message.text}`,
      );
      expect(twice(results), `SARIF: ${args.join(" ")}`).toEqual([]);
    }
    expect(lines).toBeGreaterThan(100);
  }, 120_000);
});
