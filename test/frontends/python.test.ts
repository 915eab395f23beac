// Python frontend: which calls are MpiStep, how their arguments are understood, and
// what happens with syntax errors. Every fixture must also parse with CPython.

import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parsePythonSteps } from "../../src/frontends/python/index.js";
import { InputError } from "../../src/diagnostics/model.js";
import type { StepDefinition, Value } from "../../src/ir/types.js";
import { cpythonParses, FIXTURES } from "../helpers.js";

const CALL =
  'MpiStep(name="s", source_directory="src", script_name="t.py", arguments=[], compute_target=c, node_count=1, process_count_per_node=1)';

/** The MpiSteps the frontend finds (the steps of other kinds are tested on their own). */
async function stepsOf(source: string): Promise<StepDefinition[]> {
  return (await parsePythonSteps(source)).steps.filter((step) => step.kind === "MpiStep");
}

async function valueOf(source: string, param: string): Promise<Value> {
  const [step] = await stepsOf(source);
  return step!.args.get(param)!.value;
}

function pythonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? pythonFiles(full) : name.endsWith(".py") ? [full] : [];
  });
}

describe("python frontend: finding MpiStep calls", () => {
  const forms: Array<[string, string]> = [
    ["from azureml.pipeline.steps import MpiStep", CALL],
    ["from azureml.pipeline.steps import MpiStep as M", CALL.replace("MpiStep", "M")],
    ["from azureml.pipeline.steps.mpi_step import MpiStep", CALL],
    ["import azureml.pipeline.steps as s", `s.${CALL}`],
    ["import azureml.pipeline.steps", `azureml.pipeline.steps.${CALL}`],
    ["import azureml.pipeline.steps.mpi_step as m", `m.${CALL}`],
    ["from azureml.pipeline import steps", `steps.${CALL}`],
    ["from azureml.pipeline.steps import *", CALL],
  ];
  for (const [imp, call] of forms)
    it(`finds ${imp}`, async () => {
      expect(await stepsOf(`${imp}\nx = ${call}\n`)).toHaveLength(1);
    });

  it("ignores MpiStep classes from elsewhere and CommandStep code", async () => {
    expect(await stepsOf(`from mylib.steps import MpiStep\nx = ${CALL}\n`)).toHaveLength(0);
    expect(await stepsOf(`class MpiStep: pass\nx = ${CALL}\n`)).toHaveLength(0);
    expect(await stepsOf(`import azureml.pipeline.steps as s\nx = ${CALL}\n`)).toHaveLength(0);
    expect(
      await stepsOf(readFileSync(path.join(FIXTURES, "python/legacy/already_migrated.py"), "utf8")),
    ).toHaveLength(0);
  });

  it("finds calls in lists, returns, dict values, methods and nested functions", async () => {
    const source = [
      "from azureml.pipeline.steps import MpiStep",
      `p = Pipeline(steps=[${CALL}])`,
      `def f():\n    return ${CALL}`,
      `d = {"a": ${CALL}}`,
      `class K:\n    def m(self):\n        def inner():\n            self.s = ${CALL}`,
      "",
    ].join("\n");
    const steps = await stepsOf(source);
    expect(steps.map((s) => s.line)).toEqual([2, 4, 5, 9]);
    expect(steps[0]!.column).toBe(21);
  });
});

