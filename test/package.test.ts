// What users install: `npm pack` ships only what runs (the bundle with its WebAssembly,
// the SDK checker, the schema, README, licence), and the tarball installs offline as one
// package with no install scripts, giving a working `mpistep-migrate` command.

import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, ROOT, scratch } from "./helpers.js";

const RUNTIME =
  /^(dist\/bundle\/[^/]+\.(cjs|wasm)|python\/verify_v2\.py|schema\/[^/]+\.json|README\.md|LICENSE|package\.json)$/;

describe("the package", () => {
  it("ships only runtime files and installs offline into a working command", () => {
    const dir = scratch();
    const [packed] = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--pack-destination", dir], {
        cwd: ROOT,
        encoding: "utf8",
      }),
    );
    const files: string[] = packed.files.map((f: { path: string }) => f.path);
    expect(files.filter((f) => !RUNTIME.test(f))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        "dist/bundle/cli.cjs",
        "dist/bundle/program.cjs",
        "dist/bundle/worker.cjs",
        "dist/bundle/tree-sitter.wasm",
        "dist/bundle/tree-sitter-python.wasm",
        "python/verify_v2.py",
        "LICENSE",
      ]),
    );

    const prefix = path.join(dir, "prefix");
    const install = spawnSync(
      "npm",
      [
        "install",
        "-g",
        "--offline",
        "--no-audit",
        "--no-fund",
        "--prefix",
        prefix,
        path.join(dir, packed.filename),
      ],
      { encoding: "utf8" },
    );
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout).toContain("added 1 package");
    expect(install.stderr).not.toContain("install-scripts");

    const command = path.join(prefix, "bin", "mpistep-migrate");
    const help = spawnSync(command, ["--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("convert");
    // The installed command parses Python (the grammar's WebAssembly ships with it).
    const check = spawnSync(
      command,
      ["check", path.join(FIXTURES, "python", "pipelines", "scoring.py")],
      {
        encoding: "utf8",
      },
    );
    expect(check.status, check.stderr).toBe(1);
    expect(check.stdout).toMatch(
      /scoring\.py:\d+:\d+: MPI000 deprecated MpiStep 'score': convertible to commandstep/,
    );
  }, 120_000);
});
