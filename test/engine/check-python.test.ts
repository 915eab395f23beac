// check and job-yaml conversion over the Python and notebook fixtures, through the CLI.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { argvThroughShell, FIXTURES, runCli, scratch, schemaErrors } from "../helpers.js";

const FIXTURE_LEGACY = path.join(FIXTURES, "python/legacy");

describe("check over Python files and notebooks", () => {
  it("says of every step what convert finds (check skips producing the rewritten text)", () => {
    const dir = scratch("python");
    // A step whose pip requirements file is not known: convert cannot build the pip list.
    writeFileSync(
      path.join(dir, "missing_requirements.py"),
      "import os\nfrom azureml.pipeline.steps import MpiStep\ns = MpiStep(name='r', source_directory='.', script_name='t.py', arguments=[], compute_target='c', node_count=1, process_count_per_node=1, pip_requirements_file_path=os.environ['REQUIREMENTS'])\n",
    );
    writeFileSync(path.join(dir, "t.py"), "print('train')\n");
    // MPI000 says "convertible" to check and "converted" to convert: all else is the same.
    const steps = (command: string) =>
      JSON.parse(runCli([command, dir, "--format", "json"], { cwd: dir }).stdout).files.flatMap(
        (f: any) =>
          f.steps.map((s: any) => ({
            path: f.path,
            ...s,
            diagnostics: s.diagnostics.map((d: any) =>
              d.code === "MPI000"
                ? { ...d, message: d.message.replace("converted", "convertible") }
                : d,
            ),
          })),
      );
    const checked = steps("check");
    expect(checked.length).toBeGreaterThan(8);
    expect(checked).toEqual(steps("convert"));
    const missing = checked.find((s: any) => s.name === "r");
    expect(missing.status).toBe("manual");
    expect(missing.diagnostics.map((d: any) => d.code)).toContain("MPI025");
  });

  it("reports exactly the MpiStep calls that are there and exits 1", () => {
    const result = runCli(["check", "fixtures/python", "--format", "json"]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    const found = report.files.flatMap((f: any) =>
      f.steps.map((s: any) => [f.path, s.line, s.name, s.status]),
    );
    // Statuses are what convert would do with the default target (commandstep, in place).
    expect(found).toEqual([
      ["fixtures/python/factories/step_factory.py", 20, "MpiStep at line 20", "manual"],
      ["fixtures/python/factories/step_factory.py", 24, "train-bert", "converted"],
      ["fixtures/python/factories/step_factory.py", 25, "train-bert", "converted"],
      ["fixtures/python/factories/trainer.py", 10, "wrapped-trainer", "converted"],
      ["fixtures/python/legacy/crlf_module.py", 4, "legacy", "converted"],
      ["fixtures/python/legacy/invalid_step.py", 4, "broken", "invalid"],
      ["fixtures/python/legacy/modern_syntax.py", 22, "train", "converted"],
      // The notebook in the style of Azure ML's samples (added with it).
      ["fixtures/python/notebooks/style_transfer.ipynb", 139, "style transfer", "converted"],
      ["fixtures/python/notebooks/train.ipynb", 102, "nb-train", "converted"],
      ["fixtures/python/pipelines/env_options.py", 15, "with-requirements", "converted"],
      ["fixtures/python/pipelines/env_options.py", 30, "custom-image", "converted"],
      ["fixtures/python/pipelines/scoring.py", 16, "score", "converted"],
      ["fixtures/python/pipelines/train_pipeline.py", 40, "train-resnet", "converted"],
      ["fixtures/python/pipelines/two_stage.py", 27, "pretrain", "converted"],
      ["fixtures/python/pipelines/two_stage.py", 41, "finetune", "converted"],
      // The whole-pipeline fixtures: only their MpiSteps are reported.
      ["fixtures/python/whole/batch_scoring.py", 14, "train model", "converted"],
      ["fixtures/python/whole/mixed_steps.py", 32, "train", "converted"],
      ["fixtures/python/whole/restyle_clip.ipynb", 141, "restyle frames", "converted"],
      ["fixtures/python/whole/token_pretraining.py", 40, "pretrain", "converted"],
    ]);
    const train = report.files.find((f: any) => f.path.endsWith("train_pipeline.py")).steps[0];
    expect(train.dropped.map((d: any) => d.option)).toEqual(["hash_paths", "runconfig"]);
    expect(train.diagnostics.find((d: any) => d.code === "MPI012")).toMatchObject({
      line: 60,
      column: 5,
      message: expect.stringContaining("never took effect"),
    });
    const nb = report.files.find((f: any) => f.path.endsWith("train.ipynb")).steps[0];
    expect(nb.cell).toEqual({ index: 6, line: 1 });
  });

  it("exits 0 on a folder without MpiStep", () => {
    const dir = scratch();
    const result = runCli(
      [
        "check",
        path.join(FIXTURE_LEGACY, "not_azure.py"),
        path.join(FIXTURE_LEGACY, "already_migrated.py"),
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
  });

  it("a file with a syntax error exits 2 naming file, line and column", () => {
    const dir = scratch();
    const file = path.join(dir, "broken.py");
    writeFileSync(
      file,
      "from azureml.pipeline.steps import MpiStep\nstep = MpiStep(name='x'\nprint(1\n",
    );
    const result = runCli(["check", file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/broken\.py:\d+:\d+: MPI030 syntax error/);
  });
});

describe("convert a pipeline module to job-yaml", () => {
  it("writes a faithful command job", () => {
    const dir = scratch("python/pipelines");
    const result = runCli(
      ["convert", "train_pipeline.py", "--target", "job-yaml", "--out-dir", "out"],
      { cwd: dir },
    );
    expect(result.code).toBe(1); // pipeline data from the unconverted prep step needs a binding
    const job = parse(
      readFileSync(path.join(dir, "out/train_pipeline/train_resnet.job.yaml"), "utf8"),
    );
    expect(schemaErrors("command-job", job)).toEqual([]);
    expect(argvThroughShell(job.command)).toEqual([
      "train.py",
      "--epochs",
      "/mnt/inputs/epochs",
      "--pretrained",
      "/mnt/inputs/pretrained",
      "--data",
      "/mnt/inputs/prepped",
      "--output",
      "/mnt/outputs/model_dir",
      "--batch-size",
      "64",
      "--note",
      `run "nightly" with $HOME and 'quotes'`,
    ]);
    expect(job.resources.instance_count).toBe(2);
    expect(job.distribution).toEqual({ type: "mpi", process_count_per_instance: 4 });
    expect(job.compute).toBe("azureml:gpu-nc24");
    expect(job.code).toBe("../../train_src");
    expect(job.inputs).toEqual({
      epochs: 30,
      pretrained: {
        type: "uri_folder",
        path: "azureml://datastores/workspaceblobstore/paths/models/resnet50",
        mode: "download",
      },
      prepped: { type: "uri_folder" },
    });
    expect(job.outputs).toEqual({ model_dir: { type: "uri_folder" } });
    expect(job.environment_variables).toEqual({ AML_PARAMETER_epochs: "30" });
    const raw = readFileSync(path.join(dir, "out/train_pipeline/train_resnet.job.yaml"), "utf8");
    expect(raw).toContain(
      "# TODO(mpistep-migrate MPI019): 'prepped' is produced by step 'prep-data'",
    );
    expect(result.stderr).toContain("MPI019");
  });
});
