// One set of findings, whatever the format: every code in the table is triggered by some
// input below, and for every fixture the text, JSON, Markdown and SARIF reports name the
// same codes for the same files.

import { parseSupplied, type SuppliedValue } from "../../src/stages/supplied.js";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { TargetName } from "../../src/backends/registry.js";
import { run } from "../../src/run/run.js";
import { CODES } from "../../src/codes/index.js";
import { runCli, scratch } from "../helpers.js";
import { SDK_PATH, SDK_PYTHON } from "../sdk/judge.js";

const STEP = {
  type: "MpiStep",
  name: "train",
  source_directory: "src",
  script_name: "train.py",
  arguments: [],
  compute_target: "gpu-cluster",
  node_count: 1,
  process_count_per_node: 1,
};
const pp = (name: string, value: unknown) => ({ pipeline_parameter: name, default: value });
const PYTHON_HEAD = "from azureml.pipeline.steps import MpiStep\n";
const PYTHON_ARGS =
  'source_directory="src", script_name="train.py", arguments=[], node_count=1, process_count_per_node=1';

/** A notebook that writes its step's script with a %%writefile cell. */
const WRITEFILE_NOTEBOOK = JSON.stringify({
  cells: [
    { cell_type: "code", metadata: {}, outputs: [], source: "folder = 'scripts'\n" },
    {
      cell_type: "code",
      metadata: {},
      outputs: [],
      source: "%%writefile $folder/t.py\nprint(1)\n",
    },
    {
      cell_type: "code",
      metadata: {},
      outputs: [],
      source: `${PYTHON_HEAD}MpiStep(name="a", compute_target="gpu", source_directory="scripts", script_name="t.py", arguments=[], node_count=1, process_count_per_node=1)\n`,
    },
  ],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5,
});

interface Case {
  /** File name (its extension picks the frontend) and content. */
  file: string;
  content: string | Buffer;
  command?: "check" | "convert";
  target?: TargetName;
  verify?: boolean;
  /** Write under `out/` beside the file. */
  outDir?: boolean;
  /** Also convert copies of the file at these names. */
  copies?: string[];
  /** A file already there before the run. */
  existing?: { file: string; content: string };
  /** Also a symbolic link to the file at this name, and the run walks the folder. */
  link?: string;
  /** --set arguments. */
  set?: string[];
}

