// Targets pipeline-yaml and sdk-v2: wiring, bindings, components for reuse and versions,
// schema validity, CPython validity, and the specs the SDK v2 module builds under
// recording stand-ins for azure.ai.ml.

import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { TargetName } from "../../src/backends/registry.js";
import { processFile } from "../../src/stages/process.js";
import type { FileOutcome } from "../../src/stages/outcome.js";
import {
  argvThroughShell,
  cpythonParses,
  FIXTURES,
  ROOT,
  schemaErrors,
  scratch,
  stepFixtures,
} from "../helpers.js";

import { judge } from "../sdk/judge.js";

const RUN_V2 = path.join(ROOT, "test", "equivalence", "run_v2.py");

async function convert(
  file: string,
  target: TargetName,
  outputRoot: string,
  stdinText?: string,
): Promise<FileOutcome> {
  return processFile(
    {
      path: file,
      root: path.dirname(file),
      explicit: true,
      bytes: stdinText === undefined ? undefined : Buffer.from(stdinText),
    },
    { command: "convert", target, defaultImages: "latest", maxBytes: 1 << 24, outputRoot },
  );
}

function written(outcome: FileOutcome, suffix: string): string {
  const write = outcome.writes.find((w) => w.path.endsWith(suffix));
  if (!write) throw new Error(`no ${suffix} in ${outcome.writes.map((w) => w.path).join(", ")}`);
  return write.bytes.toString("utf8");
}

