// Notebook frontend: magics masked without moving positions, names across cells, cell
// locations, markdown ignored, bad notebooks reported.

import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { maskMagics, parseNotebookSteps } from "../../src/frontends/notebook/index.js";
import { FIXTURES } from "../helpers.js";

const NOTEBOOK = path.join(FIXTURES, "python/notebooks/train.ipynb");

function notebook(
  cells: Array<{ cell_type: string; source: string[] }>,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify(
    {
      cells: cells.map((c) => ({ metadata: {}, outputs: [], ...c })),
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
      ...extra,
    },
    null,
    1,
  );
}

describe("notebook frontend", () => {
  it("masks magics and shell lines with comments of the same length", () => {
    const source = "%pip install x\n!ls -l\nfiles = !ls\nx = 1\n  %time f()\n";
    const masked = maskMagics(source);
    expect(masked.length).toBe(source.length);
    expect(masked.split("\n")).toEqual([
      "#pip install x",
      "#ls -l",
      "#iles = !ls",
      "x = 1",
      "# %time f()",
      "",
    ]);
    expect(maskMagics("%%bash\necho hi\n")).toBe("#%bash\n#cho hi\n");
  });

  it("finds the step built cell by cell, with names from earlier cells", async () => {
    const result = await parseNotebookSteps(readFileSync(NOTEBOOK, "utf8"));
    expect(result.steps).toHaveLength(1);
    const [step] = result.steps;
    expect(step!.cell).toEqual({ index: 6, line: 1 });
    const fileLine = readFileSync(NOTEBOOK, "utf8").split("\n")[step!.line - 1]!;
    expect(fileLine).toContain("step = MpiStep(");
    expect(step!.args.get("compute_target")!.value).toMatchObject({
      kind: "compute",
      name: "gpu-cluster",
    });
    expect(step!.args.get("node_count")!.value).toMatchObject({
      kind: "pipelineParameter",
      name: "nodes",
    });
    const args = step!.args.get("arguments")!.value;
    expect(args.kind === "list" && args.items.map((i) => i.kind)).toEqual([
      "literal",
      "pipelineParameter",
      "literal",
      "literal",
    ]);
  });

  it("does not count a markdown cell that mentions MpiStep", async () => {
    const text = notebook([
      {
        cell_type: "markdown",
        source: ["from azureml.pipeline.steps import MpiStep\n", "MpiStep(name='x')"],
      },
    ]);
    expect((await parseNotebookSteps(text)).steps).toHaveLength(0);
  });

  it("reports a syntax error with its cell", async () => {
    const text = notebook([
      { cell_type: "code", source: ["x = 1"] },
      { cell_type: "code", source: ["def f(:\n", "    pass"] },
    ]);
    await expect(parseNotebookSteps(text)).rejects.toMatchObject({
      code: "MPI030",
      message: expect.stringContaining("cell 1, line 1"),
    });
  });

  it("reports invalid JSON and old nbformat", async () => {
    await expect(parseNotebookSteps('{"cells": [')).rejects.toMatchObject({ code: "MPI030" });
    await expect(
      parseNotebookSteps(JSON.stringify({ worksheets: [], nbformat: 3 })),
    ).rejects.toMatchObject({ message: expect.stringContaining("nbformat 3") });
  });
});
