// Builds the runnable package into dist/bundle with esbuild: the command (cli.cjs), the
// worker thread's file (worker.cjs) and the library entry (index.cjs), each one CommonJS
// file holding the tool's own code with its small dependencies. The large dependencies
// loaded only when needed (the tree-sitter runtime, the YAML library, iconv-lite's
// tables, the diff and gitignore libraries) are files of their own beside them, required
// on first use, with the two WebAssembly files the parser loads.
// The result is committed, so a git install (pre-commit hooks, `npm install -g <repo>`)
// needs no build step, no development dependencies and no install scripts.
//
// Why CommonJS and not ES modules: a run on a few files (a pre-commit hook) is mostly
// start-up, and Node's ES module loader (a facade per built-in module, resolution and
// linking per file) cost such a run about a fifth more than requiring one file (bench/).
// Deterministic: the same sources give the same bytes.
//
//   node scripts/bundle.mjs          build dist/bundle
//   node scripts/bundle.mjs --check  fail when dist/bundle is not the build of the sources

import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";

const OUT = "dist/bundle";
const require = createRequire(import.meta.url);
const WASM = [
  path.join(path.dirname(require.resolve("web-tree-sitter")), "tree-sitter.wasm"),
  require.resolve("tree-sitter-python/tree-sitter-python.wasm"),
];
/** Dependencies kept out of index.cjs, each bundled into a file of its own. */
const SEPARATE = ["web-tree-sitter", "yaml", "iconv-lite", "diff", "ignore"];

const COMMON = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  logLevel: "warning",
};

/** Imports of the separate dependencies become requires of their files. */
const separateFiles = {
  name: "separate-files",
  setup(b) {
    const names = new RegExp(`^(${SEPARATE.join("|")})$`);
    b.onResolve({ filter: names }, (args) => ({ path: `./${args.path}.cjs`, external: true }));
  },
};

/** commander requires node:child_process when it loads, for executable subcommands this
 * tool does not have; that module and the network modules it pulls in cost a run on a
 * few files several milliseconds. Here it is required when first used. */
const commanderLazyChildProcess = {
  name: "commander-lazy-child-process",
  setup(b) {
    b.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const eager = "const childProcess = require('node:child_process');";
      if (!source.includes(eager)) throw new Error(`${args.path}: the child_process require moved`);
      const lazy =
        "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: source.replace(eager, lazy), loader: "js" };
    });
  },
};

async function bundle(outdir) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    ...COMMON,
    entryPoints: {
      index: "src/index.ts",
      cli: "src/cli.ts",
      program: "src/program.ts",
      worker: "src/run/worker.ts",
    },
    outdir,
    outExtension: { ".js": ".cjs" },
    mainFields: ["module", "main"],
    define: {
      __MPISTEP_VERSION__: JSON.stringify(JSON.parse(readFileSync("package.json", "utf8")).version),
      // Files beside the bundle (the grammar, the worker) are found from its own address.
      "import.meta.url": "__bundleUrl",
    },
    banner: {
      js: '"use strict";\nconst __bundleUrl = require("node:url").pathToFileURL(__filename).href;',
    },
    plugins: [separateFiles, commanderLazyChildProcess],
    // import() of a separate file becomes require(): the files are CommonJS.
    supported: { "dynamic-import": false },
  });
  // Each from its CommonJS build (what `require` resolves to).
  for (const name of SEPARATE)
    await build({
      ...COMMON,
      entryPoints: { [name]: require.resolve(name) },
      outdir,
      outExtension: { ".js": ".cjs" },
      mainFields: ["main"],
      conditions: ["require"],
    });
  for (const file of WASM) {
    const copy = path.join(outdir, path.basename(file));
    copyFileSync(file, copy);
    chmodSync(copy, 0o644);
  }
  // The bin entry: runnable as a command (npx mpistep-migrate, pre-commit hooks).
  chmodSync(path.join(outdir, "cli.cjs"), 0o755);
}

function contents(dir) {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(path.join(dir, name)).toString("base64")]),
  );
}

if (process.argv.includes("--check")) {
  const fresh = mkdtempSync(path.join(tmpdir(), "mpistep-bundle-"));
  await bundle(fresh);
  const [want, have] = [contents(fresh), contents(OUT)];
  rmSync(fresh, { recursive: true, force: true });
  const stale = [...new Set([...Object.keys(want), ...Object.keys(have)])].filter(
    (name) => want[name] !== have[name],
  );
  if (stale.length) {
    console.error(
      `${OUT} is not the build of the sources (${stale.join(", ")}): run 'npm run build' and commit ${OUT}.`,
    );
    process.exit(1);
  }
  console.log(`${OUT} is the build of the sources.`);
} else await bundle(OUT);
