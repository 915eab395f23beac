// Writing safely: atomic replace keeping the mode, no write over a file that changed
// since it was read, and a failure in a multi-file run leaving each file old or new.

import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ChangedOnDiskError, writeAtomic } from "../../src/io/write.js";
import { runCli, scratch } from "../helpers.js";

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
    expect(byDir.b.error.message).toMatch(/^not written: /);
    expect(readFileSync(path.join(dir, "out", "a", "m.py"), "utf8")).toContain("CommandStep(");
    expect(readFileSync(path.join(dir, "out", "c", "m.py"), "utf8")).toContain("CommandStep(");
    expect(readFileSync(path.join(dir, "out", "b"), "utf8")).toBe("in the way\n");
    for (const sub of ["a", "b", "c"])
      expect(readFileSync(path.join(dir, "in", sub, "m.py"), "utf8")).toBe(MODULE);
  });
});
