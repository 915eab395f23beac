// The command-line contract: outputs, exit codes, errors without stack traces.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { argvThroughShell, runCli, scratch } from "./helpers.js";

describe("cli", () => {
  it("convert --out-dir writes one job for the MpiStep and reports the rest", () => {
    const dir = scratch("json");
    const out = path.join(dir, "out");
    const result = runCli([
      "convert",
      path.join(dir, "train-steps.json"),
      "--target",
      "job-yaml",
      "--out-dir",
      out,
      "--format",
      "json",
      "--report",
      path.join(dir, "report.json"),
    ]);
    expect(result.code).toBe(0);
    const job = parse(readFileSync(path.join(out, "train-steps", "train.job.yaml"), "utf8"));
    expect(argvThroughShell(job.command)[0]).toBe("train.py");
    expect(job.code).toBe("../../src");
    expect(existsSync(path.join(out, "train-steps", "prep.job.yaml"))).toBe(false);
    const report = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8"));
    expect(report.version).toBe(1);
    expect(report.summary).toEqual({
      files: 1,
      steps: 1,
      converted: 1,
      manual: 0,
      invalid: 0,
      errors: 0,
      written: 2,
      notWritten: 0,
    });
    const [file] = report.files;
    expect(file.skipped[0]).toMatchObject({ label: "prep", type: "PythonScriptStep" });
    expect(file.steps[0]).toMatchObject({
      name: "train",
      status: "converted",
      target: "job-yaml",
      line: 9,
    });
    expect(file.steps[0].dropped).toEqual([expect.objectContaining({ option: "hash_paths" })]);
    expect(file.outputs).toHaveLength(2);
    // A PythonScriptStep is the pipeline's, not a finding: the JSON report lists it, the
    // text report does not.
    expect(result.stderr).not.toContain("'prep'");
  });

  it("convert without --write or --out-dir prints documents and changes nothing", () => {
    const dir = scratch("json");
    const result = runCli(["convert", "train-steps.json"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("type: command");
    expect(existsSync(path.join(dir, "train-steps"))).toBe(false);
  });

  it("a key map converts a project-specific JSON", () => {
    const dir = scratch("json");
    const result = runCli(
      ["convert", "project-steps.json", "--key-map", "key-map.json", "--out-dir", "out"],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(
      parse(readFileSync(path.join(dir, "out", "project-steps", "train.job.yaml"), "utf8"))
        .distribution.process_count_per_instance,
    ).toBe(4);
  });

  it("malformed JSON exits 2 naming file, line and column, without a stack trace", () => {
    const result = runCli(["check", "fixtures/malformed.json"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(
      /fixtures\/malformed\.json:4:22: MPI030 invalid JSON: value expected/,
    );
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it("an invalid step makes convert exit 1", () => {
    const dir = scratch("json");
    const result = runCli(["convert", "more-steps.json", "--out-dir", "out"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "more-steps.json:53:3: MPI000 deprecated MpiStep 'missing script': invalid as written, not converted",
    );
  });

  it("check exits 1 when it finds MpiStep and never writes", () => {
    const dir = scratch("json");
    const result = runCli(["check", "train-steps.json", "--format", "json"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).summary.steps).toBe(1);
    expect(existsSync(path.join(dir, "train-steps"))).toBe(false);
  });

  it("usage errors exit 2", () => {
    expect(runCli(["convert", "--target", "nope"]).code).toBe(2);
    expect(runCli(["frobnicate"]).code).toBe(2);
    const missingKeyMap = runCli([
      "convert",
      "fixtures/json/train-steps.json",
      "--key-map",
      "nope.json",
    ]);
    expect(missingKeyMap.code).toBe(2);
    expect(missingKeyMap.stderr).toContain("--key-map nope.json: no such file or folder (ENOENT)");
  });

  it("explain prints a code's explanation; unknown codes exit 2", () => {
    const known = runCli(["explain", "mpi011"]);
    expect(known.code).toBe(0);
    expect(known.stdout).toContain("hash_paths");
    expect(runCli(["explain", "MPI999"]).code).toBe(2);
    expect(runCli(["explain"]).stdout.split("\n").filter(Boolean).length).toBeGreaterThan(20);
  });

  it("reads standard input with '-' and prints the rewrite as a diff", () => {
    const source = `from azureml.pipeline.steps import MpiStep\nstep = MpiStep(name="a", source_directory="src", script_name="t.py", arguments=[], compute_target="c", node_count=1, process_count_per_node=1)\n`;
    const result = runCli(["convert", "-"], { cwd: scratch(), input: source });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("+step = CommandStep(");
    expect(runCli(["check", "-"], { cwd: scratch(), input: source }).code).toBe(1);
  });

  it("a target that does not take a file kind skips it with a warning", () => {
    const result = runCli([
      "convert",
      "fixtures/json/train-steps.json",
      "--target",
      "commandstep",
      "--format",
      "json",
    ]);
    expect(result.code).toBe(1);
    const [file] = JSON.parse(result.stdout).files;
    expect(file.diagnostics[0]).toMatchObject({
      severity: "warning",
      code: "MPI027",
      message: "target commandstep does not convert json files; skipped",
    });
    expect(file.steps[0].status).toBe("manual");
  });

  it("--help exits 0", () => {
    expect(runCli(["--help"]).code).toBe(0);
  });
});
