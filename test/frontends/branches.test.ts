// Compute targets and datastores bound on every path of an `if` or `try` (the samples'
// "get it, or create it") resolve when every path agrees; otherwise they stay opaque.

import { describe, expect, it } from "vitest";
import { parsePythonSteps } from "../../src/frontends/python/index.js";
import type { Value } from "../../src/ir/types.js";

const STEP = `
data = DataReference(datastore=store, data_reference_name="d", path_on_datastore="p")
step = MpiStep(name="s", source_directory="src", script_name="t.py", arguments=[data],
               compute_target=cluster, node_count=1, process_count_per_node=1)
`;
const HEAD = "from azureml.pipeline.steps import MpiStep\n";

async function valuesOf(source: string): Promise<{ compute: Value; data: Value }> {
  const { steps } = await parsePythonSteps(HEAD + source + STEP);
  const args = steps[0]!.args;
  const list = args.get("arguments")!.value;
  return {
    compute: args.get("compute_target")!.value,
    data: list.kind === "list" ? list.items[0]! : list,
  };
}

describe("names bound in branches", () => {
  it("resolves try/except (bare or typed) and if/else when every path agrees", async () => {
    for (const handler of ["except ComputeTargetException:", "except:"]) {
      const { compute, data } = await valuesOf(`
name = "gpu-cluster"
try:
    cluster = ComputeTarget(workspace=ws, name=name)
    store = Datastore.get(ws, "training")
${handler}
    cfg = AmlCompute.provisioning_configuration(vm_size="NC6")
    cluster = ComputeTarget.create(ws, name, cfg)
    store = Datastore.register_azure_file_share(ws, datastore_name="training", file_share_name="f")
`);
      expect(compute, handler).toMatchObject({
        kind: "compute",
        name: "gpu-cluster",
        computeType: "AmlCompute",
      });
      expect(data, handler).toMatchObject({ kind: "data", datastore: "training" });
    }
    const { compute, data } = await valuesOf(`
if "gpu" in ws.compute_targets:
    cluster = ws.compute_targets["gpu"]
    store = ws.datastores["blobs"]
elif fallback:
    cluster = AmlCompute(ws, "gpu")
    store = Datastore(ws, "blobs")
else:
    cluster = ComputeTarget.create(ws, "gpu", AmlCompute.provisioning_configuration(vm_size="NC6"))
    store = Datastore.register_azure_blob_container(ws, "blobs", "container")
`);
    expect(compute).toMatchObject({ kind: "compute", name: "gpu" });
    expect(data).toMatchObject({ kind: "data", datastore: "blobs" });
  });

  it("keeps today's behaviour when a path does not bind, or the paths disagree", async () => {
    const cases = [
      // No else: a path binds nothing.
      `if ok:\n    cluster = AmlCompute(ws, "a")\n    store = Datastore(ws, "x")\n`,
      // Different names.
      `try:\n    cluster = AmlCompute(ws, "a")\n    store = Datastore(ws, "x")\nexcept:\n    cluster = AmlCompute(ws, "b")\n    store = Datastore(ws, "y")\n`,
      // A finally that could bind last.
      `try:\n    cluster = AmlCompute(ws, "a")\n    store = Datastore(ws, "x")\nexcept:\n    cluster = AmlCompute(ws, "a")\n    store = Datastore(ws, "x")\nfinally:\n    cluster = pick()\n    store = other()\n`,
      // A binding nested one branch deeper.
      `try:\n    if x:\n        cluster = AmlCompute(ws, "a")\n        store = Datastore(ws, "x")\nexcept:\n    cluster = AmlCompute(ws, "a")\n    store = Datastore(ws, "x")\n`,
    ];
    for (const source of cases) {
      const { compute, data } = await valuesOf(source);
      expect(compute.kind, source).toBe("opaque");
      expect(data.kind === "data" && data.datastore, source).toBeFalsy();
    }
  });
});
