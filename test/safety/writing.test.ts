// Writing safely: atomic replace keeping the mode, no write over a file that changed
// since it was read, and a failure in a multi-file run leaving each file old or new.

import {
  chmodSync,
  chownSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ChangedOnDiskError, temporaryName, writeAtomic } from "../../src/io/write.js";
import { firstReplaced, runCli, scratch, startCli } from "../helpers.js";

const MODULE = `from azureml.pipeline.steps import MpiStep\nstep = MpiStep(name="x", source_directory="src", script_name="t.py", arguments=[], compute_target="c", node_count=1, process_count_per_node=1)\n`;

describe("safe writes", () => {
  it("keeps the file mode and leaves no temporary file", () => {
    const dir = scratch();
    const file = path.join(dir, "tool.py");
    writeFileSync(file, MODULE);
    chmodSync(file, 0o750);
    expect(runCli(["convert", file, "--write"]).code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o750);
    expect(readFileSync(file, "utf8")).toContain("CommandStep(");
    expect(readdirSync(dir)).toEqual(["tool.py"]);
  });

  it("does not overwrite a file that changed since it was read", async () => {
    const dir = scratch();
    const file = path.join(dir, "a.py");
    writeFileSync(file, "edited by someone else\n");
    await expect(
      writeAtomic(file, Buffer.from("new"), Buffer.from("what we read\n")),
    ).rejects.toBeInstanceOf(ChangedOnDiskError);
    expect(readFileSync(file, "utf8")).toBe("edited by someone else\n");
    await writeAtomic(file, Buffer.from("new"), Buffer.from("edited by someone else\n"));
    expect(readFileSync(file, "utf8")).toBe("new");
  });

  it("a failure in the middle of a run leaves every file old or new and says which were written", () => {
    const dir = scratch();
    mkdirSync(path.join(dir, "in", "a"), { recursive: true });
    mkdirSync(path.join(dir, "in", "b"), { recursive: true });
    mkdirSync(path.join(dir, "in", "c"), { recursive: true });
    for (const sub of ["a", "b", "c"]) writeFileSync(path.join(dir, "in", sub, "m.py"), MODULE);
    // Under the output folder, "b" is a file, so b/m.py cannot be written there.
    mkdirSync(path.join(dir, "out"));
    writeFileSync(path.join(dir, "out", "b"), "in the way\n");
    const result = runCli([
      "convert",
      path.join(dir, "in"),
      "--out-dir",
      path.join(dir, "out"),
      "--format",
      "json",
    ]);
    expect(result.code).toBe(2);
    const files = JSON.parse(result.stdout).files;
    const byDir = Object.fromEntries(
      files.map((f: any) => [path.basename(path.dirname(f.path)), f]),
    );
    expect(byDir.a.outputs).toHaveLength(1);
    expect(byDir.c.outputs).toHaveLength(1);
    expect(byDir.b.outputs).toEqual([]);
    expect(byDir.b.diagnostics.find((d: any) => d.severity === "error").message).toMatch(
      /^not written: /,
    );
    expect(readFileSync(path.join(dir, "out", "a", "m.py"), "utf8")).toContain("CommandStep(");
    expect(readFileSync(path.join(dir, "out", "c", "m.py"), "utf8")).toContain("CommandStep(");
    expect(readFileSync(path.join(dir, "out", "b"), "utf8")).toBe("in the way\n");
    for (const sub of ["a", "b", "c"])
      expect(readFileSync(path.join(dir, "in", sub, "m.py"), "utf8")).toBe(MODULE);
  });
});

const STEP_JSON = JSON.stringify({
  name: "train",
  source_directory: "src",
  script_name: "train.py",
  arguments: ["--epochs", 3],
  compute_target: "gpu",
  node_count: 2,
  process_count_per_node: 4,
});

/** Every file below `dir`, as paths relative to it. */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, encoding: "utf8" }) as string[]).sort();
}

