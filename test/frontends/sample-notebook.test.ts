// A notebook in the style of Azure ML's distributed samples (fixtures/python/notebooks/
// style_transfer.ipynb: help and shell cells, %%writefile scripts, a cluster found or
// created in try/except, default and registered datastores, a PipelineParameter node
// count, DataReferences in download mode, PipelineData from the MpiStep to a
// PythonScriptStep) is found, converts without manual work, passes the real SDK, and is
// rewritten in place without touching anything but the edited lines.

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { diffLines } from "diff";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FIXTURES, runCli, scratch } from "../helpers.js";
import { judge } from "../sdk/judge.js";

const NOTEBOOK = path.join(FIXTURES, "python/notebooks/style_transfer.ipynb");

describe("a notebook in the style of Azure ML's samples", () => {
  it("check finds its step, with the notebook's own script counted as there", () => {
    const result = runCli(["check", NOTEBOOK, "--format", "json"]);
    expect(result.code).toBe(1);
    const [file] = JSON.parse(result.stdout).files;
    expect(file.steps).toHaveLength(1);
    const codes = file.steps[0].diagnostics.map((d: any) => d.code);
    expect(codes).toContain("MPI039");
    expect(codes).not.toContain("MPI010");
    // The PythonScriptStep beside it is a step the tool models, not a skipped entry.
    expect(file.diagnostics).toEqual([]);
  });

  it("converts to job-yaml and pipeline-yaml with compute and datastore paths resolved", () => {
    const out = scratch();
    const documents: string[] = [];
    for (const target of ["job-yaml", "pipeline-yaml"]) {
      const dir = path.join(out, target);
      const result = runCli([
        "convert",
        NOTEBOOK,
        "--target",
        target,
        "--out-dir",
        dir,
        "--format",
        "json",
      ]);
      const [file] = JSON.parse(result.stdout).files;
      expect(file.steps[0].status, target).toBe("converted");
      const document = file.outputs.find((p: string) => /(job|pipeline)\.yaml$/.test(p));
      documents.push(path.resolve(document));
      const doc = parse(readFileSync(document, "utf8"));
      const job = target === "job-yaml" ? doc : doc.jobs.style_transfer;
      const inputs = target === "job-yaml" ? doc.inputs : doc.inputs;
      expect(doc.compute ?? doc.settings.default_compute, target).toBe("azureml:gpu-cluster");
      expect(inputs.content_images.path).toBe(
        "azureml://datastores/workspaceblobstore/paths/styletransfer/content",
      );
      expect(inputs.models.path).toBe("azureml://datastores/style_models/paths/vgg");
      expect(job.resources.instance_count).toBe(
        target === "job-yaml" ? 2 : "${{parent.inputs.node_count}}",
      );
      // The pipeline carries the PythonScriptStep that collects the frames: nothing to do.
      expect(result.code, target).toBe(0);
      if (target === "pipeline-yaml")
        expect(doc.jobs.collect_frames.inputs.stylized).toBe(
          "${{parent.jobs.style_transfer.outputs.stylized}}",
        );
    }
    const verdicts = judge(documents);
    expect(verdicts.map((v) => (v.ok ? "ok" : `${v.path}: ${v.message}`))).toEqual(["ok", "ok"]);
  });

  it("commandstep rewrites the step's cell and the import, and nothing else", () => {
    const dir = scratch();
    const copy = path.join(dir, "style_transfer.ipynb");
    const original = readFileSync(NOTEBOOK, "utf8");
    writeFileSync(copy, original);
    mkdirSync(path.join(dir, "scripts"));
    writeFileSync(path.join(dir, "scripts", "style_mpi.py"), "print(1)\n");
    expect(runCli(["convert", copy, "--write"]).code).toBe(0);
    const rewritten = readFileSync(copy, "utf8");
    const before = JSON.parse(original).cells;
    const after = JSON.parse(rewritten).cells;
    const changed = before.flatMap((cell: any, i: number) =>
      JSON.stringify(cell) === JSON.stringify(after[i]) ? [] : [i],
    );
    // The imports cell and the step's cell; everything else byte for byte.
    expect(changed).toEqual([1, 10]);
    // In them, the cell's other fields stay; the imports cell changes only import lines;
    // the step's cell keeps the PythonScriptStep after the call byte for byte.
    for (const i of changed)
      expect({ ...after[i], source: [] }).toEqual({ ...before[i], source: [] });
    const imports = diffLines(before[1].source.join(""), after[1].source.join(""));
    for (const part of imports.filter((p) => p.added || p.removed))
      for (const line of part.value.split("\n").filter((l) => l.trim()))
        expect(line).toMatch(/^(from|import) /);
    const rest = (cell: any) => {
      const text = cell.source.join("");
      return text.slice(text.indexOf("collect_step = PythonScriptStep("));
    };
    expect(rest(after[10])).toBe(rest(before[10]));
    expect(after[10].source.join("")).toContain("style_step = CommandStep(");
    // Outside the two cells' sources, the notebook's JSON text is unchanged.
    const outsideSources = (text: string) =>
      text.replace(/"source": \[(?:\s*"(?:[^"\\]|\\.)*",?)*\s*\]/g, '"source": []');
    expect(outsideSources(rewritten)).toBe(outsideSources(original));
  });

  it("a script nothing writes is missing (MPI010), beside one a %%writefile cell writes", () => {
    const dir = scratch();
    const step = (name: string, script: string) =>
      `MpiStep(name="${name}", compute_target="gpu", source_directory=folder, script_name="${script}", arguments=[], node_count=1, process_count_per_node=1)\n`;
    const cells = [
      "folder = 'scripts'\n",
      "%%writefile $folder/written.py\nprint(1)\n",
      `from azureml.pipeline.steps import MpiStep\n${step("w", "written.py")}${step("m", "missing.py")}`,
    ];
    const file = writeNotebook(path.join(dir, "nb.ipynb"), cells);
    const [report] = JSON.parse(runCli(["check", file, "--format", "json"]).stdout).files;
    const codes = (name: string) =>
      report.steps.find((s: any) => s.name === name).diagnostics.map((d: any) => d.code);
    expect(codes("w")).toContain("MPI039");
    expect(codes("w")).not.toContain("MPI010");
    expect(codes("m")).toContain("MPI010");
  });

  it("a script a cell copies from the repository is there; a copy of nothing is not", () => {
    const dir = scratch();
    mkdirSync(path.join(dir, "repo_src", "lib"), { recursive: true });
    writeFileSync(path.join(dir, "repo_src", "train.py"), "print(1)\n");
    writeFileSync(path.join(dir, "repo_src", "lib", "deep.py"), "print(2)\n");
    // The script check looks only in a source_directory that is there: each is, empty.
    for (const folder of ["a", "b", "c", "d"]) mkdirSync(path.join(dir, folder));
    const step = (name: string, folder: string, script: string) =>
      `MpiStep(name="${name}", compute_target="gpu", source_directory="${folder}", script_name="${script}", arguments=[], node_count=1, process_count_per_node=1)\n`;
    const cells = [
      "import os, shutil\nos.makedirs('a', exist_ok=True)\nshutil.copy('repo_src/train.py', 'a')\n",
      "src = 'repo_src/train.py'\nshutil.copyfile(src, 'b/renamed.py')\n",
      "shutil.copytree('repo_src', 'c')\nshutil.copy('repo_src/absent.py', 'd')\n",
      [
        "from azureml.pipeline.steps import MpiStep\n",
        step("into", "a", "train.py"),
        step("file", "b", "renamed.py"),
        step("tree", "c", "lib/deep.py"),
        step("tree-missing", "c", "lib/none.py"),
        step("copy-of-nothing", "d", "absent.py"),
      ].join(""),
    ];
    const file = writeNotebook(path.join(dir, "nb.ipynb"), cells);
    const [report] = JSON.parse(runCli(["check", file, "--format", "json"]).stdout).files;
    const missing = report.steps
      .filter((s: any) => s.diagnostics.some((d: any) => d.code === "MPI010"))
      .map((s: any) => s.name);
    expect(missing).toEqual(["tree-missing", "copy-of-nothing"]);
  });
});

/** A notebook of code cells with these sources, written at `file`. */
function writeNotebook(file: string, cells: string[]): string {
  writeFileSync(
    file,
    JSON.stringify({
      cells: cells.map((source) => ({ cell_type: "code", metadata: {}, outputs: [], source })),
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
  return file;
}
