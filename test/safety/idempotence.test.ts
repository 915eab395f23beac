// Idempotence over every fixture and every target: a second conversion writes exactly
// what the first did (generated targets) or changes nothing (in place).

import { cpSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, runCli, scratch } from "../helpers.js";

function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(path.relative(dir, full), readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return files;
}

describe("idempotence", () => {
  for (const target of ["commandstep", "job-yaml", "pipeline-yaml", "sdk-v2"]) {
    it(`a second ${target} run over every fixture changes nothing`, () => {
      const root = scratch();
      const python = path.join(root, "python");
      const json = path.join(root, "json");
      cpSync(path.join(FIXTURES, "python"), python, { recursive: true });
      cpSync(path.join(FIXTURES, "json"), json, { recursive: true });
      const args =
        target === "commandstep"
          ? ["convert", python, "--write"]
          : ["convert", python, json, "--target", target, "--write"];
      runCli([...args, "--quiet"]);
      const first = snapshot(root);
      runCli([...args, "--quiet"]);
      expect(snapshot(root)).toEqual(first);
      expect(first.size).toBeGreaterThan(20);
    });
  }
});
