// Report formats: SARIF for code scanning, Markdown for pull requests, --report files.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CODES } from "../../src/codes/index.js";
import { runCli, scratch } from "../helpers.js";

describe("report formats", () => {
  it("writes SARIF 2.1.0 with rules, 1-based locations and stable fingerprints", () => {
    const result = runCli(["check", "fixtures/python", "--format", "sarif"]);
    expect(result.code).toBe(1);
    const sarif = JSON.parse(result.stdout);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const [run] = sarif.runs;
    expect(run.tool.driver.name).toBe("mpistep-migrate");
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(CODES.map((c) => c.code));
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(5);
      expect(rule.fullDescription.text.length).toBeGreaterThan(40);
      expect(rule.help.text).toContain("explain");
    }
    expect(run.results.length).toBeGreaterThan(13);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(["error", "warning", "note"]).toContain(r.level);
      expect(r.message.text.length).toBeGreaterThan(0);
      const region = r.locations[0].physicalLocation.region;
      expect(region.startLine).toBeGreaterThanOrEqual(1);
      expect(region.startColumn).toBeGreaterThanOrEqual(1);
      expect(r.locations[0].physicalLocation.artifactLocation.uri).not.toMatch(/^\//);
    }
    const fingerprints = run.results.map((r: any) => r.partialFingerprints["mpistepMigrate/v1"]);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    // One per MpiStep of the Python fixtures (style_transfer.ipynb's added to the 14, and
    // the four of the whole-pipeline fixtures).
    expect(run.results.filter((r: any) => r.ruleId === "MPI000")).toHaveLength(19);
  });

  it("keeps fingerprints when lines move", () => {
    const dir = scratch("python/legacy");
    const fingerprintsOf = () =>
      JSON.parse(
        runCli(["check", "crlf_module.py", "--format", "sarif"], { cwd: dir }).stdout,
      ).runs[0].results.map((r: any) => [
        r.partialFingerprints["mpistepMigrate/v1"],
        r.locations[0].physicalLocation.region.startLine,
      ]);
    const before = fingerprintsOf();
    const file = path.join(dir, "crlf_module.py");
    writeFileSync(file, "\r\n\r\n" + readFileSync(file, "utf8"));
    const after = fingerprintsOf();
    expect(after.map((f: any) => f[0])).toEqual(before.map((f: any) => f[0]));
    expect(after[0][1]).toBe(before[0][1] + 2);
  });

  it("writes a Markdown summary and a table per file", () => {
    const result = runCli(["convert", "fixtures/json/more-steps.json", "--format", "markdown"]);
    expect(result.stdout).toContain("## mpistep-migrate report");
    expect(result.stdout).toContain("| Step | Line | Status | Dropped | Needs attention |");
    expect(result.stdout).toMatch(
      /\| `no docker` \| 42 \| manual \| — \| `MPI017` the step ran without Docker/,
    );
    expect(result.stdout).toMatch(
      /\| `missing script` \| 53 \| invalid \| — \| `MPI001` required parameter 'script_name'/,
    );
  });

  it("--report writes the chosen format to a file while the terminal shows the text report", () => {
    const dir = scratch("json");
    const result = runCli(
      ["check", "train-steps.json", "--format", "sarif", "--report", "out.sarif"],
      { cwd: dir },
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(readFileSync(path.join(dir, "out.sarif"), "utf8")).version).toBe("2.1.0");
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(
      "train-steps.json:9:12: MPI000 deprecated MpiStep 'train': convertible to job-yaml",
    );
  });
});
