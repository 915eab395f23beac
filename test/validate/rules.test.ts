// Each validation rule: one case that triggers it and one that does not.

import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseJsonSteps } from "../../src/frontends/json/index.js";
import { parsePythonSteps } from "../../src/frontends/python/index.js";
import { CODES } from "../../src/codes/index.js";
import { validateStep, type ValidationContext } from "../../src/validate/rules.js";
import { FIXTURES } from "../helpers.js";

const BASE = {
  name: "train",
  source_directory: "src",
  script_name: "train.py",
  arguments: [],
  compute_target: "gpu-cluster",
  node_count: 1,
  process_count_per_node: 1,
};

const context = (frontend: ValidationContext["frontend"] = "json"): ValidationContext => ({
  frontend,
  baseDir: path.join(FIXTURES, "json"),
  isDirectory: (p) => existsSync(p) && statSync(p).isDirectory(),
  isFile: (p) => existsSync(p) && statSync(p).isFile(),
});

function codesFor(extra: Record<string, unknown>, omit: string[] = []): string[] {
  const step: Record<string, unknown> = { ...BASE, ...extra };
  for (const key of omit) delete step[key];
  const parsed = parseJsonSteps(JSON.stringify(step));
  return validateStep(parsed.steps[0]!, context()).map((d) => d.code);
}

const pp = (name: string, def: unknown) => ({ pipeline_parameter: name, default: def });

const CASES: Array<{
  code: string;
  triggers: Array<[Record<string, unknown>, string[]?]>;
  passes: Array<[Record<string, unknown>, string[]?]>;
}> = [
  {
    code: "MPI001",
    triggers: [[{}, ["name"]], [{ arguments: null }], [{ compute_target: null }]],
    passes: [[{}], [{ arguments: [] }]],
  },
  {
    code: "MPI002",
    triggers: [
      [{ node_count: 0 }],
      [{ process_count_per_node: "2" }],
      [{ node_count: 1.5 }],
      [{ node_count: pp("n", 0) }],
      [{ node_count: true }],
    ],
    passes: [[{ node_count: 2 }], [{ node_count: pp("n", 3) }], [{ process_count_per_node: 8 }]],
  },
  {
    code: "MPI003",
    triggers: [
      [{ environment_definition: { environment: "e" }, pip_packages: ["x"] }],
      [{ environment_definition: { environment: "e" }, use_gpu: true }],
    ],
    passes: [
      [{ environment_definition: { environment: "e" }, use_docker: false }],
      [{ environment_definition: { environment: "e" }, use_gpu: false, user_managed: false }],
    ],
  },
  {
    code: "MPI004",
    triggers: [[{ use_docker: false, custom_docker_image: "img" }]],
    passes: [[{ use_docker: true, custom_docker_image: "img" }], [{ use_docker: false }]],
  },
  {
    code: "MPI005",
    triggers: [
      [{ user_managed: true, pip_packages: ["x"] }],
      [{ user_managed: true, pip_requirements_file_path: "requirements.txt" }],
    ],
    passes: [[{ user_managed: false, pip_packages: ["x"] }], [{ user_managed: true }]],
  },
  {
    code: "MPI006",
    triggers: [[{ compute_target: { compute: "ci", type: "ComputeInstance" } }]],
    passes: [
      [{ compute_target: { compute: "gpu", type: "AmlCompute" } }],
      [{ compute_target: { compute: "gpu" } }],
    ],
  },
  {
    code: "MPI008",
    triggers: [
      [{ arguments: ["--n", pp("nodes", 2)], params: { nodes: 1 } }],
      [{ arguments: [pp("lr", 1)], environment_variables: { lr: 2 } }],
    ],
    passes: [[{ arguments: ["--n", pp("nodes", 2)], params: { other: 1 } }]],
  },
  {
    code: "MPI009",
    triggers: [[{ pip_requirements_file_path: "missing.txt" }]],
    passes: [
      [{ pip_requirements_file_path: "requirements.txt" }],
      [{ source_directory: "not-on-disk", pip_requirements_file_path: "missing.txt" }],
    ],
  },
  {
    code: "MPI010",
    triggers: [[{ script_name: "nope.py" }]],
    passes: [
      [{ script_name: "train.py" }],
      [{ source_directory: "not-on-disk", script_name: "nope.py" }],
    ],
  },
  { code: "MPI011", triggers: [[{ hash_paths: ["src"] }]], passes: [[{}]] },
  {
    code: "MPI012",
    triggers: [[{ runconfig: "rc" }], [{ max_retries: 3 }]],
    passes: [[{ allow_reuse: false, version: "2" }]],
  },
  {
    code: "MPI013",
    triggers: [[{ params: { a: "1" } }]],
    passes: [[{ environment_variables: { a: "1" } }]],
  },
  {
    code: "MPI014",
    triggers: [[{ script_name: { expression: "cfg['script']" } }]],
    passes: [[{ script_name: "train.py" }]],
  },
  {
    code: "MPI015",
    triggers: [
      [{ arguments: "--epochs 3" }],
      [{ allow_reuse: "no" }],
      [{ pip_packages: ["ok", 3] }],
      [{ name: 7 }],
    ],
    passes: [
      [{ arguments: ["--epochs", 3] }],
      [{ allow_reuse: false }],
      [{ pip_packages: ["ok"] }],
    ],
  },
];

describe("validation rules", () => {
  for (const { code, triggers, passes } of CASES) {
    it(`${code} triggers`, () => {
      for (const [extra, omit] of triggers)
        expect(codesFor(extra, omit), JSON.stringify(extra)).toContain(code);
    });
    it(`${code} does not trigger on valid input`, () => {
      for (const [extra, omit] of passes)
        expect(codesFor(extra, omit), JSON.stringify(extra)).not.toContain(code);
    });
  }

  it("MPI007: a string compute target is a warning in Python, normal in JSON", async () => {
    const python = await parsePythonSteps(
      'from azureml.pipeline.steps import MpiStep\nMpiStep(name="a", source_directory="src", script_name="train.py", arguments=[], compute_target="gpu", node_count=1, process_count_per_node=1)\n',
    );
    expect(validateStep(python.steps[0]!, context("python")).map((d) => d.code)).toContain(
      "MPI007",
    );
    expect(codesFor({ compute_target: "gpu" })).not.toContain("MPI007");
  });

  it("MPI024: an unresolvable **mapping is reported; a resolvable one is not", async () => {
    const source = (mapping: string) =>
      `from azureml.pipeline.steps import MpiStep\n${mapping}\nMpiStep(name="a", source_directory="src", script_name="train.py", arguments=[], compute_target=c, node_count=1, **cfg)\n`;
    const unresolved = await parsePythonSteps(source("cfg = load()"));
    expect(validateStep(unresolved.steps[0]!, context("python")).map((d) => d.code)).toContain(
      "MPI024",
    );
    const resolved = await parsePythonSteps(source('cfg = {"process_count_per_node": 2}'));
    const codes = validateStep(resolved.steps[0]!, context("python")).map((d) => d.code);
    expect(codes).not.toContain("MPI024");
    expect(codes).not.toContain("MPI001");
  });

  it("a step with only valid values has no error and no warning", () => {
    expect(codesFor({})).toEqual([]);
  });

  it("every code has an explanation and a title", () => {
    for (const info of CODES) {
      expect(info.code).toMatch(/^MPI\d{3}$/);
      expect(info.explanation.length).toBeGreaterThan(40);
    }
    expect(new Set(CODES.map((c) => c.code)).size).toBe(CODES.length);
  });
});
