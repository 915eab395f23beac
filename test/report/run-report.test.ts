// What the report says of the run itself, through the built command: a dry run says what
// it would write, a file named twice is read once, and SARIF names files either relative
// to %SRCROOT% (the working folder) or by an absolute URI, never both.

import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FIXTURES, ROOT, runCli, scratch } from "../helpers.js";

const STEPS = path.join(ROOT, "examples", "steps.json");

describe("the report of a run", () => {
  it("a dry run says it would write, and writes nothing", () => {
    const dir = scratch();
    const file = path.join(dir, "steps.json");
    copyFileSync(STEPS, file);
    const dry = runCli(["convert", file], { cwd: dir });
    expect(dry.stderr).toMatch(/; 2 files would be written$/m);
    expect(dry.stderr).not.toMatch(/files? written/);
    // The documents it would write are shown, each under its path.
    expect(dry.stdout).toMatch(/steps\/\S+\.job\.yaml/);
    expect(existsSync(path.join(dir, "steps"))).toBe(false);
    const written = runCli(["convert", file, "--out-dir", "out"], { cwd: dir });
    expect(written.stderr).toMatch(/; 2 files written$/m);
    expect(written.stderr).not.toMatch(/would be written/);
    expect(existsSync(path.join(dir, "out", "steps"))).toBe(true);
  });

  it("a file named twice, or inside a folder also named, is read once", () => {
    const dir = scratch();
    const file = path.join(dir, "steps.json");
    copyFileSync(STEPS, file);
    const once = JSON.parse(runCli(["check", file, "--format", "json"]).stdout).summary;
    for (const args of [
      [dir, file],
      [file, file],
      [file, dir],
    ]) {
      const result = runCli([
        "convert",
        ...args,
        "--out-dir",
        path.join(dir, "out"),
        "--format",
        "json",
      ]);
      const report = JSON.parse(result.stdout);
      expect(
        report.files.map((f: any) => f.path),
        args.join(" "),
      ).toHaveLength(1);
      expect(report.summary.steps, args.join(" ")).toBe(once.steps);
      // No collision of the file with itself (MPI035), nothing left undone.
      expect(result.code, result.stderr).toBe(0);
    }
  });

  it("SARIF names a file under the working folder relative to %SRCROOT%, any other by an absolute URI", () => {
    const file = path.join(FIXTURES, "python/whole/mixed_steps.py");
    const location = (cwd: string) =>
      JSON.parse(runCli(["check", file, "--format", "sarif"], { cwd }).stdout).runs[0].results[0]
        .locations[0].physicalLocation.artifactLocation;
    expect(location(ROOT)).toEqual({
      uri: "fixtures/python/whole/mixed_steps.py",
      uriBaseId: "%SRCROOT%",
    });
    const outside = location(scratch());
    expect(Object.keys(outside)).toEqual(["uri"]);
    expect(fileURLToPath(outside.uri)).toBe(file);
    // The URI is the file's: it names what is on disk.
    expect(readFileSync(fileURLToPath(outside.uri), "utf8")).toContain("MpiStep(");
  });
});

describe("--set", () => {
  it("supplies what a project-format entry lacks, marked as the user's, for one step or all", () => {
    const dir = scratch();
    const steps = path.join(dir, "steps.json");
    // A project's own format: its compute target lives in the project's Python code.
    writeFileSync(
      steps,
      JSON.stringify({
        train: { name: "train", dir: "src", script: "t.py", args: [], nodes: 2, procs: 4 },
        score: { name: "score", dir: "src", script: "s.py", args: [], nodes: 1, procs: 1 },
      }),
    );
    const keyMap = path.join(dir, "key-map.json");
    writeFileSync(
      keyMap,
      JSON.stringify({
        dir: "source_directory",
        script: "script_name",
        args: "arguments",
        nodes: "node_count",
        procs: "process_count_per_node",
      }),
    );
    const convert = (...extra: string[]) =>
      JSON.parse(
        runCli(["convert", steps, "--key-map", keyMap, "--format", "json", ...extra], { cwd: dir })
          .stdout,
      ).files[0].steps as Array<{ name: string; status: string; diagnostics: any[] }>;
    expect(convert().map((s) => s.status)).toEqual(["invalid", "invalid"]);

    const one = convert("--set", "train:compute_target=gpu-big");
    expect(one.map((s) => s.status)).toEqual(["converted", "invalid"]);
    expect(one[0]!.diagnostics).toContainEqual(
      expect.objectContaining({
        code: "MPI047",
        severity: "info",
        message: 'compute_target is "gpu-big", supplied by --set train:compute_target=gpu-big',
      }),
    );

    const out = path.join(dir, "out");
    const all = convert("--set", "compute_target=cpu", "--set", "node_count=3", "--out-dir", out);
    expect(all.map((s) => s.status)).toEqual(["converted", "converted"]);
    // The source gives node_count: --set does not override it, and says so.
    expect(all[0]!.diagnostics).toContainEqual(
      expect.objectContaining({ code: "MPI047", severity: "warning" }),
    );
    const job = parse(readFileSync(path.join(out, "steps", "train.job.yaml"), "utf8"));
    expect(job.compute).toBe("azureml:cpu");
    expect(job.resources.instance_count).toBe(2);

    const bad = runCli(["check", steps, "--set", "cluster=gpu"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "mpistep-migrate: --set cluster=gpu: 'cluster' is not an MpiStep parameter\n",
    );
  });
});
