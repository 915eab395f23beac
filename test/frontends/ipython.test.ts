// IPython input that is not Python (help, magics, shell, assignments from them) is masked
// in notebooks, so a notebook holding it is read, its MpiStep found, and its write-back
// keeps every byte outside the edit.

import { describe, expect, it } from "vitest";
import { maskMagics, parseNotebookSteps } from "../../src/frontends/notebook/index.js";
import { cpythonParses } from "../helpers.js";

const IPYTHON = [
  "?DataReference",
  "??Datastore",
  "DataReference?",
  "DataReference??",
  "azureml.core.Workspace?",
  "np.*load*?",
  "%timeit?",
  "%matplotlib inline",
  "!pip install azureml-sdk",
  "files = !ls",
  "t = %time 1 + 1",
  "  %env AZUREML_LOG=1",
];

describe("IPython syntax in notebooks", () => {
  it("masks each transformation IPython applies, at equal length, into valid Python", () => {
    for (const line of IPYTHON) {
      const masked = maskMagics(`${line}\nx = 1\n`);
      expect(masked.length, line).toBe(line.length + "\nx = 1\n".length);
      expect(masked.endsWith("\nx = 1\n"), line).toBe(true);
      expect(cpythonParses(masked), line).toMatchObject({ ok: true });
    }
  });

  it("leaves Python alone, question marks in strings and comments included", () => {
    const python = 'x = "why?"\nprint(x)  # really?\nif a:\n    y = b[0]\n';
    expect(maskMagics(python)).toBe(python);
  });

  it("finds the MpiStep of a notebook with help and shell cells", async () => {
    const cells = [
      "?DataReference",
      "DataReference??\n!ls -l\nfiles = !ls",
      [
        "from azureml.pipeline.steps import MpiStep\n",
        'step = MpiStep(name="nb", source_directory="src", script_name="train.py", arguments=[], compute_target="c", node_count=1, process_count_per_node=1)\n',
      ].join(""),
    ];
    const text = JSON.stringify({
      cells: cells.map((source) => ({ cell_type: "code", metadata: {}, outputs: [], source })),
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    });
    const result = await parseNotebookSteps(text, { strict: true });
    expect(result.steps.map((s) => s.label)).toEqual(["nb"]);
    expect(result.steps[0]!.cell).toEqual({ index: 2, line: 2 });
  });
});
