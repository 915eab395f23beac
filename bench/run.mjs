// npm run bench: builds the synthetic monorepos (once), then measures in paired rounds
// (each round runs every contender back to back, so a noisy machine slows all alike) the
// floors and the tool against them:
//   - check over the whole tree against `grep -rl MpiStep` (goal 3x), with peak memory
//     (goal 300 MB), and over the same tree without any MpiStep (goal 2x grep);
//   - check on five small files, without and with a step, against a bare `node -e 0`
//     (goals 1.4x and 1.6x), with the tool's code cache (src/code-cache.ts) in place, as
//     for every run of a hook but the first; and, without a goal, that first run (no
//     cache yet, which it then writes).
//   - convert on a 1 MB single-line list against check on it (goal 2x: convert is
//     linear in a file's size), and convert's peak memory on a 4 MB one as a multiple of
//     the file's size (goal 128x, over what the same run takes on a small file).
// Prints the median of each ratio over the rounds (BENCH_ROUNDS, default 7), and checks
// that check's report equals the report of `check --full-parse` (every file parsed
// whole), listing any file where they differ, and the report of one thread (--jobs 1).
// Optional peers: ast-grep and CPython.

import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FILES, WITH_MPISTEP_EVERY } from "./corpus.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CORPUS = path.join(ROOT, "bench", ".cache", "monorepo");
const CLEAN = path.join(ROOT, "bench", ".cache", "monorepo-without-steps");
const CLI = path.join(ROOT, "dist", "bundle", "cli.cjs");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
// The bench keeps its own code caches, so it neither reads nor changes the user's: one
// that every run shares, and one emptied before each first run.
const CODE_CACHE = path.join(ROOT, "bench", ".cache", "code-cache");
const FIRST_RUN_CACHE = path.join(ROOT, "bench", ".cache", "code-cache-first-run");

function time(command, args, codeCache = CODE_CACHE, env = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { ...process.env, XDG_CACHE_HOME: codeCache, ...env },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.error) throw result.error;
  return { seconds, result };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (s) => `${(s * 1000).toFixed(0)} ms`;
const verdict = (value, goal, unit = "x") =>
  value <= goal ? `within goal ${goal}${unit}` : `OVER goal ${goal}${unit}`;

function build(dir, withSteps) {
  const made = time(process.execPath, [
    "-e",
    `import(${JSON.stringify(path.join(ROOT, "bench", "corpus.mjs"))}).then(m => console.log(m.buildCorpus(${JSON.stringify(dir)}, ${withSteps})))`,
  ]);
  const du = spawnSync("du", ["-sm", dir], { encoding: "utf8" }).stdout.split("\t")[0];
  const how =
    made.result.stdout.trim() === "true" ? `built in ${made.seconds.toFixed(1)} s` : "reused";
  console.log(`  ${dir}: ${du} MB (${how})`);
}

console.log(
  `corpora: ${FILES} Python files each, 1 in ${WITH_MPISTEP_EVERY} with an MpiStep, and none`,
);
build(CORPUS, true);
build(CLEAN, false);

const checkTree = (dir) => [
  path.join(ROOT, "bench", "rss.mjs"),
  CLI,
  "check",
  dir,
  "--quiet",
  "--format",
  "json",
];
const small = (first) =>
  [first, 1, 2, 3, 4].map((i) =>
    path.join(CORPUS, "pkg_000", `module_${String(i).padStart(5, "0")}.py`),
  );
const withoutStep = small(5); // module_00001..5: no MpiStep
const withStep = small(0); // module_00000 holds one

/** A module with one MpiStep and a list literal of `items` numbers on one line. */
function longLine(file, items) {
  mkdirSync(path.dirname(file), { recursive: true });
  const step =
    'from azureml.pipeline.steps import MpiStep\nstep = MpiStep(name="x", source_directory="src", script_name="t.py", arguments=[], compute_target="c", node_count=1, process_count_per_node=1)\n';
  const list = Array.from({ length: items }, (_, i) => i).join(", ");
  writeFileSync(file, `${step}x = [${list}]\n`);
  return file;
}
const LONG_LINE = longLine(path.join(ROOT, "bench", ".cache", "long-line", "list.py"), 150_000);
const LONGER_LINE = longLine(path.join(ROOT, "bench", ".cache", "long-line", "longer.py"), 550_000);
const SMALL = longLine(path.join(ROOT, "bench", ".cache", "long-line", "small.py"), 10);
const LONG_OUT = path.join(ROOT, "bench", ".cache", "long-line-out");
const convertLong = (file) => [
  path.join(ROOT, "bench", "rss.mjs"),
  CLI,
  "convert",
  file,
  "--out-dir",
  LONG_OUT,
  "--quiet",
  "--force",
];

