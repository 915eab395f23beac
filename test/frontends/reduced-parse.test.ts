// check's reduced parse (frontends/python/reduce.ts): the lexical scan finds the
// top-level statements where CPython does, and leaving unrelated definitions out of the
// parse changes no finding: steps whose arguments come from module-level names,
// functions, classes and notebook cells read the same as with the whole file parsed.
// What check no longer reports is a syntax error inside a definition it left out.

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseNotebookSteps } from "../../src/frontends/notebook/index.js";
import { parsePythonSteps } from "../../src/frontends/python/index.js";
import { reducedInput } from "../../src/frontends/python/reduce.js";
import { topLevelStatements } from "../../src/frontends/python/skeleton.js";
import { lineIndex } from "../../src/ir/positions.js";
import { decodeSource } from "../../src/io/decode.js";
import { ROOT, runCli, scratch } from "../helpers.js";

const IMPORT = "from azureml.pipeline.steps import MpiStep\n";
const step = (args: string) =>
  `MpiStep(name="s", source_directory="src", script_name="t.py", compute_target="c", process_count_per_node=1, ${args})`;

/** What the frontend found, as plain data (steps with their argument values, skipped
 * steps, imports and uses of MpiStep). */
async function findings(text: string, reduce: boolean) {
  const result = await parsePythonSteps(text, { leaveOutUnrelated: reduce });
  return JSON.parse(
    JSON.stringify({
      steps: result.steps.map((s) => ({ ...s, args: [...s.args.entries()] })),
      skipped: result.skipped,
      uses: result.facts.mpiStepUses,
      azureImports: result.facts.imports.filter((i) => i.module.startsWith("azureml")),
    }),
  );
}

async function expectSameFindings(text: string, { reduces }: { reduces: boolean }) {
  expect(!!reducedInput(text)?.leftOut.length).toBe(reduces);
  expect(await findings(text, true)).toEqual(await findings(text, false));
}

describe("the scan of top-level statements", () => {
  it("follows strings, brackets, continuations, comments and decorators", () => {
    const text = [
      "@decorator(", // 1
      "    x)", // 2
      "async def f(a,", // 3
      "b): # header comment", // 4
      '    s = """', // 5
      "def not_a_statement():", // 6
      '"""', // 7
      "# a comment in column 0", // 8
      "    return \\", // 9
      "  s", // 10
      "", // 11
      "class C: pass", // 12
      "x = [", // 13
      "1]", // 14
    ].join("\r\n");
    const index = lineIndex(text);
    const rows = topLevelStatements(text)!.map((s) => [
      index.position(s.start).line,
      index.position(s.end).line,
      s.definition?.name,
      s.definition?.bodyStart === undefined
        ? undefined
        : index.position(s.definition.bodyStart).line,
    ]);
    expect(rows).toEqual([
      [1, 10, "f", 5],
      [12, 12, "C", undefined],
      [13, 14, undefined, undefined],
    ]);
  });

  it("gives up on what it cannot follow", () => {
    expect(topLevelStatements("x = 'unterminated\n")).toBeUndefined();
    expect(topLevelStatements("if x:\n\f    y = 1\n")).toBeUndefined();
  });

  it("agrees with CPython on every standard library file", async () => {
    const dir = scratch();
    const made = spawnSync("python3", [path.join(ROOT, "test/safety/stdlib_cases.py"), dir], {
      encoding: "utf8",
    });
    expect(made.status, made.stderr).toBe(0);
    const cpython = spawnSync(
      "python3",
      [path.join(ROOT, "test/frontends/top_level_statements.py"), dir],
      { encoding: "utf8", maxBuffer: 1 << 28 },
    );
    expect(cpython.status, cpython.stderr).toBe(0);
    const expected: Record<string, Array<[number, number, number | null]>> = JSON.parse(
      cpython.stdout,
    );
    const disagreements: string[] = [];
    let followed = 0;
    for (const name of readdirSync(dir)) {
      const { text } = await decodeSource(readFileSync(path.join(dir, name)), true);
      const statements = topLevelStatements(text);
      if (!statements) continue;
      followed++;
      const index = lineIndex(text);
      const line = (offset: number) => index.position(offset).line;
      // CPython counts `a; b` as two statements on one line; the scan, as one.
      const rows = expected[name]!.filter((row, i, all) => i === 0 || all[i - 1]![0] !== row[0]);
      const ours = statements.map((s) => [line(s.start), line(s.end)]);
      const theirs = rows.map(([first, last]) => [first, last]);
      if (JSON.stringify(ours) !== JSON.stringify(theirs))
        disagreements.push(
          `${name}: statements ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`,
        );
      for (const [i, s] of statements.entries()) {
        const body = s.definition?.bodyStart;
        if (body !== undefined && line(body) !== rows[i]?.[2])
          disagreements.push(`${name}: body of the statement at line ${line(s.start)}`);
      }
    }
    expect(disagreements).toEqual([]);
    const files = Object.keys(expected).length;
    console.log(`scan of top-level statements: followed ${followed} of ${files} files`);
    expect(followed).toBeGreaterThan(files * 0.95);
  }, 120_000);
});

