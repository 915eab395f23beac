// A new target is one folder and one entry in src/backends/registry.ts (docs/
// architecture.md, "Adding things"): a copy of the sources gets a throw-away target that
// way and nothing else, is type-checked and bundled, and the built command converts
// with it and offers it in --target.

import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, ROOT, scratch } from "../helpers.js";

const THROWAWAY = `// A throw-away target: one YAML list of script names per input.
import path from "node:path";
import { argValue, literalOf } from "../../ir/types.js";
import { toYaml } from "../shared/yaml.js";
import type { Backend } from "../types.js";

export const throwawayBackend: Backend = {
  convert(file, steps) {
    const scripts = steps.map((step) => String(literalOf(argValue(step, "script_name"))));
    return {
      files: [{ path: path.join(file.outputStem, "scripts.yaml"), text: toYaml({ scripts }) }],
      steps: new Map(steps.map((step) => [step, { diagnostics: [], dropped: [] }])),
    };
  },
};
`;

const ENTRY = `  throwaway: {
    inputs: ["python", "notebook", "json"],
    load: async () => (await import("./throwaway/index.js")).throwawayBackend,
  },
`;

describe("a new target", () => {
  it("is a folder and a registry entry: it type-checks, builds and converts", () => {
    const copy = scratch();
    for (const entry of ["src", "scripts", "package.json", "tsconfig.json"])
      cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
    symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"));
    mkdirSync(path.join(copy, "src", "backends", "throwaway"));
    writeFileSync(path.join(copy, "src", "backends", "throwaway", "index.ts"), THROWAWAY);
    const registry = path.join(copy, "src", "backends", "registry.ts");
    const text = readFileSync(registry, "utf8");
    const marker = "} as const satisfies Record<string, Target>;";
    expect(text).toContain(marker);
    writeFileSync(registry, text.replace(marker, `${ENTRY}${marker}`));

    const tsc = spawnSync(
      process.execPath,
      [
        path.join(ROOT, "node_modules", "typescript", "bin", "tsc"),
        "-p",
        "tsconfig.json",
        "--noEmit",
      ],
      { cwd: copy, encoding: "utf8" },
    );
    // The copy has no tests: only the sources are checked.
    expect(tsc.stdout.split("\n").filter((line) => line.startsWith("src/"))).toEqual([]);
    execFileSync(process.execPath, ["scripts/bundle.mjs"], { cwd: copy });

    const cli = path.join(copy, "dist", "bundle", "cli.cjs");
    const help = spawnSync(process.execPath, [cli, "convert", "--help"], { encoding: "utf8" });
    expect(help.stdout).toMatch(/"throwaway"/);
    const out = scratch();
    const steps = path.join(FIXTURES, "json", "train-steps.json");
    const result = spawnSync(
      process.execPath,
      [cli, "convert", steps, "--target", "throwaway", "--out-dir", out],
      { encoding: "utf8", env: { ...process.env, MPISTEP_MIGRATE_NO_CACHE: "1" } },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(path.join(out, "train-steps", "scripts.yaml"), "utf8")).toContain(
      "- train.py",
    );
  }, 120_000);
});
