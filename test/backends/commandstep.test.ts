// Target commandstep: converting the Python and notebook fixtures in place must give
// programs that do exactly what the originals did. The proof runs both versions under
// recording stand-ins for azureml (test/equivalence) that compute each step's effective
// run spec from the reference, independently of the converter, and compares them.

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { diffLines } from "diff";
import { beforeAll, describe, expect, it } from "vitest";
import {
  cpythonParses,
  FIXTURES,
  ROOT,
  runCli,
  scratch,
  type CliResult,
  notebookCode,
} from "../helpers.js";

const RUN_SPEC = path.join(ROOT, "test", "equivalence", "run_spec.py");
/** Fixtures that cannot run: a non-Azure MpiStep import, and a step MpiStep raises on. */
const NOT_RUNNABLE = new Set(["legacy/not_azure.py", "legacy/invalid_step.py"]);
const UNTOUCHED = ["legacy/not_azure.py", "legacy/already_migrated.py", "legacy/invalid_step.py"];

function programs(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return programs(full, base);
      return /\.(py|ipynb)$/.test(name) &&
        !full.includes(`${path.sep}train_src${path.sep}`) &&
        !full.includes(`${path.sep}src${path.sep}`)
        ? [path.relative(base, full)]
        : [];
    });
}

function runSpec(file: string): unknown {
  const result = spawnSync("python3", [RUN_SPEC, file], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${file} failed under the stand-ins:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

describe("commandstep target", () => {
  const original = path.join(FIXTURES, "python");
  let dir: string;
  let files: string[];
  const before = new Map<string, unknown>();
  let first: CliResult;

  beforeAll(() => {
    dir = scratch("python");
    files = programs(dir);
    for (const file of files)
      if (!NOT_RUNNABLE.has(file)) before.set(file, runSpec(path.join(dir, file)));
    first = runCli([
      "convert",
      dir,
      "--write",
      "--format",
      "json",
      "--report",
      path.join(dir, "..", `${path.basename(dir)}-report.json`),
    ]);
  });

  it("converts the fixtures and exits 1 because one step needs manual work and one is invalid", () => {
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(
      "MPI000 deprecated MpiStep 'train-resnet': converted to commandstep",
    );
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it("gives programs whose effective run specs equal the originals", () => {
    let compared = 0;
    for (const [file, spec] of before) {
      const after = runSpec(path.join(dir, file));
      expect(after, `run spec of ${file} changed`).toEqual(spec);
      compared += (spec as unknown[]).length;
    }
    expect(compared).toBeGreaterThanOrEqual(10);
  });

  it("leaves no convertible MpiStep call behind", () => {
    const check = runCli(["check", dir, "--format", "json"]);
    const left = JSON.parse(check.stdout).files.flatMap((f: any) =>
      f.steps.map((s: any) => `${path.basename(f.path)}:${s.line} ${s.status}`),
    );
    expect(left).toEqual(["step_factory.py:23 manual", "invalid_step.py:4 invalid"]);
  });

  it("keeps files without a convertible step byte-identical", () => {
    for (const file of UNTOUCHED)
      expect(readFileSync(path.join(dir, file)), file).toEqual(
        readFileSync(path.join(original, file)),
      );
  });

  it("writes only files that parse with CPython", () => {
    for (const file of files) {
      const text = readFileSync(path.join(dir, file), "utf8");
      expect(
        cpythonParses(file.endsWith(".ipynb") ? notebookCode(text) : text),
        file,
      ).toMatchObject({ ok: true });
    }
  });

  it("keeps CRLF line endings and comments inside the call", () => {
    const text = readFileSync(path.join(dir, "legacy/crlf_module.py"), "utf8");
    expect(text).toContain("CommandStep(");
    expect(text.replace(/\r\n/g, "")).not.toContain("\n");
    expect(text).toContain('source_directory="src",  # relative to the repo root\r\n');
  });

  it("changes only the source of the notebook cells that hold the step", () => {
    const oldText = readFileSync(path.join(original, "notebooks/train.ipynb"), "utf8");
    const newText = readFileSync(path.join(dir, "notebooks/train.ipynb"), "utf8");
    const changed = diffLines(oldText, newText).filter((part) => part.added || part.removed);
    expect(changed.length).toBeGreaterThan(0);
    for (const part of changed)
      for (const line of part.value.split("\n").filter(Boolean)) expect(line).toMatch(/^ {4}"/);
    const oldNb = JSON.parse(oldText);
    const newNb = JSON.parse(newText);
    expect(newNb.metadata).toEqual(oldNb.metadata);
    oldNb.cells.forEach((cell: any, i: number) => {
      expect({ ...newNb.cells[i], source: null }).toEqual({ ...cell, source: null });
      if (![2, 6].includes(i)) expect(newNb.cells[i].source).toEqual(cell.source);
    });
    expect(newText.endsWith("}\n")).toBe(true);
  });

  it("--out-dir writes the same bytes as --write", () => {
    const copy = scratch("python");
    const out = `${copy}-out`;
    runCli(["convert", copy, "--out-dir", out]);
    for (const file of files) {
      const converted = readFileSync(path.join(dir, file));
      const unchanged = converted.equals(readFileSync(path.join(original, file)));
      if (unchanged) continue;
      expect(readFileSync(path.join(out, file)), file).toEqual(converted);
    }
    expect(readFileSync(path.join(copy, "pipelines/train_pipeline.py"))).toEqual(
      readFileSync(path.join(original, "pipelines/train_pipeline.py")),
    );
  });

  it("a second run converts nothing", () => {
    const snapshot = new Map(files.map((f) => [f, readFileSync(path.join(dir, f))]));
    const second = runCli(["convert", dir, "--write", "--format", "json"]);
    expect(JSON.parse(second.stdout).summary.converted).toBe(0);
    for (const file of files)
      expect(readFileSync(path.join(dir, file)), file).toEqual(snapshot.get(file));
  });

  it("exits 0 when every step converted, and prints a diff without writing by default", () => {
    const copy = scratch("python/legacy");
    const result = runCli(["convert", "crlf_module.py"], { cwd: copy });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("+legacy = CommandStep(");
    expect(readFileSync(path.join(copy, "crlf_module.py"))).toEqual(
      readFileSync(path.join(original, "legacy/crlf_module.py")),
    );
  });
});
