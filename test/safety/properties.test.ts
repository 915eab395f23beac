// Emitted text cannot be subverted: random strings through the YAML writer and parser,
// through POSIX shell quoting and a real sh, and through Python string literals and
// CPython. Seeded, so a failure is reproducible.

import { spawnSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { pythonString } from "../../src/backends/shared/python-text.js";
import { quoteShellWord } from "../../src/backends/shared/shell.js";
import { toYaml } from "../../src/backends/shared/yaml.js";
import { argvThroughShell, runCli, scratch } from "../helpers.js";

const SEED = 20261126;
const TRICKY = [
  "",
  " ",
  "yes",
  "no",
  "on",
  "off",
  "y",
  "N",
  "true",
  "null",
  "~",
  "1",
  "0x1f",
  "1e3",
  ".5",
  "-",
  "- a",
  "a: b",
  "a #b",
  "#x",
  "*alias",
  "&anchor",
  "!tag",
  "%YAML",
  "@at",
  "`tick`",
  "'q'",
  '"q"',
  "a\nb",
  "\ttab",
  "trailing ",
  "${{inputs.x}}",
  "$HOME",
  "a;b",
  "a|b",
  "\u00e9\u4e2d\ud83d\ude00",
  "\\",
  "{a: 1}",
  "[1]",
  ">",
  "|",
  "? x",
  "=",
  "<<",
];

/** Strings of every kind, weighted towards characters that mean something to YAML or sh. */
const tricky = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.string({
    unit: fc.constantFrom(..." \t\n'\"$`\\;|&<>(){}[]*?#!%@:,-~=^.0aZ\u00e9\u4e2d".split("")),
    maxLength: 24,
  }),
  fc.string({ unit: "grapheme", maxLength: 16 }),
  fc.string({ maxLength: 32 }),
);