/** An input that triggers each code (the code is what the case must report). */
const CASES: Record<string, Case> = {
  MPI000: { file: "a.json", content: JSON.stringify(STEP) },
  MPI001: { file: "a.json", content: JSON.stringify({ ...STEP, name: null }) },
  MPI002: { file: "a.json", content: JSON.stringify({ ...STEP, node_count: 0 }) },
  MPI003: {
    file: "a.json",
    content: JSON.stringify({
      ...STEP,
      environment_definition: { environment: "e" },
      pip_packages: ["x"],
    }),
  },
  MPI004: {
    file: "a.json",
    content: JSON.stringify({ ...STEP, use_docker: false, custom_docker_image: "img" }),
  },
  MPI005: {
    file: "a.json",
    content: JSON.stringify({ ...STEP, user_managed: true, pip_packages: ["x"] }),
  },
  MPI006: {
    file: "a.json",
    content: JSON.stringify({
      ...STEP,
      compute_target: { compute: "ci", type: "ComputeInstance" },
    }),
  },
  MPI007: {
    file: "a.py",
    content: `${PYTHON_HEAD}MpiStep(name="a", compute_target="gpu", ${PYTHON_ARGS})\n`,
  },
  MPI008: {
    file: "a.json",
    content: JSON.stringify({ ...STEP, arguments: [pp("n", 2)], params: { n: 1 } }),
  },
  MPI009: {
    file: "a.json",
    content: JSON.stringify({ ...STEP, pip_requirements_file_path: "missing.txt" }),
  },
  MPI010: { file: "a.json", content: JSON.stringify({ ...STEP, script_name: "missing.py" }) },
  MPI011: { file: "a.json", content: JSON.stringify({ ...STEP, hash_paths: ["src"] }) },
  MPI012: { file: "a.json", content: JSON.stringify({ ...STEP, runconfig: "rc" }) },
  MPI013: { file: "a.json", content: JSON.stringify({ ...STEP, params: { a: "1" } }) },
  MPI014: {
    file: "a.json",
    content: JSON.stringify({ ...STEP, script_name: { expression: "cfg['script']" } }),
  },
  MPI015: { file: "a.json", content: JSON.stringify({ ...STEP, arguments: "--epochs 3" }) },
  MPI016: {
    file: "a.json",
    content: JSON.stringify({ ...STEP, node_count: pp("nodes", 2) }),
    command: "convert",
    target: "job-yaml",
  },
  MPI017: {
    file: "a.json",
    content: JSON.stringify({ ...STEP, use_docker: false }),
    command: "convert",
    target: "job-yaml",
  },
  MPI018: {
    file: "a.json",
    content: JSON.stringify({
      ...STEP,
      custom_docker_image: "registry.example/img:1",
      image_registry_details: { expression: "registry" },
    }),
    command: "convert",
    target: "job-yaml",
  },
  MPI019: {
    file: "a.json",
    content: JSON.stringify({ ...STEP, inputs: [{ pipeline_data: "prepped", producer: "prep" }] }),
    command: "convert",
    target: "job-yaml",
  },
  MPI020: {
    file: "a.json",
    content: JSON.stringify({ ...STEP, arguments: ["${{inputs.x}}"] }),
    command: "convert",
    target: "job-yaml",
  },
  MPI021: {
    file: "a.json",
    content: JSON.stringify([STEP, { type: "MPIStep", name: "misspelt" }]),
  },
  MPI022: {
    file: "a.json",
    content: JSON.stringify({
      ...STEP,
      arguments: [{ data_reference: "path", datastore: "ds", path: "p" }],
    }),
    command: "convert",
    target: "job-yaml",
  },
  MPI023: {
    file: "a.py",
    content: `${PYTHON_HEAD}make = lambda: MpiStep(name="a", compute_target=c, pip_packages=["x"], ${PYTHON_ARGS})\n`,
    command: "convert",
    target: "commandstep",
  },
  MPI024: {
    file: "a.py",
    content: `${PYTHON_HEAD}cfg = load()\nMpiStep(name="a", compute_target=c, **cfg)\n`,
  },
  MPI025: {
    file: "a.json",
    content: JSON.stringify({
      ...STEP,
      arguments: [{ dataset: "images", path: "azureml:images:1" }],
    }),
    command: "convert",
    target: "job-yaml",
  },
  MPI026: { file: "a.json", content: JSON.stringify(STEP), command: "convert", target: "job-yaml" },
  MPI027: {
    file: "a.json",
    content: JSON.stringify(STEP),
    command: "convert",
    target: "commandstep",
  },
  MPI030: { file: "a.json", content: '{"type": "MpiStep",' },
  MPI031: { file: "a.py", content: Buffer.from("MpiStep\u0000binary") },
  MPI032: {
    file: "a.json",
    content: JSON.stringify({ ...STEP, source_directory: "no_such_folder" }),
    command: "convert",
    target: "job-yaml",
    verify: true,
  },
  MPI034: {
    file: "a.json",
    content: JSON.stringify(STEP),
    command: "convert",
    target: "job-yaml",
    outDir: true,
    existing: { file: "out/a/train.job.yaml", content: "# edited by hand\n" },
  },
  MPI048: {
    file: "a.json",
    content: JSON.stringify(STEP),
    command: "convert",
    target: "job-yaml",
    outDir: true,
    // What this input once gave for a step since renamed (the stamp names a.json from the
    // file's folder, out/a).
    existing: {
      file: "out/a/old_name.job.yaml",
      content:
        '# mpistep-migrate sha256:0000000000000000 from "../../a.json" by --target job-yaml (generated: once edited, the tool keeps this file)\ntype: command\n',
    },
  },
  MPI035: {
    file: "x/a.json",
    content: JSON.stringify(STEP),
    command: "convert",
    target: "job-yaml",
    outDir: true,
    copies: ["y/a.json"],
  },
  MPI036: { file: "a.json", content: JSON.stringify(STEP), command: "convert", target: "job-yaml" },
  MPI037: {
    file: "a.py",
    content: `from azureml.data.data_reference import DataReference\n${PYTHON_HEAD}ref = DataReference(ws.get_default_datastore(), data_reference_name="d", path_on_datastore="p")\nMpiStep(name="a", compute_target="gpu", source_directory="src", script_name="train.py", arguments=[ref], node_count=1, process_count_per_node=1)\n`,
    command: "convert",
    target: "job-yaml",
  },
  MPI038: {
    file: "a.json",
    content: JSON.stringify({
      type: "MpiStep",
      script: "train.py",
      nodes: 2,
      procs: 4,
      dir: "src",
    }),
  },
  MPI039: { file: "nb.ipynb", content: WRITEFILE_NOTEBOOK },

  MPI040: {
    file: "a.py",
    content: `${PYTHON_HEAD}def f():\n    if 1:\n        x = (foo.\nbar)\n        MpiStep(name="a")\n`,
  },
  MPI041: {
    file: "a.json",
    content: JSON.stringify([STEP, { type: "PythonScriptStep", name: "prep" }]),
    command: "convert",
    target: "pipeline-yaml",
  },
  // A PythonScriptStep without a runconfig, feeding the MpiStep.
  MPI043: {
    file: "a.py",
    content: `from azureml.pipeline.core import PipelineData\nfrom azureml.pipeline.steps import MpiStep, PythonScriptStep\nd = PipelineData("d")\nprep = PythonScriptStep("train.py", source_directory="src", compute_target="cpu", outputs=[d])\nMpiStep(name="a", compute_target="gpu", inputs=[d], ${PYTHON_ARGS})\n`,
    command: "convert",
    target: "pipeline-yaml",
  },
  MPI044: {
    file: "a.py",
    content: `from azureml.pipeline.core import Pipeline\nfrom azureml.pipeline.steps import MpiStep, PythonScriptStep\nprep = PythonScriptStep("prep.py", source_directory="src", compute_target="cpu")\ntrain = MpiStep(name="a", compute_target="gpu", ${PYTHON_ARGS})\ntrain.run_after(prep)\nPipeline(ws, [prep, train])\n`,
    command: "convert",
    target: "pipeline-yaml",
  },
  MPI045: {
    file: "nb.ipynb",
    content: WRITEFILE_NOTEBOOK,
    command: "convert",
    target: "pipeline-yaml",
  },

  // A PythonScriptStep given a keyword it does not take, in the MpiStep's pipeline.
  MPI046: {
    file: "a.py",
    content: `from azureml.pipeline.core import PipelineData\nfrom azureml.pipeline.steps import MpiStep, PythonScriptStep\nd = PipelineData("d")\nprep = PythonScriptStep("prep.py", source_directory="src", compute_target="cpu", outputs=[d], node_count=2)\nMpiStep(name="a", compute_target="gpu", inputs=[d], ${PYTHON_ARGS})\n`,
    command: "convert",
    target: "pipeline-yaml",
  },
  MPI047: {
    file: "a.json",
    content: JSON.stringify({ ...STEP, compute_target: null }),
    set: ["compute_target=gpu"],
  },
  MPI042: {
    file: "a.py",
    content: `from azureml.pipeline.steps import MpiStep\n`,
    link: "b.py",
  },
  MPI033: {
    file: "a.json",
    content: JSON.stringify({ ...STEP, arguments: ["--tag", pp("tag", "it's")] }),
    command: "convert",
    target: "job-yaml",
  },
};

