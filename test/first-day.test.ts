// What a newcomer hits on the first day: honest exit codes, nothing overwritten silently,
// interrupts and closed pipes handled, plain messages (each through the built CLI).

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CLI, FIXTURES, firstReplaced, ROOT, runCli, scratch, startCli } from "./helpers.js";

const STEP = {
  name: "train",
  source_directory: "src",
  script_name: "train.py",
  arguments: ["--epochs", 3],
  compute_target: "gpu-cluster",
  node_count: 2,
  process_count_per_node: 4,
};

function write(dir: string, file: string, content: string): string {
  const full = path.join(dir, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
  return full;
}

const json = (result: { stdout: string }) => JSON.parse(result.stdout);

describe("exit codes that hide no work", () => {
  it("a folder walk reads untyped JSON step files and counts the JSON files it skips", () => {
    const dir = scratch();
    write(dir, "steps/train.json", JSON.stringify(STEP));
    write(dir, "package.json", JSON.stringify({ name: "web", scripts: { build: "tsc" } }));
    write(dir, "config/other.json", JSON.stringify({ script_name: "x.py" }));
    const result = runCli(["check", dir, "--format", "json"]);
    expect(result.code).toBe(1);
    const report = json(result);
    expect(report.summary.steps).toBe(1);
    expect(report.files.map((f: any) => path.basename(f.path))).toEqual(["train.json"]);
    expect(report.summary.skippedJson).toBe(2);
    expect(runCli(["check", dir]).stdout).toContain(
      "2 JSON files without step definitions skipped",
    );
  });

  it("a folder walk does not take the tool's own schema or a key map for step definitions", () => {
    const dir = scratch();
    write(dir, "steps/train.json", JSON.stringify(STEP));
    write(
      dir,
      "schema/step-definitions.schema.json",
      readFileSync(path.join(ROOT, "schema", "step-definitions.schema.json"), "utf8"),
    );
    write(dir, "key-map.json", readFileSync(path.join(FIXTURES, "json", "key-map.json"), "utf8"));
    for (const args of [[], ["--key-map", path.join(dir, "key-map.json")]]) {
      const result = runCli(["check", dir, "--format", "json", ...args]);
      expect(result.code, result.stdout).toBe(1);
      const report = json(result);
      expect(report.files.map((f: any) => path.basename(f.path))).toEqual(["train.json"]);
      expect(report.summary).toMatchObject({ steps: 1, errors: 0, skippedJson: 2 });
    }
  });

  it("standard input is read as a notebook or JSON by --stdin-filename, else by content", () => {
    const notebook = readFileSync(path.join(FIXTURES, "python/notebooks/train.ipynb"), "utf8");
    for (const args of [["--stdin-filename", "nb.ipynb"], []]) {
      const result = runCli(["check", "-", ...args, "--format", "json"], { input: notebook });
      expect(result.code, args.join(" ")).toBe(1);
      expect(json(result).files[0].steps[0]).toMatchObject({
        name: "nb-train",
        cell: { index: 6, line: 1 },
      });
    }
    const steps = JSON.stringify({ type: "MpiStep", ...STEP });
    for (const args of [["--stdin-filename", "steps.json"], []]) {
      const result = runCli(["check", "-", ...args, "--format", "json"], { input: steps });
      expect(result.code, args.join(" ")).toBe(1);
      expect(json(result).summary.steps).toBe(1);
    }
    const python = readFileSync(path.join(FIXTURES, "python/pipelines/scoring.py"), "utf8");
    expect(json(runCli(["check", "-", "--format", "json"], { input: python })).summary.steps).toBe(
      1,
    );
  });

  it("convert - --write prints the rewritten source and writes no file", () => {
    const dir = scratch();
    const python = readFileSync(path.join(FIXTURES, "python/legacy/crlf_module.py"), "utf8");
    const result = runCli(["convert", "-", "--write"], { input: python, cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("CommandStep(");
    expect(readdirSync(dir)).toEqual([]);
    // JSON step definitions: the generated job and conda file are printed, not written.
    for (const target of ["job-yaml", "pipeline-yaml", "sdk-v2"]) {
      const json = runCli(["convert", "-", "--write", "--target", target], {
        input: JSON.stringify(STEP),
        cwd: dir,
      });
      expect(json.code, json.stderr).toBe(0);
      expect(json.stdout).toMatch(/^# ---- .*stdin/m);
      expect(json.stdout).toContain("python train.py --epochs 3");
      expect(readdirSync(dir), target).toEqual([]);
    }
  });

  it("a TODO in the output makes the step manual and the run exit 1, in every format", () => {
    const dir = scratch();
    // v2 always runs in a container: use_docker=False is a TODO (MPI017).
    const file = write(
      dir,
      "steps.json",
      JSON.stringify({
        type: "MpiStep",
        ...STEP,
        use_docker: false,
      }),
    );
    for (const format of ["text", "json", "markdown", "sarif"]) {
      const report = path.join(dir, `report.${format}`);
      const result = runCli(["convert", file, "--format", format, "--report", report]);
      expect(result.code, format).toBe(1);
      const text = readFileSync(report, "utf8");
      if (format === "json")
        expect(JSON.parse(text).summary).toMatchObject({ manual: 1, converted: 0 });
      else if (format === "sarif")
        expect(text).toContain("converted to job-yaml, with manual work left");
      else if (format === "markdown") expect(text).toMatch(/\| `train` \| \d+ \| manual \|/);
      else
        expect(text).toMatch(
          /:\d+:\d+: MPI000 deprecated MpiStep 'train': converted to job-yaml, with manual work left$/m,
        );
    }
  });

  it("pipeline outputs name the steps of the source pipeline they leave out", () => {
    // A ParallelRunStep consumes the MpiStep's model: a type the tool does not convert.
    const file = path.join(FIXTURES, "python/whole/batch_scoring.py");
    for (const target of ["pipeline-yaml", "sdk-v2"]) {
      const result = runCli(["convert", file, "--target", target]);
      expect(result.stdout, target).toMatch(
        /TODO\(mpistep-migrate MPI041\): step 'score batches' \(ParallelRunStep\) of the source pipeline is not converted; it reads 'model' and writes 'scores'/,
      );
      expect(result.stderr).toMatch(/MPI041 step 'score batches'/);
      // The MpiStep converts, but its pipeline does not: it is manual, and the run exits 1.
      expect(result.stderr).toMatch(/0 converted, 1 need manual work/);
      expect(result.code).toBe(1);
    }
  });

  it("--exit-zero exits 0 when steps are found, and still 2 on errors", () => {
    const file = path.join(FIXTURES, "json/train-steps.json");
    expect(runCli(["check", file]).code).toBe(1);
    const dir = scratch();
    const sarif = runCli([
      "check",
      file,
      "--format",
      "sarif",
      "--report",
      path.join(dir, "x.sarif"),
      "--exit-zero",
    ]);
    expect(sarif.code).toBe(0);
    expect(
      JSON.parse(readFileSync(path.join(dir, "x.sarif"), "utf8")).runs[0].results.length,
    ).toBeGreaterThan(0);
    expect(runCli(["check", path.join(FIXTURES, "malformed.json"), "--exit-zero"]).code).toBe(2);
  });
});

describe("nothing overwritten silently", () => {
  it("two inputs that would write the same output: nothing is written, exit 2", () => {
    const dir = scratch();
    const a = write(dir, "a/pipe.json", JSON.stringify({ type: "MpiStep", ...STEP }));
    const b = write(
      dir,
      "b/pipe.json",
      JSON.stringify({ type: "MpiStep", ...STEP, node_count: 4 }),
    );
    const out = path.join(dir, "out");
    const result = runCli(["convert", a, b, "--out-dir", out]);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(
      /MPI035 .*out\/pipe\/.*would also be written for/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("a generated file edited by hand is kept with a warning unless --force; an unchanged one is left alone", () => {
    const dir = scratch();
    const file = write(dir, "steps.json", JSON.stringify({ type: "MpiStep", ...STEP }));
    const job = path.join(dir, "steps", "train.job.yaml");
    expect(runCli(["convert", file, "--write"]).code).toBe(0);
    const generated = readFileSync(job, "utf8");
    const inode = statSync(job).ino;
    // A second run finds its own outputs as it would write them: it leaves them, and says so.
    const again = runCli(["convert", file, "--write"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/0 files written, 2 unchanged/);
    expect(statSync(job).ino).toBe(inode);
    // Filling in the output by hand (what its TODOs ask) is work the user owns: the next
    // run keeps it, warns, and exits 1, not 2.
    const edited = generated.replace("instance_count: 2", "instance_count: 8");
    writeFileSync(job, edited);
    const kept = runCli(["convert", file, "--write"]);
    expect(kept.code).toBe(1);
    expect(kept.stderr).toMatch(
      /^\S*steps\/train\.job\.yaml:1:1: MPI034 edited since mpistep-migrate generated it/m,
    );
    expect(readFileSync(job, "utf8")).toBe(edited);
    expect(runCli(["convert", file, "--write", "--force"]).code).toBe(0);
    expect(readFileSync(job, "utf8")).toBe(generated);
  });
});

describe("outputs of a step no longer in the source", () => {
  it("are reported at each file and kept, until --write --force removes them; other outputs are left alone", () => {
    const dir = scratch();
    const file = write(dir, "steps.json", JSON.stringify({ type: "MpiStep", ...STEP }));
    const outputs = () => readdirSync(path.join(dir, "steps")).sort();
    expect(runCli(["convert", file, "--target", "pipeline-yaml", "--write"]).code).toBe(0);
    // The conda file both targets name alike is now job-yaml's.
    expect(runCli(["convert", file, "--write"]).code).toBe(0);
    const first = outputs();
    expect(first).toEqual(["pipeline.yaml", "train.conda.yaml", "train.job.yaml"]);
    // A hand edit of the old job (its TODOs filled in) is news the stale finding carries.
    const job = path.join(dir, "steps", "train.job.yaml");
    writeFileSync(job, readFileSync(job, "utf8").replace("instance_count: 2", "instance_count: 3"));
    write(dir, "steps.json", JSON.stringify({ type: "MpiStep", ...STEP, name: "fit" }));

    const dry = runCli(["convert", file]);
    expect(dry.code).toBe(1);
    const stale = (result: { stderr: string }) =>
      result.stderr.split("\n").filter((line) => / MPI048 /.test(line));
    expect(stale(dry)).toEqual([
      expect.stringMatching(
        /^\S*steps\/train\.conda\.yaml:1:1: MPI048 stale: generated from \S*steps\.json by --target job-yaml, .*--write --force/,
      ),
      expect.stringMatching(
        /^\S*steps\/train\.job\.yaml:1:1: MPI048 stale: .*\(edited since it was generated/,
      ),
    ]);
    const kept = runCli(["convert", file, "--write"]);
    expect(kept.code).toBe(1);
    expect(stale(kept)).toHaveLength(2);
    expect(kept.stderr).toMatch(/^next: .*--write --force` removes the stale outputs/m);
    expect(outputs()).toEqual([...first, "fit.conda.yaml", "fit.job.yaml"].sort());

    // A broken input says nothing of its outputs, and --force removes none.
    writeFileSync(file, '{"type": "MpiStep",');
    const broken = runCli(["convert", file, "--write", "--force"]);
    expect(broken.code).toBe(2);
    expect(stale(broken)).toEqual([]);
    expect(outputs()).toEqual([...first, "fit.conda.yaml", "fit.job.yaml"].sort());

    write(dir, "steps.json", JSON.stringify({ type: "MpiStep", ...STEP, name: "fit" }));
    const forced = runCli(["convert", file, "--write", "--force", "--exit-non-zero-on-write"]);
    expect(forced.code, "a removal is a change the hook must show").toBe(1);
    expect(stale(forced)).toEqual([
      expect.stringMatching(/train\.conda\.yaml:1:1: MPI048 removed \(--force\)/),
      expect.stringMatching(/train\.job\.yaml:1:1: MPI048 removed \(--force\)/),
    ]);
    expect(forced.stderr).toMatch(/0 files written, 2 unchanged, 2 stale removed/);
    // pipeline-yaml's output is another target's: no job-yaml run claims it.
    expect(outputs()).toEqual(["fit.conda.yaml", "fit.job.yaml", "pipeline.yaml"]);
    const after = runCli(["convert", file, "--write"]);
    expect([after.code, stale(after)]).toEqual([0, []]);
  });
});

describe("conda files pin the Python MpiStep's environment used", () => {
  it("3.8.13 (newest SDK default) or 3.6.2 (legacy), or --python-version", () => {
    const file = path.join(FIXTURES, "json/train-steps.json");
    const conda = (args: string[]) => {
      const out = scratch();
      runCli(["convert", file, "--out-dir", out, ...args]);
      return parse(readFileSync(path.join(out, "train-steps", "train.conda.yaml"), "utf8"))
        .dependencies[0];
    };
    expect(conda([])).toBe("python=3.8.13");
    expect(conda(["--default-images", "legacy"])).toBe("python=3.6.2");
    expect(conda(["--python-version", "3.10"])).toBe("python=3.10");
    expect(runCli(["convert", file, "--python-version", "banana"]).code).toBe(2);
  });
});

describe("interrupts, pipes and messages", () => {
  for (const [signal, exit] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const)
    it(`${signal} during convert --write leaves every file old or new and lists what was written`, async () => {
      const dir = scratch();
      const source = readFileSync(path.join(FIXTURES, "python/legacy/crlf_module.py"), "utf8");
      const files = Array.from({ length: 400 }, (_, i) =>
        write(dir, `m${String(i).padStart(3, "0")}.py`, source.replace("legacy", `legacy_${i}`)),
      );
      // The signal goes when the first file has been replaced: no guess at how long the
      // run takes to get there.
      const firstWrite = firstReplaced(dir, /^m\d+\.py$/);
      const { child, ended } = startCli(["convert", dir, "--write", "--jobs", "1"]);
      await firstWrite;
      child.kill(signal);
      const { code, stderr } = await ended;
      expect(code, stderr).toBe(exit);
      expect(stderr).toMatch(new RegExp(`interrupted \\(${signal}\\); \\d+ files? written`));
      const listed = new Set(
        stderr
          .split("\n")
          .filter((line) => line.startsWith("  /"))
          .map((line) => line.trim()),
      );
      let changed = 0;
      for (const file of files) {
        const text = readFileSync(file, "utf8");
        const original = source.replace("legacy", `legacy_${files.indexOf(file)}`);
        if (text === original) expect(listed.has(file), file).toBe(false);
        else {
          changed++;
          expect(listed.has(file), file).toBe(true);
          expect(text).toContain("CommandStep(");
        }
      }
      expect(changed).toBe(listed.size);
      expect(changed).toBeGreaterThan(0);
      expect(changed).toBeLessThan(files.length);
      // No temporary file is left behind.
      expect(readdirSync(dir).filter((name) => !/^m\d+\.py$/.test(name))).toEqual([]);
    }, 60_000);

  it("a closed pipe keeps the exit code the findings call for", () => {
    // check finds steps (exit 1) and has more to say than a pipe holds; the reader takes
    // a few bytes and closes the pipe. bash reports the command's own exit code.
    const dir = scratch();
    const source = readFileSync(path.join(FIXTURES, "python/legacy/crlf_module.py"), "utf8");
    for (let i = 0; i < 100; i++) write(dir, `m${i}.py`, source);
    const result = spawnSync(
      "bash",
      [
        "-c",
        `"${process.execPath}" "${CLI}" check "${dir}" --format sarif | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`,
      ],
      { encoding: "utf8" },
    );
    expect(result.stdout.trim(), result.stderr).toBe("1");
    expect(result.stderr).not.toMatch(/EPIPE|internal error/);
  });

  it("a closed pipe ends the run quietly", () => {
    for (const command of [
      `"${process.execPath}" "${CLI}" explain | head -1`,
      `"${process.execPath}" "${CLI}" convert ${path.join(FIXTURES, "json")} | head -2`,
    ]) {
      const result = spawnSync("sh", ["-c", command], { encoding: "utf8" });
      expect(result.stderr, command).not.toMatch(/EPIPE|Error:|\n\s+at .*:\d+:\d+/);
      expect(result.stdout.split("\n").length).toBeLessThanOrEqual(3);
    }
  });

  it("waits for a full pipe that its reader left non-blocking, losing nothing", () => {
    // CPython makes the pipe, leaves the command's end non-blocking and reads nothing
    // until the command has filled it (SARIF for the fixtures is over 64 KiB).
    const harness = [
      "import os, subprocess, sys, time",
      "r, w = os.pipe()",
      "os.set_blocking(w, False)",
      "child = subprocess.Popen(sys.argv[1:], stdout=w)",
      "os.close(w)",
      "time.sleep(1)",
      "out = b''",
      "while chunk := os.read(r, 65536): out += chunk",
      "sys.stdout.buffer.write(out)",
      "sys.exit(child.wait())",
    ].join("\n");
    const args = ["check", FIXTURES, "--format", "sarif"];
    const direct = runCli(args);
    expect(direct.stdout.length).toBeGreaterThan(65536);
    const throughPipe = spawnSync("python3", ["-c", harness, process.execPath, CLI, ...args], {
      encoding: "utf8",
      maxBuffer: 1 << 24,
    });
    expect(throughPipe.stderr).toBe("");
    expect(throughPipe.status).toBe(direct.code);
    expect(throughPipe.stdout).toBe(direct.stdout);
  });

  it("says in plain words what is wrong with a path", () => {
    const missingFolder = runCli([
      "check",
      "fixtures/json/train-steps.json",
      "--format",
      "sarif",
      "--report",
      "/nonexistent/dir/x.sarif",
    ]);
    expect(missingFolder.code).toBe(2);
    expect(missingFolder.stderr).toContain(
      "--report /nonexistent/dir/x.sarif: the folder /nonexistent/dir does not exist",
    );
    const missingFile = runCli(["check", "no/such/file.py"]);
    expect(missingFile.code).toBe(2);
    expect(missingFile.stdout).toContain(
      "no/such/file.py:1:1: MPI031 cannot read: no such file or folder (ENOENT)",
    );
  });
});