describe("python frontend: understanding arguments", () => {
  const imp = "from azureml.pipeline.steps import MpiStep\n";

  it("maps positional arguments in signature order", async () => {
    const [step] = await stepsOf(`${imp}MpiStep("n", "src", "t.py", ["--a"], c, 2, 4)\n`);
    expect([...step!.args.keys()]).toEqual([
      "name",
      "source_directory",
      "script_name",
      "arguments",
      "compute_target",
      "node_count",
      "process_count_per_node",
    ]);
    expect(step!.args.get("node_count")!.value).toMatchObject({
      kind: "literal",
      value: { type: "int", str: "2" },
    });
  });

  it("reads **dict literals and names bound to them, with call-site text", async () => {
    const [inline] = await stepsOf(`${imp}MpiStep(**{"name": "a", "node_count": 3})\n`);
    expect(inline!.args.get("node_count")!.value).toMatchObject({
      value: { type: "int", str: "3" },
      text: "3",
    });
    const [named] = await stepsOf(
      `${imp}CFG = {"name": "b", "node_count": n}\nn = 1\nMpiStep(**CFG)\n`,
    );
    expect(named!.args.get("name")!.value).toMatchObject({ value: "b", text: 'CFG["name"]' });
    expect(named!.unresolvedMapping).toBeUndefined();
  });

  it("resolves names through function and module scopes, last assignment first", async () => {
    const source = `${imp}x = "module"\nx = "later"\ndef f():\n    y = x + ".py"\n    return MpiStep(script_name=y, name=x)\n`;
    const [step] = await stepsOf(source);
    expect(step!.args.get("script_name")!.value).toMatchObject({
      kind: "literal",
      value: "later.py",
      text: "y",
    });
    expect(step!.args.get("name")!.value).toMatchObject({ value: "later" });
  });

  it("keeps names bound in branches, parameters and loops opaque", async () => {
    expect(
      await valueOf(`${imp}if c:\n    s = "a.py"\nMpiStep(script_name=s)\n`, "script_name"),
    ).toMatchObject({ kind: "opaque", text: "s" });
    expect(
      await valueOf(`${imp}def f(s="a.py"):\n    return MpiStep(script_name=s)\n`, "script_name"),
    ).toMatchObject({ kind: "opaque" });
    expect(
      await valueOf(`${imp}for s in xs:\n    MpiStep(script_name=s)\n`, "script_name"),
    ).toMatchObject({ kind: "opaque" });
    expect(
      await valueOf(`${imp}s = "a.py"\nMpiStep(script_name=s)\ns = "b.py"\n`, "script_name"),
    ).toMatchObject({ value: "a.py" });
  });

  it("decodes string literals", async () => {
    const v = (expr: string) => valueOf(`${imp}MpiStep(name=${expr})\n`, "name");
    expect(await v(`"a\\tb\\\\c\\x41\\u00e9"`)).toMatchObject({ value: "a\tb\\cAé" });
    expect(await v(`r"C:\\new"`)).toMatchObject({ value: "C:\\new" });
    expect(await v(`'it' "s"`)).toMatchObject({ value: "its" });
    expect(await v(`"""multi\nline"""`)).toMatchObject({ value: "multi\nline" });
    expect(await v(`f"{x}"`)).toMatchObject({ kind: "opaque", text: 'f"{x}"' });
    expect(await v(`b"x"`)).toMatchObject({ kind: "opaque" });
    expect(await v(`-3`)).toMatchObject({ value: { type: "int", str: "-3" } });
    expect(await v(`1_000`)).toMatchObject({ value: { type: "int", str: "1000" } });
  });

  it("understands Azure ML constructors", async () => {
    const source = `${imp}from azureml.core import Datastore
ds = Datastore.get(ws, "blob")
p = PipelineParameter(name="nodes", default_value=2)
ref = DataReference(datastore=ds, data_reference_name="models", path_on_datastore="m/x", mode="download")
pd = PipelineData("prepped", datastore=ds)
out = OutputFileDatasetConfig(name="scores", destination=(ws.datastores["res"], "s/{run-id}"))
dset = Dataset.get_by_name(ws, name="imgs", version=3).as_named_input("images").as_download()
env = Environment.get(ws, name="pt", version="7")
MpiStep(node_count=p, arguments=[ref, pd, out, dset], compute_target=ws.compute_targets["gpu"], environment_definition=env)
MpiStep(compute_target=ComputeTarget.create(ws, "c2", AmlCompute.provisioning_configuration(vm_size="x")))
MpiStep(compute_target=ComputeInstance(ws, "ci"), environment_definition=Environment("local"))
`;
    const [a, b, c] = await stepsOf(source);
    expect(a!.args.get("node_count")!.value).toMatchObject({
      kind: "pipelineParameter",
      name: "nodes",
      default: { value: { type: "int", str: "2" } },
      text: "p",
    });
    const args = a!.args.get("arguments")!.value;
    expect(args.kind === "list" && args.items).toMatchObject([
      {
        kind: "data",
        dataKind: "DataReference",
        name: "models",
        datastore: "blob",
        path: "m/x",
        mode: "download",
      },
      { kind: "data", dataKind: "PipelineData", name: "prepped", datastore: "blob" },
      {
        kind: "data",
        dataKind: "OutputFileDatasetConfig",
        name: "scores",
        datastore: "res",
        path: "s/{run-id}",
      },
      {
        kind: "data",
        dataKind: "Dataset",
        name: "images",
        path: "azureml:imgs:3",
        mode: "download",
      },
    ]);
    expect(a!.args.get("compute_target")!.value).toMatchObject({ kind: "compute", name: "gpu" });
    expect(a!.args.get("environment_definition")!.value).toMatchObject({
      kind: "environment",
      name: "pt",
      version: "7",
    });
    expect(b!.args.get("compute_target")!.value).toMatchObject({
      kind: "compute",
      name: "c2",
      computeType: "AmlCompute",
    });
    expect(c!.args.get("compute_target")!.value).toMatchObject({
      kind: "compute",
      name: "ci",
      computeType: "ComputeInstance",
    });
    expect(c!.args.get("environment_definition")!.value).toMatchObject({
      kind: "environment",
      name: "local",
      constructed: true,
    });
  });

  it("keeps anything else opaque with its exact text", async () => {
    expect(
      await valueOf(`${imp}MpiStep(arguments=build_args( 1,  2 ))\n`, "arguments"),
    ).toMatchObject({ kind: "opaque", text: "build_args( 1,  2 )" });
  });

  it("records ignored keywords and producers of pipeline data from other steps", async () => {
    const source = `${imp}pd = PipelineData("prepped")\nprep = PythonScriptStep(name="prep", outputs=[pd])\nMpiStep(inputs=[pd], runconfig=rc)\n`;
    const [step] = await stepsOf(source);
    expect(step!.ignored.map((a) => a.name)).toEqual(["runconfig"]);
    const inputs = step!.args.get("inputs")!.value;
    expect(inputs.kind === "list" && inputs.items[0]).toMatchObject({
      name: "prepped",
      producer: "prep",
    });
  });
});

describe("python frontend: syntax", () => {
  it("reports the first syntax error with line and column", async () => {
    await expect(parsePythonSteps("x = 1\ndef f(:\n    pass\n")).rejects.toMatchObject({
      code: "MPI030",
      line: 2,
    });
    await expect(parsePythonSteps("x = (1,\n")).rejects.toBeInstanceOf(InputError);
  });

  it("parses Python 3.12 syntax (f-strings, walrus, match, decorators)", async () => {
    const steps = await stepsOf(
      readFileSync(path.join(FIXTURES, "python/legacy/modern_syntax.py"), "utf8"),
    );
    expect(steps).toHaveLength(1);
    expect(steps[0]!.args.get("name")!.value).toMatchObject({ value: "train" });
  });

  it("every Python fixture parses with CPython", () => {
    const files = pythonFiles(path.join(FIXTURES, "python"));
    expect(files.length).toBeGreaterThan(8);
    for (const file of files)
      expect(cpythonParses(readFileSync(file, "utf8")), file).toMatchObject({ ok: true });
  });
});
