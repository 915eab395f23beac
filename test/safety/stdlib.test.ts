// Real Python at scale: every .py file of this machine's standard library that CPython
// compiles, with an MpiStep call appended, is read by `check`: one step per file, no
// syntax error (where tree-sitter misreads valid code, CPython's outline takes over), no
// skipped encoding (cp1252, koi8-r and the rest decode), and the same report with
// --full-parse.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, scratch } from "../helpers.js";

describe("the Python standard library", () => {
  it("every file that compiles gives exactly its one appended step", () => {
    const dir = scratch();
    const made = spawnSync("python3", [path.join(ROOT, "test/safety/stdlib_cases.py"), dir], {
      encoding: "utf8",
    });
    expect(made.status, made.stderr).toBe(0);
    const files = Number(made.stdout.trim());
    expect(files).toBeGreaterThan(1000);
    const started = Date.now();
    const reportFile = path.join(scratch(), "report.json");
    runCli(["check", dir, "--format", "json", "--report", reportFile]);
    const seconds = (Date.now() - started) / 1000;
    const report = JSON.parse(readFileSync(reportFile, "utf8"));
    const wrong = report.files.filter((f: any) => f.steps.length !== 1 || f.diagnostics.length);
    expect(
      wrong.map((f: any) => `${f.path}: ${f.steps.length} steps ${JSON.stringify(f.diagnostics)}`),
    ).toEqual([]);
    expect(report.summary).toMatchObject({ files, steps: files, errors: 0 });
    // Leaving unrelated definitions out of the parse changes nothing here.
    const fullReport = path.join(scratch(), "full.json");
    runCli(["check", dir, "--full-parse", "--format", "json", "--report", fullReport]);
    expect(readFileSync(reportFile, "utf8")).toBe(readFileSync(fullReport, "utf8"));
    console.log(
      `standard library: ${files} files, ${report.summary.steps} steps, check ${seconds.toFixed(1)} s`,
    );
  }, 300_000);
});