/** The file-level messages of a JSON report, by file name. */
function fileMessages(stdout: string): Record<string, string[]> {
  return Object.fromEntries(
    JSON.parse(stdout).files.map((f: any) => [
      path.basename(f.path),
      f.diagnostics.map((d: any) => `${d.code} ${d.message}`),
    ]),
  );
}

describe("writes stay where they belong", () => {
  it("an input named only dots before its extension writes inside its own folder", () => {
    const parent = scratch();
    const dir = path.join(parent, "in");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "...json"), STEP_JSON);
    writeFileSync(path.join(dir, "...py"), MODULE);
    expect(runCli(["convert", path.join(dir, "...json"), "--write"]).code).toBe(0);
    expect(runCli(["convert", dir, "--target", "job-yaml", "--write"]).code).toBe(0);
    expect(tree(parent).filter((f) => !f.startsWith("in"))).toEqual([]);
    expect(tree(dir)).toContain(path.join("___json", "train.job.yaml"));
    expect(tree(dir)).toContain(path.join("___py", "x.job.yaml"));
  });

  it("a symbolic link on the way out (the output folder, or a folder inside --out-dir) is refused", () => {
    const dir = scratch();
    const elsewhere = scratch();
    writeFileSync(path.join(dir, "train.json"), STEP_JSON);
    symlinkSync(elsewhere, path.join(dir, "train"));
    const written = runCli([
      "convert",
      path.join(dir, "train.json"),
      "--write",
      "--format",
      "json",
    ]);
    expect(written.code).toBe(2);
    expect(fileMessages(written.stdout)["train.json"]).toEqual([
      expect.stringMatching(
        /^MPI031 not written: .*train leads outside .* through a symbolic link/,
      ),
      expect.stringMatching(/^MPI031 not written: .*leads outside/),
    ]);
    const out = scratch();
    symlinkSync(elsewhere, path.join(out, "train"));
    const outDir = runCli(["convert", path.join(dir, "train.json"), "--out-dir", out]);
    expect(outDir.code).toBe(2);
    expect(outDir.stderr).toMatch(/leads outside/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("--report naming an input is refused, and the input kept", () => {
    const dir = scratch();
    const file = path.join(dir, "pipeline.py");
    writeFileSync(file, MODULE);
    for (const report of [file, path.join(dir, "pipeline.py")]) {
      const result = runCli(["check", dir, "--report", report]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--report .*pipeline\.py is an input of this run/);
    }
    const named = runCli(["convert", file, "--report", path.join(dir, ".", "pipeline.py")]);
    expect(named.code).toBe(2);
    expect(readFileSync(file, "utf8")).toBe(MODULE);
  });

  it("a link, a hard-linked file and a read-only file are not replaced; mode and owner are kept", () => {
    const dir = scratch();
    const target = path.join(dir, "real.py");
    writeFileSync(target, MODULE);
    symlinkSync(target, path.join(dir, "link.py"));
    writeFileSync(path.join(dir, "hard.py"), MODULE);
    linkSync(path.join(dir, "hard.py"), path.join(dir, "hard-too.txt"));
    writeFileSync(path.join(dir, "frozen.py"), MODULE);
    chmodSync(path.join(dir, "frozen.py"), 0o444);
    writeFileSync(path.join(dir, "owned.py"), MODULE);
    chmodSync(path.join(dir, "owned.py"), 0o640);
    const owner = process.getuid?.() === 0 ? 4321 : undefined;
    if (owner !== undefined) chownSync(path.join(dir, "owned.py"), owner, owner);
    const results = ["link.py", "hard.py", "frozen.py", "owned.py"].map((name) =>
      runCli(["convert", path.join(dir, name), "--write", "--format", "json"]),
    );
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 0]);
    expect(fileMessages(results[0]!.stdout)["link.py"]).toEqual([
      expect.stringMatching(/is a symbolic link; not replaced \(name the file it points to\)/),
    ]);
    expect(fileMessages(results[1]!.stdout)["hard.py"]).toEqual([
      expect.stringMatching(/has 2 hard links, which replacing it would split; not written/),
    ]);
    expect(fileMessages(results[2]!.stdout)["frozen.py"]).toEqual([
      expect.stringMatching(/is read-only; not written/),
    ]);
    expect(lstatSync(path.join(dir, "link.py")).isSymbolicLink()).toBe(true);
    for (const name of ["real.py", "hard.py", "hard-too.txt", "frozen.py"])
      expect(readFileSync(path.join(dir, name), "utf8"), name).toBe(MODULE);
    const owned = statSync(path.join(dir, "owned.py"));
    expect(readFileSync(path.join(dir, "owned.py"), "utf8")).toContain("CommandStep(");
    expect(owned.mode & 0o777).toBe(0o640);
    if (owner !== undefined) expect([owned.uid, owned.gid]).toEqual([owner, owner]);
    expect(tree(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("a file with a 240-byte name is rewritten (its temporary name stays within the limit)", () => {
    const dir = scratch();
    const name = `${"é".repeat(118)}.py`; // 236 bytes of é, 239 with the extension
    writeFileSync(path.join(dir, name), MODULE);
    const result = runCli(["convert", path.join(dir, name), "--write"]);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(path.join(dir, name), "utf8")).toContain("CommandStep(");
  });

  it("a file deleted while a run rewrites the tree is never recreated", async () => {
    const dir = scratch();
    const files = Array.from({ length: 300 }, (_, i) => {
      const file = path.join(dir, `m${String(i).padStart(3, "0")}.py`);
      writeFileSync(file, MODULE);
      return file;
    });
    const last = files[files.length - 1]!;
    const firstWrite = firstReplaced(dir, /^m\d+\.py$/);
    const { ended } = startCli(["convert", dir, "--write", "--jobs", "1"]);
    await firstWrite;
    unlinkSync(last);
    const { stderr } = await ended;
    // Whether the run got to it before or after it was deleted, it is gone now.
    expect(existsSync(last)).toBe(false);
    if (!stderr.includes(`${last}\n`))
      expect(stderr).toMatch(/m299\.py vanished since it was read; not recreated/);
  });

  it("two runs writing one tree at once never both replace a file", async () => {
    const dir = scratch();
    for (let i = 0; i < 200; i++) writeFileSync(path.join(dir, `m${i}.py`), MODULE);
    const runOnce = async () =>
      JSON.parse((await startCli(["convert", dir, "--write", "--format", "json"]).ended).stdout);
    const reports = await Promise.all([runOnce(), runOnce()]);
    const written = reports.flatMap((r) => r.files.flatMap((f: any) => f.outputs));
    expect(new Set(written).size).toBe(written.length);
    for (let i = 0; i < 200; i++) {
      const text = readFileSync(path.join(dir, `m${i}.py`), "utf8");
      expect(text).toContain("CommandStep(");
      expect(text).not.toMatch(/\bMpiStep\b/);
    }
    expect(tree(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("a temporary file left by another run blocks the write with a message", async () => {
    const dir = scratch();
    const file = path.join(dir, "a.py");
    writeFileSync(file, "old\n");
    writeFileSync(temporaryName(file), "half written");
    await expect(writeAtomic(file, Buffer.from("new"), Buffer.from("old\n"))).rejects.toThrow(
      /exists: another run is writing .*a\.py, or one was killed while it did; remove it/,
    );
    expect(readFileSync(file, "utf8")).toBe("old\n");
    await expect(
      writeAtomic(path.join(dir, "gone.py"), Buffer.from("new"), Buffer.from("old")),
    ).rejects.toThrow(/vanished since it was read; not recreated/);
    expect(existsSync(path.join(dir, "gone.py"))).toBe(false);
  });
});
