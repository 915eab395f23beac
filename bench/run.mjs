// npm run bench: builds the synthetic monorepo (once), then measures in the same run the
// floor (grep -rl MpiStep), the tool's check over the whole tree (time and peak memory),
// and a pre-commit style check of five small files against a bare `node -e 0`. Prints each
// time, the ratios and the goals. Optional peers: ast-grep and CPython, when installed.

import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildCorpus, FILES, WITH_MPISTEP_EVERY } from "./corpus.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CORPUS = path.join(ROOT, "bench", ".cache", "monorepo");
const CLI = path.join(ROOT, "dist", "bundle", "cli.js");

function time(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 28, ...options });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.error) throw result.error;
  return { seconds, result };
}

function median(command, args, runs, options) {
  const samples = [];
  let last;
  for (let i = 0; i < runs; i++) {
    last = time(command, args, options);
    samples.push(last.seconds);
  }
  samples.sort((a, b) => a - b);
  return { seconds: samples[Math.floor(runs / 2)], result: last.result };
}

function has(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;
}

const fmt = (s) => `${(s * 1000).toFixed(0)} ms`;
const verdict = (ratio, goal) => (ratio <= goal ? `within goal ${goal}x` : `OVER goal ${goal}x`);

console.log(`corpus: ${CORPUS}`);
const built = time(process.execPath, [
  "-e",
  `import(${JSON.stringify(path.join(ROOT, "bench", "corpus.mjs"))}).then(m => console.log(m.buildCorpus(${JSON.stringify(CORPUS)})))`,
]);
console.log(
  `  ${FILES} Python files, 1 in ${WITH_MPISTEP_EVERY} with an MpiStep (${built.result.stdout.trim() === "true" ? `built in ${built.seconds.toFixed(1)} s` : "reused"})`,
);
const du = spawnSync("du", ["-sm", CORPUS], { encoding: "utf8" }).stdout.split("\t")[0];
console.log(`  ${du} MB on disk`);

// Warm the page cache so every contender reads from memory.
time("grep", ["-rl", "MpiStep", CORPUS]);

const grep = median("grep", ["-rl", "MpiStep", CORPUS], 3);
const found = grep.result.stdout.trim().split("\n").length;
const check = median(
  process.execPath,
  [path.join(ROOT, "bench", "rss.mjs"), CLI, "check", CORPUS, "--quiet", "--format", "json"],
  3,
);
const report = JSON.parse(check.result.stdout);
const maxRss = Number(/maxrss_kb=(\d+)/.exec(check.result.stderr)?.[1] ?? 0) / 1024;

const small = Array.from({ length: 5 }, (_, i) =>
  path.join(CORPUS, "pkg_000", `module_${String(i + 1).padStart(5, "0")}.py`),
);
const smallWithStep = [path.join(CORPUS, "pkg_000", "module_00000.py"), ...small.slice(0, 4)];
const nodeBare = median(process.execPath, ["-e", "0"], 11);
const five = median(process.execPath, [CLI, "check", ...small, "--quiet"], 11);
const fiveWithStep = median(process.execPath, [CLI, "check", ...smallWithStep, "--quiet"], 11);

console.log("\nwhole tree");
console.log(`  grep -rl MpiStep          ${fmt(grep.seconds)}  (${found} files)`);
console.log(
  `  mpistep-migrate check     ${fmt(check.seconds)}  (${report.summary.steps} steps in ${report.summary.files} files)  ratio ${(check.seconds / grep.seconds).toFixed(2)}x  ${verdict(check.seconds / grep.seconds, 5)} (first goal), ${verdict(check.seconds / grep.seconds, 3)} (final goal)`,
);
console.log(
  `  peak memory               ${maxRss.toFixed(0)} MB  ${maxRss < 300 ? "within goal 300 MB" : "OVER goal 300 MB"}`,
);
if (report.summary.steps !== found)
  console.log(`  MISMATCH: grep found ${found} files, check found ${report.summary.steps} steps`);

console.log("\npre-commit latency (median of 11)");
console.log(`  node -e 0                 ${fmt(nodeBare.seconds)}`);
console.log(
  `  check, 5 files, no step   ${fmt(five.seconds)}  ratio ${(five.seconds / nodeBare.seconds).toFixed(2)}x  ${verdict(five.seconds / nodeBare.seconds, 1.6)}`,
);
console.log(
  `  check, 5 files, one step  ${fmt(fiveWithStep.seconds)}  ratio ${(fiveWithStep.seconds / nodeBare.seconds).toFixed(2)}x`,
);

console.log("\noptional peers");
if (has("ast-grep")) {
  const sg = median(
    "ast-grep",
    ["run", "--lang", "python", "--pattern", "MpiStep($$$)", CORPUS],
    1,
  );
  console.log(
    `  ast-grep MpiStep($$$)     ${fmt(sg.seconds)}  ratio to check ${(check.seconds / sg.seconds).toFixed(2)}x`,
  );
} else console.log("  ast-grep: not installed");
// CPython parsing every file takes minutes on this machine: opt in.
if (process.env.BENCH_CPYTHON) {
  const parseAll =
    "import ast, pathlib, sys\nfor p in pathlib.Path(sys.argv[1]).rglob('*.py'): ast.parse(p.read_bytes())";
  const cpython = median("python3", ["-c", parseAll, CORPUS], 1);
  console.log(
    `  CPython ast.parse, all    ${fmt(cpython.seconds)}  ratio to check ${(check.seconds / cpython.seconds).toFixed(2)}x`,
  );
} else console.log("  CPython ast.parse of every file: skipped (set BENCH_CPYTHON=1)");