/** The codes one run over `dir` reports, wherever they stand in the report. */
async function codesOf(dir: string, testCase: Case): Promise<string[]> {
  const write = (name: string, content: string | Buffer) => {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  };
  const files = [testCase.file, ...(testCase.copies ?? [])];
  for (const file of files) write(file, testCase.content);
  if (testCase.existing) write(testCase.existing.file, testCase.existing.content);
  if (testCase.link) symlinkSync(testCase.file, path.join(dir, testCase.link));
  const { report } = await run({
    command: testCase.command ?? "check",
    paths: testCase.link ? [dir] : files.map((file) => path.join(dir, file)),
    excludes: [],
    jobs: 1,
    defaultImages: "latest",
    maxBytes: 1 << 20,
    target: testCase.target,
    write: false,
    outputRoot: testCase.verify || testCase.outDir ? path.join(dir, "out") : undefined,
    ...(testCase.verify ? { verifyWith: async () => "1.4.0" } : {}),
    ...(testCase.set
      ? { supplied: testCase.set.map((arg) => parseSupplied(arg) as SuppliedValue) }
      : {}),
  });
  return report.files.flatMap((f) => [
    ...f.diagnostics.map((d) => d.code),
    ...f.steps.flatMap((s) => s.diagnostics.map((d) => d.code)),
  ]);
}