describe("leaving unrelated definitions out of the parse", () => {
  const unrelated = "def helper(x):\n    return [i * 2 for i in range(x)]\n\n";

  it("reads module-level names the same", async () => {
    await expectSameFindings(
      `${IMPORT}${unrelated}nodes = 3\nargs = ["--n", nodes]\ns = ${step("node_count=nodes, arguments=args")}\n`,
      { reduces: true },
    );
  });

  it("keeps a definition a kept statement names, so the name still resolves to it", async () => {
    const text = `${IMPORT}nodes = 2\ndef nodes():\n    return 4\n\ns = ${step("node_count=nodes, arguments=[]")}\n`;
    await expectSameFindings(text, { reduces: true });
    const [found] = (await parsePythonSteps(text, { leaveOutUnrelated: true })).steps;
    expect(found!.args.get("node_count")!.value.kind).toBe("opaque");
  });

  it("reads functions and classes used by the arguments the same", async () => {
    await expectSameFindings(
      `${IMPORT}${unrelated}class Config:\n    NODES = 2\n    def args(self):\n        return ["--x"]\n\ns = ${step("node_count=Config.NODES, arguments=Config().args() + [helper(2)]")}\n`,
      { reduces: true },
    );
  });

  it("keeps definitions that hold a step, another step type or an Azure ML import", async () => {
    await expectSameFindings(
      `${IMPORT}${unrelated}def build():\n    from azureml.pipeline.steps import PythonScriptStep\n    prep = PythonScriptStep(name="prep", script_name="p.py")\n    return ${step("node_count=2, arguments=[]")}\n`,
      { reduces: true },
    );
  });

  it("parses everything when MpiStep's alias is used inside a definition left out", async () => {
    const text = `from azureml.pipeline.steps import MpiStep as Launch\n${unrelated}def build():\n    return Launch(name="s", source_directory="src", script_name="t.py", compute_target="c", node_count=1, process_count_per_node=1, arguments=[])\n`;
    await expectSameFindings(text, { reduces: true });
    expect((await parsePythonSteps(text, { leaveOutUnrelated: true })).steps).toHaveLength(1);
  });

  it("keeps a definition whose header binds a name (a walrus in a default)", async () => {
    await expectSameFindings(
      `${IMPORT}def f(x=(nodes := 3)):\n    return x\n\ns = ${step("node_count=nodes, arguments=[]")}\n`,
      { reduces: true },
    );
  });

  it("reads a notebook's cells the same", async () => {
    const cell = (source: string) => ({
      cell_type: "code",
      metadata: {},
      outputs: [],
      execution_count: null,
      source,
    });
    const notebook = JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        cell(`${IMPORT}folder = "src"\n${unrelated}`),
        cell("%%writefile $folder/t.py\nprint('train')\n"),
        cell(`def unused():\n    return 1\n\ns = ${step("node_count=2, arguments=[folder]")}\n`),
      ],
    });
    const read = async (reduce: boolean) =>
      JSON.parse(
        JSON.stringify(
          (await parseNotebookSteps(notebook, { leaveOutUnrelated: reduce })).steps.map((s) => ({
            ...s,
            args: [...s.args.entries()],
          })),
        ),
      );
    expect(await read(true)).toEqual(await read(false));
    expect(
      (await read(true))[0].args.find(([name]: [string]) => name === "arguments")[1].value.items[0]
        .value,
    ).toBe("src");
  });

  it("check no longer reports a syntax error inside a definition it left out; --full-parse and convert do", () => {
    const dir = scratch();
    const file = path.join(dir, "train.py");
    writeFileSync(
      file,
      `${IMPORT}def broken():\n    x = = 1\n\ns = ${step("node_count=2, arguments=[]")}\n`,
    );
    const check = JSON.parse(runCli(["check", file, "--format", "json"]).stdout);
    expect(check.files[0].steps).toHaveLength(1);
    expect(check.summary.errors).toBe(0);
    const full = runCli(["check", file, "--format", "json", "--full-parse"]);
    expect(full.code).toBe(2);
    expect(JSON.parse(full.stdout).files[0].diagnostics[0].code).toBe("MPI030");
    const convert = runCli(["convert", file, "--format", "json"]);
    expect(convert.code).toBe(2);
    expect(JSON.parse(convert.stdout).files[0].diagnostics.map((d: any) => d.code)).toContain(
      "MPI030",
    );
  });
});
