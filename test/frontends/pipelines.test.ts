// Which steps v1 submits together (src/ir/graph.ts) and what a run configuration built in
// code holds (src/frontends/python/objects.ts), read from Python the way the samples
// write it. Expectations follow docs/semantics.md, "Whole pipelines".

import { describe, expect, it } from "vitest";
import { parsePythonSteps } from "../../src/frontends/python/index.js";
import { buildPipelines, nodeLabel } from "../../src/ir/graph.js";
import type { RunConfigValue, StepDefinition } from "../../src/ir/types.js";

const HEAD =
  "from azureml.core import Environment\n" +
  "from azureml.core.conda_dependencies import CondaDependencies\n" +
  "from azureml.core.runconfig import RunConfiguration\n" +
  "from azureml.data import OutputFileDatasetConfig\n" +
  "from azureml.pipeline.core import Pipeline, PipelineData\n" +
  "from azureml.pipeline.steps import MpiStep, PythonScriptStep, ParallelRunStep\n";
const MPI =
  'source_directory="src", script_name="t.py", compute_target="gpu", node_count=1, process_count_per_node=1';

async function graphsOf(source: string) {
  const parsed = await parsePythonSteps(HEAD + source);
  return buildPipelines(parsed.steps, parsed.skipped, parsed.pipelines ?? []).map((graph) => ({
    label: graph.label,
    nodes: graph.nodes.map(nodeLabel),
    edges: graph.edges.map((e) => `${nodeLabel(e.from)} -${e.data.name}-> ${nodeLabel(e.to)}`),
    order: graph.order.map((o) => `${nodeLabel(o.before)} < ${nodeLabel(o.after)}`),
    unresolved: graph.unresolved,
  }));
}

async function runConfigOf(source: string, step = "s"): Promise<RunConfigValue> {
  const parsed = await parsePythonSteps(HEAD + source);
  const found = parsed.steps.find((s: StepDefinition) => s.label === step)!;
  return found.args.get("runconfig")!.value as RunConfigValue;
}

describe("the steps v1 submits", () => {
  it("pulls in every producer of what a listed step reads, recursively", async () => {
    const graphs = await graphsOf(
      'a_out = PipelineData("a_out")\n' +
        'b_out = OutputFileDatasetConfig(name="b_out")\n' +
        'a = PythonScriptStep("a.py", name="a", outputs=[a_out])\n' +
        `b = MpiStep(name="b", arguments=["--in", a_out, "--out", b_out], inputs=[a_out], ${MPI})\n` +
        'c = PythonScriptStep("c.py", name="c", arguments=[b_out.as_input()])\n' +
        'unrelated = PythonScriptStep("u.py", name="u")\n' +
        "pipeline = Pipeline(ws, steps=[c])\n",
    );
    expect(graphs).toEqual([
      {
        label: "pipeline",
        nodes: ["a", "b", "c"],
        edges: ["a -a_out-> b", "b -b_out-> c"],
        order: [],
        unresolved: [],
      },
    ]);
  });

  it("keeps run_after orders without data, list items it cannot follow, and other step types", async () => {
    const [graph] = await graphsOf(
      'scores = PipelineData("scores")\n' +
        'prep = PythonScriptStep("p.py", name="prep")\n' +
        `train = MpiStep(name="train", arguments=[], outputs=[scores], ${MPI})\n` +
        "train.run_after(prep)\n" +
        'score = ParallelRunStep(name="score", parallel_run_config=cfg, inputs=[scores])\n' +
        "Pipeline(ws, [prep, score, extra_step])\n",
    );
    expect(graph!.nodes).toEqual(["prep", "train", "score"]);
    expect(graph!.order).toEqual(["prep < train"]);
    expect(graph!.edges).toEqual(["train -scores-> score"]);
    // A name bound to nothing the tool can see is kept as text (a TODO of the pipeline).
    expect(graph!.unresolved).toEqual(["extra_step"]);
  });

  it("gives the MpiSteps no Pipeline(...) submits one pipeline, with the steps joined by data", async () => {
    const graphs = await graphsOf(
      'd = PipelineData("d")\n' +
        'p = PythonScriptStep("p.py", name="p", outputs=[d])\n' +
        `m = MpiStep(name="m", arguments=[d], inputs=[d], ${MPI})\n` +
        'alone = PythonScriptStep("x.py", name="alone")\n',
    );
    expect(graphs.map((g) => [g.label, g.nodes])).toEqual([["the file's steps", ["p", "m"]]]);
  });
});

describe("run configurations built in code", () => {
  it("applies the statements after the binding and before the step, in order", async () => {
    const rc = await runConfigOf(
      "cd = CondaDependencies()\n" +
        'cd.add_channel("pytorch")\n' +
        'cd.add_pip_package("numpy==1.0")\n' +
        'cd.add_pip_package("numpy==2.0")\n' +
        'cd.add_conda_package("python=3.11.4")\n' +
        "rc = RunConfiguration(conda_dependencies=cd)\n" +
        'rc.environment.docker.base_image = "img:1"\n' +
        'rc.environment.environment_variables["A"] = "1"\n' +
        'rc.target = "cpu"\n' +
        's = PythonScriptStep("s.py", name="s", runconfig=rc)\n' +
        'rc.environment.docker.base_image = "img:after"\n',
    );
    expect(rc.built).toMatchObject({
      baseImage: "img:1",
      conda: {
        channels: ["pytorch"],
        pipPackages: ["azureml-defaults", "numpy==2.0"],
        python: "3.11.4",
      },
      variables: [{ key: "A", value: { kind: "literal", value: "1" } }],
      unevaluated: [],
    });
    expect(rc.target).toMatchObject({ kind: "literal", value: "cpu" });
  });

  it("keeps what it cannot follow as text: a branch, a call of the user's, an alias", async () => {
    const rc = await runConfigOf(
      "rc = RunConfiguration()\n" +
        "if gpu:\n" +
        '    rc.environment.docker.base_image = "gpu:1"\n' +
        "tune(rc)\n" +
        "same = rc\n" +
        's = PythonScriptStep("s.py", name="s", runconfig=rc)\n',
    );
    expect(rc.built?.baseImage).toBeUndefined();
    expect(rc.unevaluated).toEqual([
      'rc.environment.docker.base_image = "gpu:1"',
      "tune(rc)",
      "same = rc",
    ]);
  });

  it("reads environments: built, registered, from a conda file", async () => {
    const built = await runConfigOf(
      'env = Environment("e")\n' +
        'env.python.conda_dependencies = CondaDependencies.create(pip_packages=["x==1"], python_version="3.9.1")\n' +
        "rc = RunConfiguration()\n" +
        "rc.environment = env\n" +
        's = PythonScriptStep("s.py", name="s", runconfig=rc)\n',
    );
    expect(built.built?.conda).toMatchObject({ pipPackages: ["x==1"], python: "3.9.1" });
    const registered = await runConfigOf(
      'rc = RunConfiguration()\nrc.environment = Environment.get(ws, "reg", version="3")\ns = PythonScriptStep("s.py", name="s", runconfig=rc)\n',
    );
    expect(registered.environment).toMatchObject({
      kind: "environment",
      name: "reg",
      version: "3",
    });
    expect(registered.built).toBeUndefined();
    const fromFile = await runConfigOf(
      'rc = RunConfiguration()\nrc.environment = Environment.from_conda_specification("f", "env.yml")\ns = PythonScriptStep("s.py", name="s", runconfig=rc)\n',
    );
    expect(fromFile.built?.conda?.file).toBe("env.yml");
  });
});
