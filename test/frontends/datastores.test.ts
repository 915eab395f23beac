// The datastores Azure ML's own samples use resolve to a name, so data references get
// their v2 path: the workspace default (assumed workspaceblobstore, said so), Datastore(),
// Datastore.get() and Datastore.register_azure_blob_container / _file_share.

import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { processFile } from "../../src/stages/process.js";
import { scratch } from "../helpers.js";

const STEP = (reference: string) => `from azureml.core import Datastore
from azureml.data.data_reference import DataReference
from azureml.pipeline.steps import MpiStep

store = ${reference}
images = DataReference(datastore=store, data_reference_name="images", path_on_datastore="mnist", mode="download")
step = MpiStep(name="train", source_directory="missing_src", script_name="train.py", arguments=["--data", images],
               compute_target="gpu", node_count=1, process_count_per_node=1)
`;

async function jobOf(reference: string) {
  const outcome = await processFile(
    {
      path: path.join(scratch(), "p.py"),
      root: scratch(),
      explicit: true,
      bytes: Buffer.from(STEP(reference)),
    },
    {
      command: "convert",
      target: "job-yaml",
      defaultImages: "latest",
      maxBytes: 1 << 20,
      outputRoot: scratch(),
    },
  );
  const job = outcome.writes.find((w) => w.path.endsWith(".job.yaml"))!;
  return { doc: parse(job.bytes.toString("utf8")), step: outcome.record.steps[0]! };
}

describe("datastores", () => {
  it("resolves each form the samples use to the datastore's name", async () => {
    const forms: Array<[string, string]> = [
      ['Datastore(ws, "training")', "training"],
      ['Datastore.get(ws, "training")', "training"],
      ['Datastore.get(ws, datastore_name="training")', "training"],
      [
        'Datastore.register_azure_blob_container(ws, "blobs", "container", account_name="a")',
        "blobs",
      ],
      [
        'Datastore.register_azure_file_share(workspace=ws, datastore_name="share", file_share_name="f")',
        "share",
      ],
      ['ws.datastores["training"]', "training"],
      ["ws.get_default_datastore()", "workspaceblobstore"],
    ];
    for (const [reference, name] of forms) {
      const { doc, step } = await jobOf(reference);
      expect(doc.inputs.images, reference).toEqual({
        type: "uri_folder",
        path: `azureml://datastores/${name}/paths/mnist`,
        mode: "download",
      });
      expect(step.status, reference).toBe("converted");
    }
  });

  it("says when it assumes the workspace default is workspaceblobstore", async () => {
    const { step } = await jobOf("ws.get_default_datastore()");
    expect(step.diagnostics).toContainEqual(
      expect.objectContaining({
        code: "MPI037",
        severity: "info",
        message: expect.stringContaining("workspaceblobstore"),
      }),
    );
    expect(
      (await jobOf('Datastore(ws, "training")')).step.diagnostics.map((d) => d.code),
    ).not.toContain("MPI037");
  });
});
