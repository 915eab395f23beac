// `convert --verify` end to end through the built CLI, with Debian's python3 and its real
// azure-ai-ml as the user's SDK.

import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, firstReplaced, runCli, scratch, startCli } from "../helpers.js";
import { SDK_PATH, SDK_PYTHON } from "./judge.js";

const WITH_SDK = { MPISTEP_MIGRATE_PYTHON: SDK_PYTHON, PYTHONPATH: SDK_PATH };

function convertJson(args: string[], env: Record<string, string>) {
  const result = runCli(["convert", ...args, "--format", "json"], { env });
  return { ...result, report: result.stdout ? JSON.parse(result.stdout) : undefined };
}

describe("convert --verify", () => {
  it("reports every output verified and exits as without it", () => {
    const tree = path.join(FIXTURES, "python", "pipelines");
    const plain = convertJson([tree, "--target", "job-yaml", "--out-dir", scratch()], WITH_SDK);
    const verified = convertJson(
      [tree, "--target", "job-yaml", "--out-dir", scratch(), "--verify"],
      WITH_SDK,
    );
    expect(verified.code).toBe(plain.code);
    expect(verified.report.summary).toEqual({
      ...plain.report.summary,
      verified: { sdkVersion: "1.4.0", outputs: 6, rejected: 0 },
    });
    const codes = verified.report.files.flatMap((f: any) =>
      f.steps.flatMap((s: any) => s.diagnostics.map((d: any) => d.code)),
    );
    expect(codes).not.toContain("MPI032");
  });

  it("reports the SDK's message with the file and exits 1 for an output it rejects", () => {
    const dir = scratch();
    const steps = path.join(dir, "steps.json");
    // The code folder does not exist: the tool converts it, the SDK refuses to load it.
    writeFileSync(
      steps,
      JSON.stringify({
        type: "MpiStep",
        name: "train",
        source_directory: "no_such_folder",
        script_name: "train.py",
        arguments: [],
        compute_target: "gpu-cluster",
        node_count: 2,
        process_count_per_node: 4,
      }),
    );
    const out = path.join(dir, "out");
    const plain = convertJson([steps, "--out-dir", out], WITH_SDK);
    expect(plain.code).toBe(0);
    expect(plain.report.files[0].steps[0].status).toBe("converted");

    const text = runCli(["convert", steps, "--out-dir", out, "--verify"], { env: WITH_SDK });
    expect(text.code).toBe(1);
    // The failing field and the SDK's first complaint, on one line, once.
    const [rejection] = text.stderr.split("\n").filter((line) => line.includes("MPI032"));
    expect(rejection).toMatch(
      /^\S*steps\.json:1:1: MPI032 azure-ai-ml 1\.4\.0 rejects \S*out\/steps\/train\.job\.yaml \(load of code\): Can't find directory or file in resolved absolute path: \S*no_such_folder\.$/,
    );
    expect(text.stderr).toContain("azure-ai-ml 1.4.0 verified 0 of 1 output");
    const json = convertJson([steps, "--out-dir", out, "--verify"], WITH_SDK);
    expect(json.report.files[0].steps[0]).toMatchObject({
      status: "manual",
      diagnostics: expect.arrayContaining([
        expect.objectContaining({ code: "MPI032", severity: "error" }),
      ]),
    });
  });

  it("is a usage error that says how to install the SDK when azure-ai-ml is missing", () => {
    const dir = scratch();
    // Debian's python3 without its site packages: a Python that has no azure-ai-ml.
    const python = path.join(dir, "python-without-sdk");
    writeFileSync(python, `#!/bin/sh\nexec ${SDK_PYTHON} -S "$@"\n`);
    chmodSync(python, 0o755);
    const args = [
      path.join(FIXTURES, "json", "train-steps.json"),
      "--out-dir",
      path.join(dir, "out"),
    ];
    for (const env of [
      { MPISTEP_MIGRATE_PYTHON: python },
      { MPISTEP_MIGRATE_PYTHON: path.join(dir, "none") },
    ]) {
      const result = runCli(["convert", ...args, "--verify"], { env });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("pip install azure-ai-ml");
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    // Installed, but a module it needs is missing (pydash, without the test's stand-in):
    // the import's own error, and no advice to install what is there.
    const broken = runCli(["convert", ...args, "--verify"], {
      env: { MPISTEP_MIGRATE_PYTHON: SDK_PYTHON },
    });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("installed but fails to import");
    expect(broken.stderr).toContain("No module named 'pydash'");
    expect(broken.stderr).not.toContain("pip install azure-ai-ml");
    expect(runCli(["convert", args[0]!, "--verify"], { env: WITH_SDK })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("add --write or --out-dir"),
    });
  });
});

describe("convert --verify with nothing to verify", () => {
  it("needs no SDK when the run writes no v2 output, and says so", () => {
    const dir = scratch();
    const source = path.join(FIXTURES, "python", "legacy", "crlf_module.py");
    const result = runCli(
      ["convert", source, "--out-dir", path.join(dir, "out"), "--verify", "--format", "json"],
      { env: { MPISTEP_MIGRATE_PYTHON: path.join(dir, "no-python-here") } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).summary.verified).toEqual({ outputs: 0, rejected: 0 });
    const text = runCli(["convert", source, "--out-dir", path.join(dir, "out2"), "--verify"], {
      env: { MPISTEP_MIGRATE_PYTHON: path.join(dir, "no-python-here") },
    });
    expect(text.stderr).toContain("--verify: no v2 output to verify");
  });
});

describe("convert --verify and Ctrl-C", () => {
  it("stops quietly, lists what was written and exits 130", async () => {
    const dir = scratch();
    const mark = path.join(dir, "marks");
    mkdirSync(mark);
    // The user's Python, through a wrapper that says when the SDK's checker starts.
    const python = path.join(dir, "python");
    writeFileSync(
      python,
      `#!/bin/sh\ncase "$*" in *--version*) ;; *) touch "${mark}/started" ;; esac\nexec ${SDK_PYTHON} "$@"\n`,
    );
    chmodSync(python, 0o755);
    const out = path.join(dir, "out");
    const started = firstReplaced(mark, /^started$/);
    // Its own process group, as a terminal's foreground job: Ctrl-C reaches the tool
    // and the Python it runs alike.
    const { child, ended } = startCli(
      ["convert", path.join(FIXTURES, "json", "train-steps.json"), "--out-dir", out, "--verify"],
      { detached: true, env: { MPISTEP_MIGRATE_PYTHON: python, PYTHONPATH: SDK_PATH } },
    );
    await started;
    process.kill(-child.pid!, "SIGINT");
    const { code, stderr } = await ended;
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(
      /interrupted \(SIGINT\); 2 files written:\n  \S+train\.job\.yaml\n  \S+train\.conda\.yaml\n/,
    );
    expect(stderr).not.toMatch(/internal error|Traceback|KeyboardInterrupt/);
  });
});
