// Target job-yaml: golden files, schema validity of every emitted job, argv round trips
// through a real shell, and the fields the foundation issue names.

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { processFile } from "../../src/stages/process.js";
import type { FileOutcome } from "../../src/stages/outcome.js";
import { argvThroughShell, FIXTURES, schemaErrors } from "../helpers.js";

const GOLDEN = path.join(FIXTURES, "golden", "job-yaml");

async function convert(name: string, keyMap?: Record<string, string>): Promise<FileOutcome> {
  const file = path.join(FIXTURES, "json", name);
  return processFile(
    { path: file, root: path.dirname(file), explicit: true },
    {
      command: "convert",
      target: "job-yaml",
      defaultImages: "latest",
      maxBytes: 1 << 24,
      outputRoot: GOLDEN,
      keyMap,
    },
  );
}

function jobs(outcome: FileOutcome): Array<{ file: string; doc: Record<string, any> }> {
  return outcome.writes
    .filter((w) => w.path.endsWith(".job.yaml"))
    .map((w) => ({ file: w.path, doc: parse(w.bytes.toString("utf8"), { version: "1.1" }) }));
}

describe("job-yaml target", () => {
  for (const name of ["train-steps.json", "more-steps.json"]) {
    it(`matches the golden files for ${name}`, async () => {
      const outcome = await convert(name);
      expect(outcome.writes.length).toBeGreaterThan(0);
      for (const write of outcome.writes)
        expect(write.bytes.toString("utf8"), write.path).toBe(readFileSync(write.path, "utf8"));
    });

    it(`emits jobs valid against the command-job schema for ${name}`, async () => {
      for (const { file, doc } of jobs(await convert(name)))
        expect(schemaErrors("command-job", doc), file).toEqual([]);
    });
  }

  it("converts the training step faithfully", async () => {
    const outcome = await convert("train-steps.json");
    const { doc } = jobs(outcome)[0]!;
    expect(argvThroughShell(doc.command)).toEqual([
      "train.py",
      "--data-dir",
      "/mnt/inputs/models",
      "--epochs",
      "30",
      "--note",
      `it's a "quoted" $HOME value; with spaces`,
      "--fp16",
      "True",
    ]);
    expect(doc.distribution).toEqual({ type: "mpi", process_count_per_instance: 4 });
    expect(doc.resources).toEqual({ instance_count: 2 });
    expect(doc.compute).toBe("azureml:gpu-cluster");
    expect(doc.inputs.models).toEqual({
      type: "uri_folder",
      path: "azureml://datastores/workspaceblobstore/paths/saved_models",
      mode: "download",
    });
    expect(doc.environment_variables).toEqual({
      AML_PARAMETER_learning_rate: "0.001",
      AML_PARAMETER_run_name: "mnist",
    });
    expect(doc.environment.image).toContain("cuda");
    const conda = parse(
      outcome.writes.find((w) => w.path.endsWith("train.conda.yaml"))!.bytes.toString("utf8"),
    );
    expect(conda.dependencies.at(-1).pip).toEqual([
      "azureml-defaults",
      "horovod==0.28.1",
      "mlflow",
    ]);
    const step = outcome.record.steps[0]!;
    expect(step.status).toBe("converted");
    expect(step.dropped.map((d) => d.option)).toEqual(["hash_paths"]);
    expect(outcome.record.skipped).toEqual([
      expect.objectContaining({ label: "prep", type: "PythonScriptStep" }),
    ]);
    // The node count takes the parameter's default, as the step ran under it; a submission
    // can set another, so it is reported (MPI016), not a TODO.
    const raw = outcome.writes[0]!.bytes.toString("utf8");
    expect(raw).not.toContain("TODO");
    expect(step.diagnostics).toContainEqual(
      expect.objectContaining({
        code: "MPI016",
        message: expect.stringContaining("node count is pipeline parameter 'nodes'"),
      }),
    );
  });

  it("a project key map converts to the same job", async () => {
    const keyMap = JSON.parse(readFileSync(path.join(FIXTURES, "json", "key-map.json"), "utf8"));
    const mapped = jobs(await convert("project-steps.json", keyMap))[0]!.doc;
    const plain = jobs(await convert("train-steps.json"))[0]!.doc;
    expect(mapped).toEqual(plain);
  });

  it("merges the requirements file into the pip list after azureml-defaults", async () => {
    const outcome = await convert("more-steps.json");
    const conda = parse(
      outcome.writes
        .find((w) => w.path.endsWith("requirements.conda.yaml"))!
        .bytes.toString("utf8"),
    );
    expect(conda.dependencies).toEqual([
      "python=3.8.13",
      "pip",
      "mpi4py",
      { pip: ["azureml-defaults", "torch==2.1.0", "horovod", "numpy==1.26.4"] },
    ]);
  });

  it("grades steps: converted, manual for what v2 cannot express, invalid for MpiStep errors", async () => {
    const outcome = await convert("more-steps.json");
    expect(outcome.record.steps.map((s) => [s.name, s.status])).toEqual([
      ["score with registered env", "converted"],
      ["user-managed", "converted"],
      ["requirements", "manual"],
      ["no docker", "manual"],
      ["missing script", "invalid"],
    ]);
    expect(outcome.writes.some((w) => w.path.includes("missing_script"))).toBe(false);
  });
});