describe("emitted text round-trips", () => {
  it("YAML: every string value reads back as the same string", () => {
    fc.assert(
      fc.property(fc.array(tricky, { minLength: 1, maxLength: 5 }), (values) => {
        const doc = {
          command: values.join(" "),
          environment_variables: Object.fromEntries(values.map((v, i) => [`K${i}`, v])),
          list: values,
        };
        const back = parse(toYaml(doc, [{ at: ["command"], text: values[0]! }]), {
          version: "1.1",
        });
        expect(back).toEqual(doc);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("shell: quoted words give back exactly the strings through a real sh", () => {
    const samples = fc.sample(
      fc.array(
        tricky.filter((s) => !s.includes("\0")),
        { minLength: 1, maxLength: 6 },
      ),
      { seed: SEED, numRuns: 400 },
    );
    const script = samples
      .map((words) => `printf '%s\\0' ${words.map(quoteShellWord).join(" ")}; printf '\\1'`)
      .join("\n");
    const result = spawnSync("sh", ["-c", script], { encoding: "utf8", maxBuffer: 1 << 26 });
    expect(result.status).toBe(0);
    const groups = result.stdout
      .split("\u0001")
      .slice(0, -1)
      .map((g) => g.split("\0").slice(0, -1));
    expect(groups).toEqual(samples);
  });

  it("Python: string literals evaluate to the same strings in CPython", () => {
    const samples = fc
      .sample(fc.string({ unit: "binary", maxLength: 24 }), { seed: SEED, numRuns: 1000 })
      .concat(TRICKY);
    const program = `import json, sys\nvalues = [${samples.map(pythonString).join(",\n")}]\nsys.stdout.write(json.dumps(values))\n`;
    const result = spawnSync("python3", ["-c", program], { encoding: "utf8", maxBuffer: 1 << 26 });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual(samples);
  });
});

/** Python numeric literals of every shape: ints in any base with underscores, of any
 * size; floats with and without fraction or exponent. */
const pythonNumberLiteral = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 40n }).map((n) => n.toString()),
  fc.bigInt({ min: 0n, max: 2n ** 70n }).map((n) => `0x${n.toString(16)}`),
  fc.bigInt({ min: 0n, max: 2n ** 20n }).map((n) => `0o${n.toString(8)}`),
  fc.bigInt({ min: 0n, max: 2n ** 20n }).map((n) => `0b${n.toString(2)}`),
  fc.integer({ min: 1000, max: 10 ** 9 }).map((n) => n.toLocaleString("en-US").replace(/,/g, "_")),
  fc
    .tuple(
      fc.stringMatching(/^[0-9]{0,20}$/),
      fc.stringMatching(/^[0-9]{0,20}$/),
      fc.option(fc.integer({ min: -30, max: 30 }), { nil: undefined }),
    )
    .filter(([whole, fraction]) => whole !== "" || fraction !== "")
    .map(([whole, fraction, exp]) => `${whole}.${fraction}${exp === undefined ? "" : `e${exp}`}`),
  fc
    .tuple(fc.stringMatching(/^[1-9][0-9]{0,17}$/), fc.integer({ min: -30, max: 30 }))
    .map(([digits, exp]) => `${digits}e${exp}`),
);

/** JSON numbers, which Python's json module reads as int (no fraction, no exponent) or
 * float. */
const jsonNumberLiteral = fc.oneof(
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((n) => n.toString()),
  fc
    .tuple(
      fc.stringMatching(/^(0|[1-9][0-9]{0,17})$/),
      fc.stringMatching(/^[0-9]{1,17}$/),
      fc.option(fc.integer({ min: -30, max: 30 }), { nil: undefined }),
    )
    .map(([whole, fraction, exp]) => `${whole}.${fraction}${exp === undefined ? "" : `E${exp}`}`),
);

/** What each v2 output carries of the numbers: argv after the script, the
 * environment variables, and the pipeline parameters' defaults as Python's str() of what
 * the real YAML loader (PyYAML) or CPython reads. */
const READ_OUTPUTS = `
import ast, json, sys, yaml
jobs = []
for path in json.load(sys.stdin):
    text = open(path).read()
    if path.endswith(".py"):
        tree = ast.parse(text)
        fn = next((n for n in tree.body if isinstance(n, ast.FunctionDef)), None)
        names = [a.arg for a in fn.args.args][-len(fn.args.defaults):] if fn and fn.args.defaults else []
        defaults = {k: str(ast.literal_eval(v)) for k, v in zip(names, fn.args.defaults)} if names else {}
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "command":
                kw = {k.arg: k.value for k in call.keywords}
                env = ast.literal_eval(kw["environment_variables"]) if "environment_variables" in kw else {}
                jobs.append({"command": ast.literal_eval(kw["command"]), "env": env, "defaults": defaults})
        continue
    doc = yaml.safe_load(text)
    defaults = {k: str(v) for k, v in doc.get("inputs", {}).items() if not isinstance(v, dict)}
    nodes = doc["jobs"].values() if doc["type"] == "pipeline" else [doc]
    for node in nodes:
        job = node.get("component", node)
        env = {k: v for k, v in node.get("environment_variables", {}).items()}
        jobs.append({"command": job["command"], "env": env, "defaults": defaults})
json.dump(jobs, sys.stdout)
`;

describe("numbers", () => {
  it("keep Python's str() in argv, environment variables and parameter defaults of every v2 target", () => {
    const pythonLiterals = fc.sample(pythonNumberLiteral, { numRuns: 120, seed: SEED });
    const jsonLiterals = fc.sample(jsonNumberLiteral, { numRuns: 120, seed: SEED });
    const oracle = spawnSync(
      "python3",
      [
        "-I",
        "-c",
        "import ast, json, sys\nd = json.load(sys.stdin)\njson.dump([[str(ast.literal_eval(t)) for t in d[0]], [str(json.loads(t)) for t in d[1]]], sys.stdout)",
      ],
      { input: JSON.stringify([pythonLiterals, jsonLiterals]), encoding: "utf8" },
    );
    const [pythonExpected, jsonExpected] = JSON.parse(oracle.stdout) as [string[], string[]];
    const dir = scratch();
    const parameters = pythonLiterals.slice(0, 20);
    writeFileSync(
      path.join(dir, "numbers.py"),
      [
        "from azureml.pipeline.core import PipelineParameter",
        "from azureml.pipeline.steps import MpiStep",
        ...parameters.map((t, i) => `p${i} = PipelineParameter(name="p${i}", default_value=${t})`),
        "step = MpiStep(",
        '    name="numbers", source_directory="src", script_name="t.py",',
        `    arguments=[${pythonLiterals.join(", ")}],`,
        '    compute_target="c", node_count=1, process_count_per_node=1,',
        `    environment_variables={${pythonLiterals.map((t, i) => `"v${i}": ${t}`).join(", ")}},`,
        `    inputs=[], outputs=[])`,
        `step2 = MpiStep(name="parameters", source_directory="src", script_name="t.py", arguments=[${parameters.map((_, i) => `p${i}`).join(", ")}], compute_target="c", node_count=1, process_count_per_node=1)`,
        "",
      ].join("\n"),
    );
    writeFileSync(
      path.join(dir, "numbers.json"),
      `{"name": "numbers", "source_directory": "src", "script_name": "t.py", "compute_target": "c", "node_count": 1, "process_count_per_node": 1,
        "arguments": [${jsonLiterals.join(", ")}],
        "environment_variables": {${jsonLiterals.map((t, i) => `"v${i}": ${t}`).join(", ")}}}`,
    );
    for (const [source, expected] of [
      ["numbers.py", pythonExpected],
      ["numbers.json", jsonExpected],
    ] as const) {
      for (const target of ["job-yaml", "pipeline-yaml", "sdk-v2"]) {
        const out = scratch();
        const result = runCli([
          "convert",
          path.join(dir, source),
          "--target",
          target,
          "--out-dir",
          out,
        ]);
        expect(result.code, result.stderr).toBeLessThan(2);
        const written = readdirSync(out, { recursive: true, encoding: "utf8" })
          .map((f) => path.join(out, f))
          .filter((f) => /(\.job\.yaml|pipeline\.yaml|_v2\.py)$/.test(f));
        expect(written.length, `${source} ${target}`).toBeGreaterThan(0);
        const read = spawnSync("/usr/bin/python3", ["-I", "-c", READ_OUTPUTS], {
          input: JSON.stringify(written),
          encoding: "utf8",
        });
        expect(read.status, read.stderr).toBe(0);
        const jobs = JSON.parse(read.stdout) as any[];
        expect(jobs.length, `${source} ${target}`).toBe(source === "numbers.py" ? 2 : 1);
        for (const document of jobs) {
          const argv = argvThroughShell(document.command);
          if (argv.length === 1 + expected.length) {
            expect(argv.slice(1), `${source} ${target}`).toEqual(expected);
            expect(
              expected.map((_, i) => document.env[`AML_PARAMETER_v${i}`]),
              `${source} ${target}`,
            ).toEqual(expected);
          } else if (target !== "sdk-v2" || Object.keys(document.defaults).length) {
            // The step whose arguments are the pipeline parameters: their defaults (an
            // SDK v2 module declares them once, on its pipeline function).
            expect(
              parameters.map((_, i) => document.defaults[`p${i}`]),
              `${source} ${target}`,
            ).toEqual(pythonExpected.slice(0, parameters.length));
          }
        }
      }
    }
  }, 120_000);
});