// Warm the page cache so every contender reads from memory.
time("grep", ["-rl", "MpiStep", CORPUS]);
time("grep", ["-rl", "MpiStep", CLEAN]);

const samples = {
  grep: [],
  check: [],
  grepClean: [],
  checkClean: [],
  node: [],
  five: [],
  fiveStep: [],
  fiveStepFirst: [],
  checkLong: [],
  convertLong: [],
  convertLongOwn: [],
};
const ratios = { tree: [], clean: [], five: [], fiveStep: [], fiveStepFirst: [], long: [] };
const memoryMultiples = [];
const peakKb = (run) => Number(/maxrss_kb=(\d+)/.exec(run.result.stderr)?.[1] ?? 0);
const rss = [];
let report;
for (let round = 0; round < ROUNDS; round++) {
  const grep = time("grep", ["-rl", "MpiStep", CORPUS]);
  const check = time(process.execPath, checkTree(CORPUS));
  const grepClean = time("grep", ["-rl", "MpiStep", CLEAN]);
  const checkClean = time(process.execPath, checkTree(CLEAN));
  const node = time(process.execPath, ["-e", "0"]);
  const five = time(process.execPath, [CLI, "check", ...withoutStep, "--quiet"]);
  const fiveStep = time(process.execPath, [CLI, "check", ...withStep, "--quiet"]);
  rmSync(FIRST_RUN_CACHE, { recursive: true, force: true });
  const fiveStepFirst = time(
    process.execPath,
    [CLI, "check", ...withStep, "--quiet"],
    FIRST_RUN_CACHE,
  );
  const checkLong = time(process.execPath, [CLI, "check", LONG_LINE, "--quiet"]);
  const convertLongRun = time(process.execPath, convertLong(LONG_LINE));
  // The same without CPython's second opinion (no python3 to run): the tool's own share.
  const convertLongOwn = time(process.execPath, convertLong(LONG_LINE), CODE_CACHE, {
    MPISTEP_MIGRATE_PYTHON: path.join(ROOT, "bench", ".cache", "no-python"),
  });
  const convertSmall = time(process.execPath, convertLong(SMALL));
  const convertLonger = time(process.execPath, convertLong(LONGER_LINE));
  rmSync(LONG_OUT, { recursive: true, force: true });
  samples.checkLong.push(checkLong.seconds);
  samples.convertLong.push(convertLongRun.seconds);
  samples.convertLongOwn.push(convertLongOwn.seconds);
  ratios.long.push(convertLongRun.seconds / checkLong.seconds);
  memoryMultiples.push(
    ((peakKb(convertLonger) - peakKb(convertSmall)) * 1024) / statSync(LONGER_LINE).size,
  );
  report = check.result.stdout;
  rss.push(Number(/maxrss_kb=(\d+)/.exec(check.result.stderr)?.[1] ?? 0) / 1024);
  for (const [name, run] of Object.entries({
    grep,
    check,
    grepClean,
    checkClean,
    node,
    five,
    fiveStep,
    fiveStepFirst,
  }))
    samples[name].push(run.seconds);
  ratios.tree.push(check.seconds / grep.seconds);
  ratios.clean.push(checkClean.seconds / grepClean.seconds);
  ratios.five.push(five.seconds / node.seconds);
  ratios.fiveStep.push(fiveStep.seconds / node.seconds);
  ratios.fiveStepFirst.push(fiveStepFirst.seconds / node.seconds);
}

const found = time("grep", ["-rl", "MpiStep", CORPUS]).result.stdout.trim().split("\n").length;
const summary = JSON.parse(report).summary;
const m = (name) => ms(median(samples[name]));
const r = (name) => median(ratios[name]);
console.log(`\nmedians over ${ROUNDS} paired rounds`);
console.log("\nwhole tree");
console.log(`  grep -rl MpiStep          ${m("grep")}  (${found} files)`);
console.log(
  `  mpistep-migrate check     ${m("check")}  (${summary.steps} steps in ${summary.files} files)  ratio ${r("tree").toFixed(2)}x  ${verdict(r("tree"), 3)}`,
);
console.log(
  `  peak memory               ${median(rss).toFixed(0)} MB (largest ${Math.max(...rss).toFixed(0)} MB)  ${verdict(Math.max(...rss), 300, " MB")}`,
);
if (summary.steps !== found)
  console.log(`  MISMATCH: grep found ${found} files, check found ${summary.steps} steps`);

