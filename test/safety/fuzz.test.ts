// Fuzzing: seeded random mutations of the fixtures (deleted, duplicated and swapped
// lines and tokens, files cut short) run through check and convert --write, in this
// process, on copies. Nothing may crash (a file error at worst), no file that held no
// step may change, and every file written must parse with CPython.

import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { run } from "../../src/run/run.js";
import type { RunOptions } from "../../src/stages/outcome.js";
import { FIXTURES, scratch, notebookCode } from "../helpers.js";

const SEED = 7_2026;
const CASES = 2_000;
const BATCH = 100;

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fixtures(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return /src$/.test(name) ? [] : fixtures(full);
    return /\.(py|ipynb|json)$/.test(name) && !name.startsWith("key-map") ? [full] : [];
  });
}

type Mutation = (text: string, random: () => number) => string;
const pick = <T>(items: T[], random: () => number) => items[Math.floor(random() * items.length)]!;

const MUTATIONS: Mutation[] = [
  // delete a line
  (t, r) => {
    const lines = t.split("\n");
    lines.splice(Math.floor(r() * lines.length), 1);
    return lines.join("\n");
  },
  // duplicate a line
  (t, r) => {
    const lines = t.split("\n");
    const i = Math.floor(r() * lines.length);
    lines.splice(i, 0, lines[i]!);
    return lines.join("\n");
  },
  // swap two lines
  (t, r) => {
    const lines = t.split("\n");
    const i = Math.floor(r() * lines.length);
    const j = Math.floor(r() * lines.length);
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    return lines.join("\n");
  },
  // swap two tokens
  (t, r) => {
    const tokens = t.split(/(\s+|[()[\]{},:=])/);
    const i = Math.floor(r() * tokens.length);
    const j = Math.floor(r() * tokens.length);
    [tokens[i], tokens[j]] = [tokens[j]!, tokens[i]!];
    return tokens.join("");
  },
  // delete a token
  (t, r) => {
    const tokens = t.split(/(\s+|[()[\]{},:=])/);
    tokens.splice(Math.floor(r() * tokens.length), 1);
    return tokens.join("");
  },
  // cut the file short
  (t, r) => t.slice(0, Math.floor(r() * t.length)),
  // insert a character that means something to Python or JSON
  (t, r) => {
    const i = Math.floor(r() * t.length);
    return (
      t.slice(0, i) +
      pick(["(", ")", "[", "]", "{", "}", ":", ",", '"', "'", "=", "#", "\n", "\\", "*"], r) +
      t.slice(i)
    );
  },
];

const OPTIONS: Omit<RunOptions, "command" | "paths"> = {
  excludes: [],
  jobs: 1,
  defaultImages: "latest",
  maxBytes: 1 << 24,
  write: true,
};

describe("fuzz", () => {
  it(`${CASES} mutated fixtures: no crash, no unparsable write, no stray change`, async () => {
    const random = prng(SEED);
    const sources = fixtures(FIXTURES).map((file) => ({ file, text: readFileSync(file, "utf8") }));
    const written: Array<{ label: string; python: string }> = [];
    let changed = 0;
    let fileErrors = 0;
    for (let batch = 0; batch < CASES / BATCH; batch++) {
      const dir = scratch();
      const cases = new Map<string, string>();
      for (let i = 0; i < BATCH; i++) {
        const source = pick(sources, random);
        let text = source.text;
        for (let m = 1 + Math.floor(random() * 3); m > 0; m--)
          text = pick(MUTATIONS, random)(text, random);
        const name = `case${batch * BATCH + i}${path.extname(source.file)}`;
        mkdirSync(path.join(dir, `c${i}`));
        writeFileSync(path.join(dir, `c${i}`, name), text);
        cases.set(path.join(dir, `c${i}`, name), text);
      }
      const check = await run({ ...OPTIONS, command: "check", paths: [dir] });
      await run({ ...OPTIONS, command: "convert", paths: [dir] });
      const stepsIn = new Map(check.report.files.map((f) => [path.resolve(f.path), f.steps]));
      fileErrors += check.report.summary.errors;
      for (const [file, before] of cases) {
        const after = readFileSync(file, "utf8");
        if (after === before) continue;
        changed++;
        const steps = stepsIn.get(file) ?? [];
        expect(
          steps.some((s) => s.status === "converted"),
          `${file} changed without a convertible step`,
        ).toBe(true);
        expect(file.endsWith(".json"), `${file}: JSON input rewritten`).toBe(false);
        written.push({
          label: file,
          python: file.endsWith(".ipynb") ? notebookCode(after) : after,
        });
      }
      for (const generated of readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith(".yaml"))) {
        expect(() => parse(readFileSync(path.join(dir, generated), "utf8"))).not.toThrow();
      }
    }
    // One CPython run checks every rewritten file.
    const result = spawnSync(
      "python3",
      [
        "-c",
        "import ast, json, sys\nbad = []\nfor item in json.load(sys.stdin):\n    try:\n        ast.parse(item['python'])\n    except SyntaxError as e:\n        bad.append([item['label'], str(e)])\nprint(json.dumps(bad))",
      ],
      {
        input: JSON.stringify(written),
        encoding: "utf8",
        maxBuffer: 1 << 26,
      },
    );
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(changed).toBeGreaterThan(100);
    expect(fileErrors).toBeGreaterThan(100);
    console.log(
      `fuzz: ${CASES} cases, ${changed} files rewritten (all parse with CPython), ${fileErrors} reported as unparsable`,
    );
  }, 600_000);
});
