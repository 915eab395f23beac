// Target commandstep, edge cases of editing: name clashes, import upkeep, places where
// no statement can be inserted, and unresolvable keyword mappings.

import path from "node:path";
import { describe, expect, it } from "vitest";
import { processFile } from "../../src/stages/process.js";
import { cpythonParses } from "../helpers.js";

const CALL =
  'MpiStep(name="x", source_directory="src", script_name="t.py", arguments=[], compute_target="c", node_count=1, process_count_per_node=1';

async function convert(source: string) {
  const file = path.join("/nonexistent", "module.py");
  const outcome = await processFile(
    { path: file, root: "/nonexistent", explicit: true, bytes: Buffer.from(source) },
    { command: "convert", defaultImages: "latest", maxBytes: 1 << 20 },
  );
  return { text: outcome.rewrite?.after, steps: outcome.record.steps };
}

describe("commandstep edits", () => {
  it("imports under another name when the file already binds one", async () => {
    const { text } = await convert(
      `from azureml.core import Workspace\nfrom azureml.pipeline.steps import MpiStep, PythonScriptStep\nEnvironment = "ours"\nstep = ${CALL}, use_gpu=True)\n`,
    );
    expect(text).toContain(
      "from azureml.core import Workspace, Environment as AzureMLEnvironment, ScriptRunConfig\n",
    );
    expect(text).toContain('x_env = AzureMLEnvironment("x-env")');
    expect(text).toContain("from azureml.pipeline.steps import CommandStep, PythonScriptStep\n");
    expect(text).toContain('Environment = "ours"');
    expect(cpythonParses(text!)).toMatchObject({ ok: true });
  });

  it("keeps the MpiStep import while something else still uses it", async () => {
    const { text } = await convert(
      `from azureml.pipeline.steps import MpiStep\nstep = ${CALL})\nassert isinstance(step, MpiStep)\n`,
    );
    expect(text).toContain("from azureml.pipeline.steps import MpiStep, CommandStep\n");
  });

  it("reuses existing imports and removes a name from the middle of an import list", async () => {
    const { text } = await convert(
      `from azureml.core import ScriptRunConfig\nfrom azureml.pipeline.steps import (\n    PythonScriptStep,\n    MpiStep,\n    CommandStep,\n)\nstep = ${CALL})\n`,
    );
    expect(text).toContain(
      "from azureml.pipeline.steps import (\n    PythonScriptStep,\n    CommandStep,\n)\n",
    );
    expect(text!.match(/ScriptRunConfig/g)!.length).toBe(2);
    expect(cpythonParses(text!)).toMatchObject({ ok: true });
  });

  it("marks a step needing environment statements inside a lambda as manual and leaves it", async () => {
    const source = `from azureml.pipeline.steps import MpiStep\nmake = lambda: ${CALL}, use_gpu=True)\n`;
    const { text, steps } = await convert(source);
    expect(text).toBeUndefined();
    expect(steps[0]).toMatchObject({
      status: "manual",
      diagnostics: expect.arrayContaining([expect.objectContaining({ code: "MPI023" })]),
    });
    const plain = await convert(
      `from azureml.pipeline.steps import MpiStep\nmake = lambda: ${CALL})\n`,
    );
    expect(plain.steps[0]!.status).toBe("converted");
    expect(plain.text).toContain("make = lambda: CommandStep(");
  });

  it("leaves a call with an unresolvable **mapping untouched", async () => {
    const { text, steps } = await convert(
      `from azureml.pipeline.steps import MpiStep\ndef f(cfg):\n    return MpiStep(**cfg)\n`,
    );
    expect(text).toBeUndefined();
    expect(steps[0]!.status).toBe("manual");
  });

  it("uses module-qualified CommandStep when MpiStep was module-qualified", async () => {
    const { text } = await convert(`import azureml.pipeline.steps as s\nstep = s.${CALL})\n`);
    expect(text).toContain("step = s.CommandStep(");
    expect(text).toContain(
      "import azureml.pipeline.steps as s\nfrom azureml.core import ScriptRunConfig\n",
    );
  });

  it("carries use_gpu given as an expression as a conditional image", async () => {
    const { text } = await convert(
      `from azureml.pipeline.steps import MpiStep\nstep = ${CALL}, use_gpu=settings.gpu)\n`,
    );
    expect(text).toContain(
      "x_env.docker.base_image = DEFAULT_GPU_IMAGE if settings.gpu else DEFAULT_CPU_IMAGE",
    );
  });
});
