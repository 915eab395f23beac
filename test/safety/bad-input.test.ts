// Bad input: each case gets a clear message naming the file, never a stack trace, and
// nothing is mangled.

import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CLI, cpythonParses, runCli, scratch } from "../helpers.js";

const CALL = `MpiStep(name="x", source_directory="src", script_name="t.py", arguments=["--a"], compute_target="c", node_count=1, process_count_per_node=1, use_gpu=True)`;
const MODULE = `from azureml.pipeline.steps import MpiStep\nstep = ${CALL}\n`;

function noStackTrace(result: { stdout: string; stderr: string }) {
  expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  expect(result.stderr).not.toContain("internal error");
}

describe("bad input", () => {
  it("a syntax error next to an MpiStep call: convert --write exits 2 and leaves the file byte-identical", () => {
    const dir = scratch();
    const file = path.join(dir, "broken.py");
    const text = `${MODULE}def oops(:\n    pass\n`;
    writeFileSync(file, text);
    const result = runCli(["convert", file, "--write"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.py:3:\d+: MPI030 syntax error/);
    expect(readFileSync(file, "utf8")).toBe(text);
    noStackTrace(result);
  });

  it("calls CPython rejects but tree-sitter accepts are syntax errors too", () => {
    const dir = scratch();
    writeFileSync(
      path.join(dir, "a.py"),
      `from azureml.pipeline.steps import MpiStep\nMpiStep(name="x", "src")\n`,
    );
    writeFileSync(
      path.join(dir, "b.py"),
      `from azureml.pipeline.steps import MpiStep\nMpiStep(name="x", name="y")\n`,
    );
    const result = runCli(["convert", dir, "--write"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "a.py:2:19: MPI030 syntax error: positional argument follows keyword argument",
    );
    expect(result.stderr).toContain(
      "b.py:2:19: MPI030 syntax error: keyword argument repeated: name",
    );
  });

  it("what tree-sitter accepts but CPython rejects is not rewritten (CPython gives a second opinion)", () => {
    const dir = scratch();
    const file = path.join(dir, "lenient.py");
    const text = `${MODULE}report(total=1, 2)\n`;
    writeFileSync(file, text);
    const result = runCli(["convert", file, "--write"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /lenient\.py:3:1: MPI030 CPython rejects this file: positional argument follows keyword argument; not rewritten/,
    );
    expect(readFileSync(file, "utf8")).toBe(text);
    // Without python3 the tool still runs, on tree-sitter's word alone.
    const alone = spawnSync(process.execPath, [CLI, "convert", file], {
      encoding: "utf8",
      env: { ...process.env, MPISTEP_MIGRATE_PYTHON: "/nonexistent/python3" },
    });
    expect(alone.status).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("each file is judged by CPython on its own: one that makes ast.parse fail never switches the check off for the others", () => {
    const dir = scratch();
    // A 100,000-long attribute chain: CPython raises RecursionError on it.
    writeFileSync(path.join(dir, "deep.py"), `${MODULE}x = a${".b".repeat(100_000)}\n`);
    // Python 2: tree-sitter's grammar still has the print statement, CPython does not.
    writeFileSync(path.join(dir, "py2.py"), `${MODULE}print "hello"\n`);
    // A BOM with a latin-1 declaration: CPython refuses to read the file at all.
    const bom = Buffer.from(`\ufeff# -*- coding: latin-1 -*-\n${MODULE}`, "utf8");
    writeFileSync(path.join(dir, "bom.py"), bom);
    writeFileSync(path.join(dir, "fine.py"), MODULE);
    // Large files go to CPython as soon as they are read (judgeEarly): the same verdicts.
    const list = `x = [${Array.from({ length: 60_000 }, (_, i) => i).join(", ")}]\n`;
    writeFileSync(path.join(dir, "large_py2.py"), `${MODULE}${list}print "hello"\n`);
    writeFileSync(path.join(dir, "large.py"), `${MODULE}${list}`);
    const result = runCli(["convert", dir, "--write", "--format", "json"]);
    expect(result.code).toBe(2);
    const errors = Object.fromEntries(
      JSON.parse(result.stdout).files.map((f: any) => [
        path.basename(f.path),
        f.diagnostics.filter((d: any) => d.code === "MPI030").map((d: any) => d.message),
      ]),
    );
    expect(errors["deep.py"]).toEqual([
      expect.stringMatching(/CPython rejects this file: RecursionError/),
    ]);
    expect(errors["py2.py"]).toEqual([
      expect.stringMatching(/CPython rejects this file: Missing parentheses/),
    ]);
    expect(errors["bom.py"]).toEqual([
      expect.stringMatching(/CPython rejects this file: encoding problem/),
    ]);
    expect(errors["fine.py"]).toEqual([]);
    expect(errors["large_py2.py"]).toEqual([
      expect.stringMatching(/CPython rejects this file: Missing parentheses/),
    ]);
    expect(errors["large.py"]).toEqual([]);
    expect(readFileSync(path.join(dir, "large_py2.py"), "utf8")).toContain("MpiStep(");
    expect(readFileSync(path.join(dir, "large.py"), "utf8")).toContain("CommandStep(");
    expect(readFileSync(path.join(dir, "py2.py"), "utf8")).toContain("MpiStep(");
    expect(readFileSync(path.join(dir, "bom.py")).equals(bom)).toBe(true);
    expect(readFileSync(path.join(dir, "deep.py"), "utf8")).toContain("MpiStep(");
    expect(readFileSync(path.join(dir, "fine.py"), "utf8")).toContain("CommandStep(");
    noStackTrace(result);
  });

  it("control characters in file and step names reach the terminal escaped", () => {
    const dir = scratch();
    const hostile = "\x1b]0;owned\x07\x1b[2J\u202e";
    writeFileSync(
      path.join(dir, `evil${hostile}.py`),
      MODULE.replace(
        'name="x"',
        `name="step${hostile.replace(/\x1b/g, "\\x1b").replace(/\x07/g, "\\x07")}"`,
      ),
    );
    for (const args of [
      ["check", dir],
      ["convert", dir],
      ["convert", dir, "--write"],
    ]) {
      const result = runCli(args);
      const shown = result.stdout + result.stderr;
      expect(shown, args.join(" ")).toMatch(/evil\\x1b\]0;owned\\x07\\x1b\[2J\\u202e\.py/);
      expect(shown).toMatch(/'step\\x1b\]0;owned\\x07/);
      // The diff shows the file's own text (here with a raw U+202E inside a string); its
      // header and every report line hold no raw control.
      expect(shown.replace(/^[-+ ].*"step.*$/gm, "")).not.toMatch(/[\x1b\x07\u202e]/);
    }
  });

  it("JSON nested thousands deep is one file's finding, and the run goes on", () => {
    const dir = scratch();
    const nested = (depth: number) =>
      `{"script_name": "t.py", "node_count": 1, "arguments": ${"[".repeat(depth)}${"]".repeat(depth)}}`;
    writeFileSync(path.join(dir, "deep.json"), nested(3_000));
    writeFileSync(path.join(dir, "deeper.json"), nested(200_000));
    writeFileSync(
      path.join(dir, "train.json"),
      JSON.stringify({
        type: "MpiStep",
        ...JSON.parse(
          `{"name": "t", "source_directory": "src", "script_name": "t.py", "arguments": [], "compute_target": "c", "node_count": 1, "process_count_per_node": 1}`,
        ),
      }),
    );
    for (const extra of [[], ["--typed-json-only"]]) {
      const result = runCli(["check", dir, "--format", "json", ...extra]);
      noStackTrace(result);
      const report = JSON.parse(result.stdout);
      expect(report.files.map((f: any) => path.basename(f.path))).toContain("train.json");
      // The file too deep to read is an error of its own (exit 2); the others are read.
      expect(result.code).toBe(2);
      const deeper = report.files.find((f: any) => f.path.endsWith("deeper.json"));
      expect(deeper.diagnostics.map((d: any) => d.code)).toEqual(["MPI031"]);
      const train = report.files.find((f: any) => f.path.endsWith("train.json"));
      expect(train.steps).toHaveLength(1);
    }
    // A value nested deeper than the tool reads is opaque, and quoted short.
    const deep = JSON.parse(
      runCli(["check", path.join(dir, "deep.json"), "--format", "json"]).stdout,
    );
    const unreadable = deep.files[0].steps[0].diagnostics.find((d: any) => d.code === "MPI014");
    expect(unreadable.message.length).toBeLessThan(400);
  });

  it("a latin-1 file is read and written back in latin-1", () => {
    const dir = scratch();
    const file = path.join(dir, "legacy.py");
    const original = Buffer.from(
      `# -*- coding: latin-1 -*-\n# r\xe9sum\xe9 of the step\n${MODULE}label = "caf\xe9"\n`,
      "latin1",
    );
    writeFileSync(file, original);
    expect(runCli(["convert", file, "--write"]).code).toBe(0);
    const bytes = readFileSync(file);
    const text = bytes.toString("latin1");
    expect(text).toContain("CommandStep(");
    expect(text).toContain('label = "caf\xe9"');
    expect(bytes.includes(Buffer.from([0xc3, 0xa9]))).toBe(false); // no UTF-8 é
    expect(bytes.subarray(0, 60)).toEqual(original.subarray(0, 60));
  });

  it("UTF-8 with a BOM keeps its BOM", () => {
    const dir = scratch();
    const file = path.join(dir, "bom.py");
    writeFileSync(
      file,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${MODULE}# ünïcode\n`)]),
    );
    expect(runCli(["convert", file, "--write"]).code).toBe(0);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString("utf8")).toContain("CommandStep(");
    expect(bytes.subarray(3).toString("utf8")).toContain("# ünïcode");
  });

  it("mixed line endings and tab indentation stay valid and untouched outside the edit", () => {
    const dir = scratch();
    const file = path.join(dir, "mixed.py");
    const text = `from azureml.pipeline.steps import MpiStep\r\nimport os\n\ndef build():\n\tif True:\n\t\tstep = ${CALL}\n\t\treturn step\r\n`;
    writeFileSync(file, text);
    expect(runCli(["convert", file, "--write"]).code).toBe(0);
    const after = readFileSync(file, "utf8");
    expect(cpythonParses(after)).toMatchObject({ ok: true });
    expect(after).toContain("\t\tx_env = Environment(");
    expect(after).toContain("import os\n\ndef build():\n\tif True:\n");
    expect(after.endsWith("\t\treturn step\r\n")).toBe(true);
  });

  it("empty files: a .py is skipped quietly, an empty JSON named on the command line is an error", () => {
    const dir = scratch();
    writeFileSync(path.join(dir, "empty.py"), "");
    writeFileSync(path.join(dir, "empty.json"), "");
    expect(runCli(["check", path.join(dir, "empty.py")]).code).toBe(0);
    const json = runCli(["check", path.join(dir, "empty.json")]);
    expect(json.code).toBe(2);
    expect(json.stdout).toMatch(/empty\.json:1:1: MPI030 invalid JSON/);
  });

  it("a 50 MB file is reported and skipped", () => {
    const dir = scratch();
    const file = path.join(dir, "huge.py");
    writeFileSync(file, MODULE + "x = 1\n".repeat(9_000_000));
    expect(statSync(file).size).toBeGreaterThan(50_000_000);
    const result = runCli(["check", file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /huge\.py:1:1: MPI031 file is larger than the 10 MiB limit; skipped/,
    );
  });

  it("symlink loops end, and a looping link named directly is an error", () => {
    const dir = scratch();
    mkdirSync(path.join(dir, "a"));
    writeFileSync(path.join(dir, "a", "m.py"), MODULE);
    symlinkSync(path.join(dir, "a"), path.join(dir, "a", "again"));
    symlinkSync(path.join(dir, "self.py"), path.join(dir, "self.py"));
    const walked = runCli(["check", dir, "--format", "json"]);
    expect(JSON.parse(walked.stdout).summary.steps).toBe(1);
    const named = runCli(["check", path.join(dir, "self.py")]);
    expect(named.code).toBe(2);
    expect(named.stdout).toMatch(
      /self\.py:1:1: MPI031 cannot read: too many levels of symbolic links \(ELOOP\)/,
    );
    noStackTrace(named);
  });

  it("unreadable files and folders are reported by name", () => {
    const dir = scratch();
    chmodSync(dir, 0o755);
    mkdirSync(path.join(dir, "closed"));
    writeFileSync(path.join(dir, "closed", "m.py"), MODULE);
    writeFileSync(path.join(dir, "secret.py"), MODULE);
    chmodSync(path.join(dir, "closed"), 0o000);
    chmodSync(path.join(dir, "secret.py"), 0o000);
    // Root reads everything: run as nobody to see what a user sees, from a copy of the
    // bundle nobody can read wherever the clone lives.
    const tool = scratch();
    cpSync(path.dirname(CLI), tool, { recursive: true });
    chmodSync(tool, 0o755);
    const asUser =
      process.getuid?.() === 0
        ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", process.execPath]
        : [process.execPath];
    const result = spawnSync(
      asUser[0]!,
      [...asUser.slice(1), path.join(tool, "cli.cjs"), "check", dir],
      { encoding: "utf8" },
    );
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(
      /secret\.py:1:1: MPI031 cannot read: permission denied \(EACCES\)/,
    );
    expect(result.stdout).toMatch(
      /closed:1:1: MPI031 cannot read folder: permission denied \(EACCES\)/,
    );
    noStackTrace({ stdout: result.stdout, stderr: result.stderr });
  });

  it("notebooks with invalid JSON or an old nbformat are reported", () => {
    const dir = scratch();
    writeFileSync(path.join(dir, "bad.ipynb"), '{"cells": [MpiStep');
    writeFileSync(
      path.join(dir, "old.ipynb"),
      JSON.stringify({ nbformat: 3, worksheets: [{ cells: [{ input: "MpiStep()" }] }] }),
    );
    const result = runCli(["check", dir]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/bad\.ipynb:1:\d+: MPI030 invalid notebook JSON/);
    expect(result.stdout).toMatch(/old\.ipynb:1:1: MPI030 nbformat 3 notebooks are not supported/);
  });

  it("JSON: comments are accepted, duplicate keys and wrong types are reported, null counts as missing", () => {
    const dir = scratch();
    const step = {
      type: "MpiStep",
      name: "s",
      source_directory: "src",
      script_name: "t.py",
      arguments: [],
      compute_target: "c",
      node_count: 1,
      process_count_per_node: 1,
    };
    writeFileSync(
      path.join(dir, "comments.json"),
      `// exported from the pipeline registry\n${JSON.stringify(step)}\n`,
    );
    writeFileSync(path.join(dir, "dup.json"), '{"type": "MpiStep", "name": "a", "name": "b"}');
    writeFileSync(
      path.join(dir, "types.json"),
      JSON.stringify({ ...step, node_count: "two", arguments: null }),
    );
    expect(runCli(["check", path.join(dir, "comments.json"), "--format", "json"]).stdout).toContain(
      '"status": "converted"',
    );
    const dup = runCli(["check", path.join(dir, "dup.json")]);
    expect(dup.code).toBe(2);
    expect(dup.stdout).toMatch(/dup\.json:1:\d+: MPI030 duplicate key "name"/);
    const types = JSON.parse(
      runCli(["check", path.join(dir, "types.json"), "--format", "json"]).stdout,
    ).files[0].steps[0];
    expect(types.status).toBe("invalid");
    expect(types.diagnostics.map((d: any) => d.code)).toEqual(
      expect.arrayContaining(["MPI001", "MPI002"]),
    );
  });

  it("hostile step and output names never lead outside --out-dir", () => {
    const dir = scratch();
    const out = path.join(dir, "out");
    const step = {
      type: "MpiStep",
      name: "../../../../tmp/escape/ünï name",
      source_directory: "src",
      script_name: "t.py",
      arguments: [
        { output_dataset: "../../x y/é", datastore: "d", path: "p" },
        { pipeline_data: "home" },
      ],
      compute_target: "c",
      node_count: 1,
      process_count_per_node: 1,
    };
    writeFileSync(path.join(dir, "evil.json"), JSON.stringify(step));
    for (const target of ["job-yaml", "pipeline-yaml", "sdk-v2"]) {
      const result = runCli([
        "convert",
        path.join(dir, "evil.json"),
        "--target",
        target,
        "--out-dir",
        out,
        "--format",
        "json",
      ]);
      for (const output of JSON.parse(result.stdout).files[0].outputs)
        expect(path.resolve(output).startsWith(out + path.sep), output).toBe(true);
    }
    const job = parse(readFileSync(path.join(out, "evil", "tmp_escape_n_name.job.yaml"), "utf8"));
    expect(job.display_name).toBe("../../../../tmp/escape/ünï name");
    expect(Object.keys(job.outputs)).toEqual(["_x_y_"]);
    expect(Object.keys(job.inputs)).toEqual(["home_data"]);
  });
});
