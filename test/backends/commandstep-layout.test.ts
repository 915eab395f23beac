// Target commandstep, layout of the rewritten call: continuation lines follow the new
// call's indentation (judged by the real pycodestyle, Debian's python3-pycodestyle, whose
// E1 checks are PEP 8's continuation-line rules), comments keep their neighbours, and the
// text inside strings and the values the call evaluates stay exactly as they were (CPython).

import { spawnSync } from "node:child_process";
import path from "node:path";
import { diffLines } from "diff";
import { beforeAll, describe, expect, it } from "vitest";
import { processFile } from "../../src/stages/process.js";

const PYTHON = "/usr/bin/python3";

/** Multi-line MpiStep calls in the layouts people write: hanging lists and dicts, a list
 * aligned under its bracket holding a string that spans lines, a tuple whose bracket
 * carries a comment, and comments above, after and between the arguments. */
const SOURCE = `from azureml.pipeline.steps import MpiStep


def build(compute, env):
    train = MpiStep(  # the training step
        name="train",
        # where the code lives
        source_directory="src",  # relative to the repository
        script_name="train.py",
        arguments=[
            "--epochs", 10,  # epochs
            "--lr", 0.1,
        ],
        # two nodes of four
        node_count=2,
        process_count_per_node=4,
        compute_target=compute,
        environment_definition=env,
        allow_reuse=False,
        # kept for the next run
    )
    evaluate = MpiStep(
        name="eval",
        source_directory="src",
        script_name="eval.py",
        arguments=["--note", """first
second line""",
                   "--x", 1],
        node_count=1,
        process_count_per_node=1,
        compute_target=compute,
        environment_definition=env,
        environment_variables={
            "A": "1",
            "B": "2",
        },
        hash_paths=["a"],  # no effect any more
        version="1",
    )
    other = MpiStep(
        name="other", source_directory="src", script_name="other.py",
        arguments=(  # no flags yet
        ),
        node_count=1, process_count_per_node=1, compute_target=compute,
        environment_definition=env,
    )
    return train, evaluate, other
`;

/** pycodestyle's continuation-line and indentation complaints about `source`. */
function pycodestyle(source: string): string {
  const result = spawnSync(
    PYTHON,
    ["-I", "-m", "pycodestyle", "--select=E1,W1", "--max-line-length=200", "-"],
    { input: source, encoding: "utf8" },
  );
  if (result.error || /No module named/.test(result.stderr))
    throw new Error(`pycodestyle did not run: ${result.error ?? result.stderr}`);
  return result.stdout;
}

/** What each call in `source` evaluates its step's argument lists and dicts to, read by
 * CPython: MpiStep's `arguments` and ScriptRunConfig's `command`, and the dicts given. */
function callValues(source: string): unknown[] {
  const program = String.raw`
import ast, json, sys
values = {}
for node in ast.walk(ast.parse(sys.stdin.read())):
    if isinstance(node, ast.Call):
        for keyword in node.keywords:
            if keyword.arg in ("arguments", "command", "environment_variables", "params"):
                values[f"{keyword.value.lineno}:{keyword.arg}"] = list(ast.literal_eval(keyword.value)) if keyword.arg in ("arguments", "command") else ast.literal_eval(keyword.value)
print(json.dumps([values[k] for k in sorted(values, key=lambda k: int(k.split(":")[0]))]))
`;
  const result = spawnSync(PYTHON, ["-I", "-c", program], { input: source, encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

describe("commandstep layout", () => {
  let converted: string;
  let lines: string[];

  beforeAll(async () => {
    const outcome = await processFile(
      {
        path: path.join("/nonexistent", "layout.py"),
        root: "/nonexistent",
        explicit: true,
        bytes: Buffer.from(SOURCE),
      },
      { command: "convert", defaultImages: "latest", maxBytes: 1 << 20 },
    );
    converted = outcome.rewrite!.after;
    lines = converted.split("\n");
  });

  it("writes continuation lines pycodestyle accepts, as the source was", () => {
    expect(pycodestyle(SOURCE)).toBe("");
    expect(pycodestyle(converted)).toBe("");
  });

  it("indents every changed line of the calls from the call's own line, and leaves the text of strings alone", () => {
    const changed = diffLines(SOURCE, converted).filter((part) => part.added);
    const added = changed.flatMap((part) => part.value.split("\n").filter(Boolean));
    const calls = added.filter((line) => !line.startsWith("from "));
    expect(calls.length).toBeGreaterThan(40);
    for (const line of calls) expect(line, line).toMatch(/^ {4}(?: {4})*\S|^ {4}(?: {4})+ {9}"/);
    expect(converted).toContain(
      '[\n                "python train.py",\n                "--epochs", 10,',
    );
    // The item aligned under the bracket stays aligned under the first item, now the script.
    expect(converted).toContain(
      '            command=["python eval.py", "--note", """first\nsecond line""",\n                     "--x", 1],\n',
    );
    expect(added.join("\n")).not.toContain("second line");
  });

  it("keeps each comment beside the same neighbours", () => {
    const after = (comment: string) => lines[lines.findIndex((l) => l.includes(comment)) + 1];
    expect(converted).toContain("    train = CommandStep(  # the training step\n");
    expect(after("# where the code lives")).toMatch(/^ {12}source_directory="src",/);
    expect(converted).toContain('source_directory="src",  # relative to the repository\n');
    expect(converted).toContain('"--epochs", 10,  # epochs\n');
    expect(after("# two nodes of four")).toMatch(/^ {12}distributed_job_config=/);
    expect(converted).toContain(
      "        allow_reuse=False,\n        # kept for the next run\n    )\n    evaluate",
    );
    // A dropped option's comment stands above the argument that followed it.
    expect(after("# no effect any more")).toMatch(/^ {8}version="1",/);
    expect(converted).toContain('command=[  # no flags yet\n                "python other.py",\n');
  });

  it("evaluates to the same arguments and dicts as before (CPython)", () => {
    const before = callValues(SOURCE);
    const now = callValues(converted);
    expect(now).toEqual([
      ["python train.py", ...(before[0] as unknown[])],
      ["python eval.py", ...(before[1] as unknown[])],
      before[2],
      ["python other.py"],
    ]);
  });
});
