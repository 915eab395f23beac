// Whole-tree runs: discovery rules, skipped files that do not fail the run, the worker
// pool giving the same answer as one thread, deterministic order, and progress output.

import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI, FIXTURES, runCli, scratch } from "../helpers.js";

const STEP = (name: string) =>
  `from azureml.pipeline.steps import MpiStep\n${name} = MpiStep(name="${name}", source_directory="src", script_name="t.py", arguments=[], compute_target="c", node_count=1, process_count_per_node=1)\n`;

function write(root: string, file: string, text: string | Buffer) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

describe("discovery over a mixed tree", () => {
  let root: string;
  beforeAll(() => {
    root = scratch();
    write(root, "app/train.py", STEP("kept"));
    write(root, "app/unrelated.py", "print('no step here')\n");
    write(root, "app/notes.md", "MpiStep is mentioned here\n");
    copyFileSync(
      path.join(FIXTURES, "python/notebooks/train.ipynb"),
      path.join(root, "app/train.ipynb"),
    );
    copyFileSync(path.join(FIXTURES, "json/train-steps.json"), path.join(root, "app/steps.json"));
    write(
      root,
      "app/package.json",
      JSON.stringify({ name: "web", version: "1.0.0", description: "mentions MpiStep" }),
    );
    write(root, "app/untyped.json", JSON.stringify({ name: "x", script_name: "MpiStep.py" }));
    write(root, ".gitignore", "build/\n*.generated.py\n");
    write(root, "build/out.py", STEP("ignored_by_gitignore"));
    write(root, "app/x.generated.py", STEP("ignored_by_pattern"));
    write(root, "node_modules/pkg/a.py", STEP("in_node_modules"));
    write(root, "lib/python3.11/site-packages/m.py", STEP("in_site_packages"));
    write(root, "env/pyvenv.cfg", "home = /usr\n");
    write(root, "env/lib/m.py", STEP("in_virtualenv"));
    write(root, "vendor/v.py", STEP("excluded"));
    write(root, "linked-target/l.py", STEP("only_through_symlink"));
    symlinkSync(path.join(root, "linked-target"), path.join(root, "app/linked"));
    write(
      root,
      "app/binary.py",
      Buffer.concat([Buffer.from("MpiStep"), Buffer.alloc(16), Buffer.from([0xff, 0xfe])]),
    );
    write(root, "app/latin.py", Buffer.from("# MpiStep \xe9\xe9\n", "latin1"));
  });

  it("finds every step and only those, reporting skipped files without failing", () => {
    const result = runCli([
      "check",
      root,
      "--exclude",
      "vendor/",
      "--exclude",
      "linked-target",
      "--format",
      "json",
    ]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    const names = report.files.flatMap((f: any) => f.steps.map((s: any) => s.name));
    expect(names.sort()).toEqual(["kept", "nb-train", "train"]);
    const byPath = Object.fromEntries(report.files.map((f: any) => [path.basename(f.path), f]));
    expect(Object.keys(byPath).sort()).toEqual([
      "binary.py",
      "latin.py",
      "steps.json",
      "train.ipynb",
      "train.py",
    ]);
    expect(byPath["binary.py"].diagnostics[0]).toMatchObject({
      code: "MPI031",
      message: expect.stringContaining("binary"),
    });
    expect(byPath["latin.py"].diagnostics[0]).toMatchObject({
      code: "MPI031",
      message: expect.stringContaining("UTF-8"),
    });
    expect(report.summary.errors).toBe(0);
  });

  it("reads a JSON file named on the command line as step definitions, unless --typed-json-only", () => {
    const named = runCli(["check", path.join(root, "app/untyped.json"), "--format", "json"]);
    expect(JSON.parse(named.stdout).summary.steps).toBe(1);
    const hook = runCli([
      "check",
      path.join(root, "app/untyped.json"),
      path.join(root, "app/package.json"),
      "--typed-json-only",
    ]);
    expect(hook.code).toBe(0);
  });

  it("reads a file larger than the first read buffer whole", () => {
    const dir = scratch();
    // 300 KB of comments, then the step: past the 128 KiB buffer reads start in.
    write(dir, "long.py", `${"# filler line\n".repeat(24_000)}${STEP("at_the_end")}`);
    const report = JSON.parse(runCli(["check", dir, "--format", "json"]).stdout);
    expect(report.files[0].steps.map((s: any) => s.name)).toEqual(["at_the_end"]);
  });

  it("skips files over the size limit without failing", () => {
    const dir = scratch();
    write(dir, "big.py", STEP("big") + "#".repeat(2 * 1024 * 1024));
    const result = runCli(["check", dir, "--max-file-size", "1", "--format", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).files[0].diagnostics[0].message).toContain(
      "larger than the 1 MiB limit",
    );
  });
});

describe("parallel runs", () => {
  /** Every file under `dir` with its text, by relative path. */
  const contents = (dir: string): Record<string, string> =>
    Object.fromEntries(
      (readdirSync(dir, { recursive: true }) as string[])
        .filter((name) => statSync(path.join(dir, name)).isFile())
        .sort()
        .map((name) => [name, readFileSync(path.join(dir, name), "utf8")]),
    );

  it("give the same report and outputs with one thread and with workers, in path order", () => {
    const root = scratch();
    for (let i = 0; i < 400; i++)
      write(
        root,
        `pkg${i % 7}/m${String(i).padStart(3, "0")}.py`,
        i % 9 === 0 ? STEP(`s${i}`) : `x = ${i}\n`,
      );
    // Late in the walk, where workers take files: a file tree-sitter misreads (CPython's
    // outline takes over), one with a syntax error, a notebook and JSON step definitions.
    write(
      root,
      "zz/misread.py",
      `${STEP("outside")}def misread():\n    if 1:\n        x = (foo.\nbar)\n`,
    );
    write(root, "zz/broken.py", `${STEP("broken")}def f(:\n`);
    copyFileSync(
      path.join(FIXTURES, "python/notebooks/train.ipynb"),
      path.join(root, "zz/nb.ipynb"),
    );
    copyFileSync(path.join(FIXTURES, "json/train-steps.json"), path.join(root, "zz/steps.json"));
    const one = runCli(["check", root, "--jobs", "1", "--format", "json"]);
    const two = runCli(["check", root, "--jobs", "2", "--format", "json"]);
    expect(one.code).toBe(2); // the broken file
    expect(two.stdout).toBe(one.stdout);
    const report = JSON.parse(two.stdout);
    expect(report.summary).toMatchObject({ files: 404, errors: 1 });
    expect(report.summary.steps).toBeGreaterThan(47);
    const paths = report.files.map((f: any) => f.path);
    expect(paths).toEqual([...paths].sort());
    const out = path.join(scratch(), "out");
    const convert = (jobs: string) => {
      rmSync(out, { recursive: true, force: true });
      const result = runCli([
        "convert",
        root,
        "--out-dir",
        out,
        "--jobs",
        jobs,
        "--format",
        "json",
      ]);
      return { report: result.stdout, files: contents(out) };
    };
    const convertedOne = convert("1");
    expect(Object.keys(convertedOne.files).length).toBeGreaterThan(45);
    expect(convert("2")).toEqual(convertedOne);
  });
});

describe("progress", () => {
  const tree = () => {
    const root = scratch();
    for (let i = 0; i < 30; i++) write(root, `m${i}.py`, "x = 1\n");
    return root;
  };

  it("shows a progress line on a terminal, and none with --quiet or without a terminal", () => {
    const root = tree();
    const tty = spawnSync(
      "script",
      ["-qec", `${process.execPath} ${CLI} check ${root}`, "/dev/null"],
      { encoding: "utf8" },
    );
    expect(tty.stdout).toContain("with MpiStep");
    const quiet = spawnSync(
      "script",
      ["-qec", `${process.execPath} ${CLI} check ${root} --quiet`, "/dev/null"],
      { encoding: "utf8" },
    );
    expect(quiet.stdout).not.toContain("with MpiStep");
    const piped = runCli(["check", root]);
    expect(piped.stderr).not.toContain("with MpiStep");
  });
});
