// A JSON entry in a project's own format is recognised, a --key-map is suggested from
// near matches of its keys, and with that key map the entry converts.

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, scratch } from "../helpers.js";

describe("project-format JSON", () => {
  it("suggests a key map that makes the entry convert", () => {
    const dir = scratch();
    mkdirSync(path.join(dir, "src"));
    writeFileSync(path.join(dir, "src", "train.py"), "print('train')\n");
    writeFileSync(path.join(dir, "src", "requirements.txt"), "torch==2.1.0\n");
    const steps = path.join(dir, "steps.json");
    writeFileSync(
      steps,
      JSON.stringify({
        train: {
          type: "MpiStep",
          name: "train",
          source_dir: "src",
          script: "train.py",
          args: ["--epochs", 3],
          cluster: "gpu-cluster",
          nodes: 2,
          processes_per_node: 4,
          base_image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:20240101",
          requirements: "requirements.txt",
        },
      }),
    );
    const check = runCli(["check", steps, "--format", "json"]);
    const [step] = JSON.parse(check.stdout).files[0].steps;
    expect(step.status).toBe("invalid");
    const finding = step.diagnostics.find((d: any) => d.code === "MPI038");
    expect(finding.message).toContain("this looks like a project format");
    const suggested = JSON.parse(/suggested --key-map: (\{.*\})$/.exec(finding.message)![1]!);
    expect(suggested).toEqual({
      source_dir: "source_directory",
      script: "script_name",
      args: "arguments",
      cluster: "compute_target",
      nodes: "node_count",
      processes_per_node: "process_count_per_node",
      base_image: "custom_docker_image",
      requirements: "pip_requirements_file_path",
    });

    const keyMap = path.join(dir, "key-map.json");
    writeFileSync(keyMap, JSON.stringify(suggested));
    const convert = runCli(["convert", steps, "--key-map", keyMap, "--format", "json"]);
    const [converted] = JSON.parse(convert.stdout).files[0].steps;
    expect(convert.code).toBe(0);
    expect(converted.status).toBe("converted");
    expect(converted.diagnostics.map((d: any) => d.code)).not.toContain("MPI038");
  });
});