function runV2(source: string, dir: string): any {
  const file = path.join(dir, "module_v2.py");
  writeFileSync(file, source);
  const result = spawnSync("python3", [RUN_V2, file], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

/** The node's command, wherever it is (inline or in its component). */
function nodeCommand(node: any): string {
  return node.command ?? node.component.command;
}

const TWO_STAGE = path.join(FIXTURES, "python/pipelines/two_stage.py");
/** The finetune step's argv (after the interpreter), with inputs mounted under /mnt. */
const FINETUNE_ARGV = [
  "train.py",
  "--init",
  "/mnt/inputs/checkpoints",
  "--labels",
  "/mnt/inputs/labels",
  "--lr",
  "/mnt/inputs/learning_rate",
  "--tag",
  "fine tune",
];

describe("pipeline-yaml target", () => {
  it("wires the two-stage pipeline", async () => {
    const outcome = await convert(TWO_STAGE, "pipeline-yaml", scratch());
    const text = written(outcome, "pipeline.yaml");
    const doc = parse(text, { version: "1.1" });
    expect(schemaErrors("pipeline-job", doc)).toEqual([]);
    // The PythonScriptStep that writes the shards is a node of the pipeline too.
    expect(Object.keys(doc.jobs)).toEqual(["shard_corpus", "pretrain", "finetune"]);
    expect(doc.settings).toEqual({ default_compute: "azureml:gpu-nd96" });
    expect(doc.inputs).toEqual({
      nodes: 4,
      labels: {
        type: "uri_folder",
        path: "azureml://datastores/training/paths/labels/v2",
        mode: "ro_mount",
      },
      learning_rate: 0.0003,
    });
    const { pretrain, finetune } = doc.jobs;
    expect(pretrain.resources.instance_count).toBe("${{parent.inputs.nodes}}");
    // Every node is a component node (the form azure-ai-ml accepts with bound counts).
    expect(pretrain.component.distribution).toEqual({
      type: "mpi",
      process_count_per_instance: 8,
    });
    expect(pretrain.inputs).toEqual({ shards: "${{parent.jobs.shard_corpus.outputs.shards}}" });
    const shard = doc.jobs.shard_corpus;
    expect(shard.component.distribution).toBeUndefined();
    expect(shard.component.outputs).toEqual({ shards: { type: "uri_folder" } });
    expect(argvThroughShell(nodeCommand(shard))).toEqual(["shard.py"]);
    expect(finetune.inputs).toEqual({
      checkpoints: "${{parent.jobs.pretrain.outputs.checkpoints}}",
      labels: "${{parent.inputs.labels}}",
      learning_rate: "${{parent.inputs.learning_rate}}",
    });
    expect(finetune.component).toMatchObject({
      name: "finetune",
      version: "3",
      is_deterministic: false,
      display_name: "finetune",
    });
    expect(argvThroughShell(nodeCommand(finetune))).toEqual(FINETUNE_ARGV);
    expect(argvThroughShell(nodeCommand(pretrain))).toEqual([
      "train.py",
      "--shards",
      "/mnt/inputs/shards",
      "--checkpoints",
      "/mnt/outputs/checkpoints",
    ]);
    // Every step of the source pipeline is converted: nothing is left to do.
    expect(text).not.toContain("TODO(mpistep-migrate");
    expect(outcome.record.steps.map((s) => s.status)).toEqual(["converted", "converted"]);
    expect(outcome.record.diagnostics.filter((d) => d.manual)).toEqual([]);
  });

  it("puts compute on each job when the steps do not share one", async () => {
    const steps = [1, 2].map((i) => ({
      type: "MpiStep",
      name: `s${i}`,
      source_directory: "src",
      script_name: "train.py",
      arguments: [],
      compute_target: `cluster-${i}`,
      node_count: 1,
      process_count_per_node: 1,
    }));
    const outcome = await convert(
      path.join(FIXTURES, "json", "inline.json"),
      "pipeline-yaml",
      scratch(),
      JSON.stringify(steps),
    );
    const doc = parse(written(outcome, "pipeline.yaml"));
    expect(doc.settings).toBeUndefined();
    expect(doc.jobs.s1.compute).toBe("azureml:cluster-1");
    expect(doc.jobs.s2.compute).toBe("azureml:cluster-2");
    expect(schemaErrors("pipeline-job", doc)).toEqual([]);
  });

  it("emits a valid pipeline for every fixture, with the same commands as job-yaml", async () => {
    let checked = 0;
    for (const file of stepFixtures()) {
      const pipeline = await convert(file, "pipeline-yaml", scratch());
      const jobs = await convert(file, "job-yaml", scratch());
      const pipelineFile = pipeline.writes.find((w) => w.path.endsWith("pipeline.yaml"));
      if (!pipelineFile) continue;
      const doc = parse(pipelineFile.bytes.toString("utf8"), { version: "1.1" });
      expect(schemaErrors("pipeline-job", doc), file).toEqual([]);
      const jobDocs = jobs.writes
        .filter((w) => w.path.endsWith(".job.yaml"))
        .map((w) => parse(w.bytes.toString("utf8")));
      // The MpiStep nodes run what job-yaml's jobs (one per MpiStep) run; the other nodes
      // are the steps around them, which job-yaml does not write.
      const names = new Set(jobDocs.map((job) => job.display_name));
      const mpiNodes = Object.values(doc.jobs).filter((node: any) =>
        names.has(node.component.display_name),
      );
      expect(mpiNodes.map(nodeCommand), file).toEqual(jobDocs.map((job) => job.command));
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});

describe("sdk-v2 target", () => {
  it("builds the same jobs and pipeline as the pipeline YAML", async () => {
    const dir = scratch();
    const source = written(await convert(TWO_STAGE, "sdk-v2", dir), "_v2.py");
    expect(cpythonParses(source)).toMatchObject({ ok: true });
    const imports = [...source.matchAll(/^(?:from|import) ([\w.]+)/gm)].map((m) => m[1]);
    expect(imports.every((m) => m!.startsWith("azure.ai.ml"))).toBe(true);
    expect(source).toContain("ml_client.jobs.create_or_update(pipeline_job)");

    const built = runV2(source, dir);
    const doc = parse(written(await convert(TWO_STAGE, "pipeline-yaml", dir), "pipeline.yaml"));
    const [shard, pretrain, finetune] = built.commands;
    expect(shard).toMatchObject({ name: "shard_corpus", process_count_per_instance: null });
    expect(argvThroughShell(finetune.command)).toEqual(FINETUNE_ARGV);
    expect(pretrain).toMatchObject({
      instance_count: 4,
      process_count_per_instance: 8,
      compute: "gpu-nd96",
      is_deterministic: true,
    });
    expect(pretrain.environment).toEqual({
      image: doc.jobs.pretrain.component.environment.image,
      conda_file: "pretrain.conda.yaml",
    });
    expect(finetune).toMatchObject({
      is_deterministic: false,
      // The command holds the defaults; the pipeline node binds them (below).
      environment_variables: {
        AML_PARAMETER_NCCL_IB_DISABLE: "1",
        AML_PARAMETER_learning_rate: "0.0003",
      },
    });
    for (const command of built.commands)
      expect(command.command).toBe(nodeCommand(doc.jobs[command.name]));

    const [pipeline] = built.pipelines;
    expect(pipeline.settings).toEqual({ display_name: "two_stage", default_compute: "gpu-nd96" });
    expect(pipeline.inputs).toEqual(doc.inputs);
    const asYaml = (v: any) =>
      v && typeof v === "object" && "parent" in v
        ? `\${{parent.inputs.${v.parent}}}`
        : v && typeof v === "object" && "job" in v
          ? `\${{parent.jobs.${v.job}.outputs.${v.output}}}`
          : v;
    for (const node of pipeline.nodes) {
      const yamlNode = doc.jobs[node.name];
      expect(
        Object.fromEntries(Object.entries(node.inputs).map(([k, v]) => [k, asYaml(v)])),
      ).toEqual(yamlNode.inputs ?? {});
      expect(asYaml(node.instance_count) ?? undefined).toEqual(yamlNode.resources?.instance_count);
      expect(
        Object.fromEntries(
          Object.entries(node.environment_variables).map(([k, v]) => [k, asYaml(v)]),
        ),
      ).toEqual(yamlNode.environment_variables ?? {});
    }
  });

  it("writes a module that parses and runs for every fixture", async () => {
    let checked = 0;
    for (const file of stepFixtures()) {
      const dir = scratch();
      const outcome = await convert(file, "sdk-v2", dir);
      const module = outcome.writes.find((w) => w.path.endsWith("_v2.py"));
      if (!module) continue;
      const source = module.bytes.toString("utf8");
      expect(cpythonParses(source), file).toMatchObject({ ok: true });
      const built = runV2(source, dir);
      const jobs = (await convert(file, "job-yaml", scratch())).writes
        .filter((w) => w.path.endsWith(".job.yaml"))
        .map((w) => parse(w.bytes.toString("utf8")));
      // The MpiSteps' commands are job-yaml's jobs.
      const names = new Set(jobs.map((job) => job.display_name ?? null));
      const mpi = built.commands.filter((c: any) => names.has(c.display_name ?? null));
      expect(
        mpi.map((c: any) => c.command),
        file,
      ).toEqual(jobs.map((j) => j.command));
      expect(
        mpi.map((c: any) => c.process_count_per_instance ?? null),
        file,
      ).toEqual(jobs.map((j) => j.distribution.process_count_per_instance ?? null));
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});

describe("a file that builds two pipelines", () => {
  it("gives one pipeline each, in both pipeline targets, and the real SDK takes them", async () => {
    const dir = scratch();
    mkdirSync(path.join(dir, "src"));
    for (const script of ["prep.py", "train.py"])
      writeFileSync(path.join(dir, "src", script), "print(1)\n");
    const file = path.join(dir, "two.py");
    const step = (name: string, extra: string) =>
      `MpiStep(name="${name}", source_directory="src", script_name="train.py", arguments=[${extra}], compute_target="gpu", node_count=2, process_count_per_node=4, inputs=[${extra}])`;
    writeFileSync(
      file,
      "from azureml.pipeline.core import Pipeline, PipelineData\n" +
        "from azureml.pipeline.steps import MpiStep, PythonScriptStep\n" +
        'shards = PipelineData("shards")\n' +
        'prep = PythonScriptStep("prep.py", name="prep", source_directory="src", compute_target="cpu", outputs=[shards])\n' +
        `small = ${step("small", "shards")}\n` +
        `large = ${step("large", "shards")}\n` +
        "small_run = Pipeline(ws, steps=[small])\n" +
        "large_run = Pipeline(ws, steps=[large])\n",
    );
    const out = scratch();
    const yamlOutcome = await convert(file, "pipeline-yaml", out);
    const documents = yamlOutcome.writes
      .map((w) => path.relative(out, w.path))
      .filter((p) => p.endsWith("pipeline.yaml"));
    expect(documents).toEqual(["two/small_run/pipeline.yaml", "two/large_run/pipeline.yaml"]);
    for (const [document, node] of [
      [documents[0]!, "small"],
      [documents[1]!, "large"],
    ]) {
      const doc = parse(written(yamlOutcome, document));
      // Each pipeline carries the step that writes its shards.
      expect(Object.keys(doc.jobs)).toEqual(["prep", node]);
      expect(doc.jobs[node].inputs.shards).toBe("${{parent.jobs.prep.outputs.shards}}");
    }
    const module = written(await convert(file, "sdk-v2", out), "_v2.py");
    expect(module).toContain("small_run_pipeline_job = ");
    expect(module).toContain("large_run_pipeline_job = ");
    for (const write of [...yamlOutcome.writes, ...(await convert(file, "sdk-v2", out)).writes]) {
      mkdirSync(path.dirname(write.path), { recursive: true });
      writeFileSync(write.path, write.bytes);
    }
    const verdicts = judge([
      ...documents.map((d) => path.join(out, d)),
      path.join(out, "two", "two_v2.py"),
    ]);
    expect(verdicts.map((v) => (v.ok ? v.jobs.map((j) => j.steps.length) : v.message))).toEqual([
      [2],
      [2],
      [2, 2],
    ]);
  });
});

describe("TODO comments", () => {
  it("stand where each target writes the field they are about", async () => {
    const dir = scratch();
    const file = path.join(dir, "steps.json");
    // use_docker=False: a TODO about the environment; an unevaluable node count: a TODO
    // about the instance count, which no target can then write.
    writeFileSync(
      file,
      JSON.stringify({
        name: "train",
        source_directory: "src",
        script_name: "train.py",
        arguments: [],
        compute_target: "gpu",
        node_count: { expression: "cfg.nodes" },
        process_count_per_node: 1,
        use_docker: false,
      }),
    );
    const text = async (target: TargetName, name: string) =>
      (await convert(file, target, scratch())).writes
        .find((w) => w.path.endsWith(name))!
        .bytes.toString("utf8")
        .split("\n");
    const nextLine = (lines: string[], code: string) =>
      lines[lines.findIndex((line) => line.includes(`TODO(mpistep-migrate ${code})`)) + 1]!;

    const job = await text("job-yaml", "train.job.yaml");
    expect(nextLine(job, "MPI017")).toMatch(/^environment:/);
    const pipeline = await text("pipeline-yaml", "pipeline.yaml");
    expect(nextLine(pipeline, "MPI017")).toMatch(/^ {6}environment:/); // in the component
    const module = await text("sdk-v2", "steps_v2.py");
    expect(nextLine(module, "MPI017")).toMatch(/^ {4}environment=Environment\(/);
    // No instance_count is written: its TODO stands above the call.
    expect(nextLine(module, "MPI014")).toMatch(/^(# TODO.*|train_command = command\()$/);
    expect(cpythonParses(module.join("\n")).ok).toBe(true);
  });
});
