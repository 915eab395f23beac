// Emitted text cannot be subverted: random strings through the YAML writer and parser,
// through POSIX shell quoting and a real sh, and through Python string literals and
// CPython. Seeded, so a failure is reproducible.

import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { pythonString } from "../../src/backends/shared/python-text.js";
import { quoteShellWord } from "../../src/backends/shared/shell.js";
import { toYaml } from "../../src/backends/shared/yaml.js";

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