console.log("\nwhole tree without any MpiStep");
console.log(`  grep -rl MpiStep          ${m("grepClean")}`);
console.log(
  `  mpistep-migrate check     ${m("checkClean")}  ratio ${r("clean").toFixed(2)}x  ${verdict(r("clean"), 2)}`,
);

console.log("\npre-commit latency");
console.log(`  node -e 0                 ${m("node")}`);
console.log(
  `  check, 5 files, no step   ${m("five")}  ratio ${r("five").toFixed(2)}x  ${verdict(r("five"), 1.4)}`,
);
console.log(
  `  check, 5 files, one step  ${m("fiveStep")}  ratio ${r("fiveStep").toFixed(2)}x  ${verdict(r("fiveStep"), 1.6)}`,
);
console.log(
  `  the same, first run        ${m("fiveStepFirst")}  ratio ${r("fiveStepFirst").toFixed(2)}x  (no code cache yet: after an install or upgrade)`,
);

const longMb = (statSync(LONG_LINE).size / 2 ** 20).toFixed(1);
const longerMb = (statSync(LONGER_LINE).size / 2 ** 20).toFixed(1);
console.log(`\none long line (a list literal of numbers)`);
console.log(`  check, ${longMb} MB          ${m("checkLong")}`);
console.log(
  `  convert, ${longMb} MB        ${m("convertLong")}  ratio ${r("long").toFixed(2)}x  ${verdict(r("long"), 2)}`,
);
console.log(
  `  of which the tool's own  ${m("convertLongOwn")}  (the rest is CPython compiling the original and the rewrite)`,
);
console.log(
  `  convert's memory, ${longerMb} MB  ${median(memoryMultiples).toFixed(0)}x the file's size  ${verdict(Math.max(...memoryMultiples), 128)}`,
);

/** Compares check's report with the report of check with `flags`, listing the files
 * where they differ. */
function compareReport(title, flags) {
  const other = time(process.execPath, [
    CLI,
    "check",
    CORPUS,
    "--quiet",
    "--format",
    "json",
    ...flags,
  ]).result.stdout;
  console.log(`\nreport against ${title} (check ${flags.join(" ")})`);
  if (other === report) return console.log("  byte-identical");
  const byPath = (text) => new Map(JSON.parse(text).files.map((f) => [f.path, JSON.stringify(f)]));
  const [a, b] = [byPath(report), byPath(other)];
  const differ = [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p));
  console.log(
    `  DIFFERENT in ${differ.length} files:\n${differ.map((p) => `    ${p}`).join("\n")}`,
  );
}
// check leaves unrelated definitions out of the parse; --full-parse parses every file
// whole, as before: the reports must be the same but for syntax errors inside what was
// left out (none in this corpus). The pool changes nothing either.
compareReport("a whole-file parse", ["--full-parse"]);
compareReport("one thread", ["--jobs", "1"]);

console.log("\noptional peers");
const has = (command) => spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;
if (has("ast-grep")) {
  const sg = time("ast-grep", ["run", "--lang", "python", "--pattern", "MpiStep($$$)", CORPUS]);
  console.log(
    `  ast-grep MpiStep($$$)     ${ms(sg.seconds)}  check is ${(median(samples.check) / sg.seconds).toFixed(2)}x of it`,
  );
} else console.log("  ast-grep: not installed");
// CPython parsing every file takes about a minute on this machine: opt in.
if (process.env.BENCH_CPYTHON) {
  const parseAll =
    "import ast, pathlib, sys\nfor p in pathlib.Path(sys.argv[1]).rglob('*.py'): ast.parse(p.read_bytes())";
  const cpython = time("python3", ["-c", parseAll, CORPUS]);
  console.log(
    `  CPython ast.parse, all    ${ms(cpython.seconds)}  check is ${(median(samples.check) / cpython.seconds).toFixed(2)}x of it`,
  );
} else console.log("  CPython ast.parse of every file: skipped (set BENCH_CPYTHON=1)");