describe("findings", () => {
  it("every code in the table is triggered by some input", async () => {
    // --verify runs Debian's python3 and its azure-ai-ml, as the user's SDK.
    process.env.MPISTEP_MIGRATE_PYTHON = SDK_PYTHON;
    process.env.PYTHONPATH = SDK_PATH;
    for (const [code, testCase] of Object.entries(CASES)) {
      const dir = scratch();
      mkdirSync(path.join(dir, "src"));
      writeFileSync(path.join(dir, "src", "train.py"), "print('train')\n");
      expect(await codesOf(dir, testCase), `${code}: ${testCase.content}`).toContain(code);
    }
    expect(Object.keys(CASES).sort()).toEqual(CODES.map((c) => c.code));
  }, 60_000);

  it("text, JSON, Markdown and SARIF report the same codes for every fixture", () => {
    const dir = scratch();
    const runs: Array<string[]> = [
      ["check", "fixtures"],
      ...(["commandstep", "job-yaml", "pipeline-yaml", "sdk-v2"] as const).map((target) => [
        "convert",
        "fixtures",
        "--target",
        target,
      ]),
    ];
    let compared = 0;
    for (const args of runs) {
      const reports = Object.fromEntries(
        (["text", "json", "markdown", "sarif"] as const).map((format) => {
          const file = path.join(dir, `report.${format}`);
          runCli([...args, "--format", format, "--report", file]);
          return [format, readFileSync(file, "utf8")];
        }),
      );
      const byFile = {
        json: codesByFile(
          JSON.parse(reports.json).files.map((f: any) => [
            f.path,
            [...f.diagnostics, ...f.steps.flatMap((s: any) => s.diagnostics)].map(
              (d: any) => d.code,
            ),
          ]),
        ),
        sarif: codesByFile(
          JSON.parse(reports.sarif).runs[0].results.map((r: any) => [
            r.locations[0].physicalLocation.artifactLocation.uri,
            [r.ruleId],
          ]),
        ),
        text: codesByFile(
          [...reports.text.matchAll(/^(\S+?):\d+:\d+: (MPI\d{3}) /gm)].map((m) => [m[1]!, [m[2]!]]),
        ),
        markdown: codesByFile(
          reports.markdown
            .split(/^### /m)
            .slice(1)
            .map((section) => [
              /^`([^`]+)`/.exec(section)![1]!,
              [...section.matchAll(/`(MPI\d{3})`/g)].map((m) => m[1]!),
            ]),
        ),
      };
      expect(byFile.sarif, args.join(" ")).toEqual(byFile.json);
      expect(byFile.text, args.join(" ")).toEqual(byFile.json);
      // A Markdown step row is the step's MPI000: its status column says what it says.
      const withoutSteps = Object.fromEntries(
        Object.entries(byFile.json)
          .map(([file, codes]) => [file, codes.filter((code) => code !== "MPI000")])
          .filter(([, codes]) => codes.length),
      );
      expect(byFile.markdown, args.join(" ")).toEqual(withoutSteps);
      compared += Object.keys(byFile.json).length;
    }
    expect(compared).toBeGreaterThan(40);
  }, 120_000);
});

/** Each file's codes, as a sorted set, for files that have any. */
function codesByFile(entries: Array<[string, string[]]>): Record<string, string[]> {
  const sets = new Map<string, Set<string>>();
  for (const [file, codes] of entries) {
    const set = sets.get(file) ?? new Set();
    for (const code of codes) set.add(code);
    sets.set(file, set);
  }
  return Object.fromEntries(
    [...sets]
      .filter(([, set]) => set.size)
      .map(([file, set]) => [file, [...set].sort()])
      .sort(([a], [b]) => (a! < b! ? -1 : 1)),
  );
}
