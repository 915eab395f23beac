// The tool never runs code from the user's folders: every Python it starts (CPython's
// syntax check before a rewrite, its outline of a file tree-sitter misreads, and the
// user's azure-ai-ml under --verify) has neither the working folder nor the input tree on
// its import path. Bait modules planted in both write a marker file when imported.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, plantShadowModules, runCli, scratch } from "../helpers.js";
import { SDK_PATH, SDK_PYTHON } from "../sdk/judge.js";

const STEP = `from azureml.pipeline.steps import MpiStep
step = MpiStep(name="train", source_directory="src", script_name="train.py",
               arguments=["--epochs", 3], compute_target="gpu", node_count=2,
               process_count_per_node=4)
`;

// Valid Python that tree-sitter misreads (test/frontends/misread.test.ts): check asks
// CPython for its outline.
const MISREAD = `from azureml.pipeline.steps import MpiStep
def misread():
    if 1:
        x = (foo.
bar)
        step = MpiStep(name="inside", source_directory="src", script_name="t.py", arguments=[],
                       compute_target="c", node_count=1, process_count_per_node=1)
`;

describe("no code from the user's folders runs", () => {
  it("in convert, check of a misread file, or --verify, from a folder full of bait", () => {
    const cwd = scratch();
    const tree = scratch();
    const marker = path.join(scratch(), "imported");
    plantShadowModules(cwd, marker);
    plantShadowModules(tree, marker);
    // The bait is live: a Python that does put the folder on its path imports it.
    spawnSync("python3", ["-c", "import json"], { cwd });
    expect(readFileSync(marker, "utf8")).toContain("json");
    writeFileSync(marker, "");

    writeFileSync(path.join(tree, "pipeline.py"), STEP);
    writeFileSync(path.join(tree, "misread.py"), MISREAD);
    const file = path.join(tree, "pipeline.py");
    const results = [
      // A rewrite is judged by CPython, with and without --write.
      runCli(["convert", file], { cwd }),
      runCli(["convert", tree, "--write"], { cwd }),
      // tree-sitter misreads this file: CPython outlines it.
      runCli(["check", path.join(tree, "misread.py")], { cwd }),
      // The user's SDK loads what was written.
      runCli(
        [
          "convert",
          path.join(FIXTURES, "json", "train-steps.json"),
          "--target",
          "job-yaml",
          "--out-dir",
          scratch(),
          "--verify",
        ],
        { cwd, env: { MPISTEP_MIGRATE_PYTHON: SDK_PYTHON, PYTHONPATH: SDK_PATH } },
      ),
    ];
    // The misread step needs manual work (exit 1) in the tree and in check.
    expect(results.map((r) => r.code)).toEqual([0, 1, 1, 0]);
    expect(results[2]!.stdout).toContain("MPI040");
    expect(results[3]!.stderr).toContain("azure-ai-ml 1.4.0 verified 1 of 1 output");
    expect(readFileSync(path.join(tree, "pipeline.py"), "utf8")).toContain("CommandStep(");
    expect(readFileSync(marker, "utf8")).toBe("");
  });

  it("--verify names the SDK's own import error, not the bait's", () => {
    const cwd = scratch();
    const marker = path.join(cwd, "imported");
    plantShadowModules(cwd, marker);
    const result = runCli(
      [
        "convert",
        path.join(FIXTURES, "json", "train-steps.json"),
        "--out-dir",
        scratch(),
        "--verify",
      ],
      { cwd, env: { MPISTEP_MIGRATE_PYTHON: SDK_PYTHON, PYTHONPATH: path.join(cwd, "nowhere") } },
    );
    // Without the pydash stand-in Debian's azure-ai-ml cannot be imported: the message
    // says why, and the bait in the working folder was never imported.
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /cannot import azure\.ai\.ml \(ModuleNotFoundError: No module named 'pydash'\)/,
    );
    expect(existsSync(marker)).toBe(false);
  });
});
