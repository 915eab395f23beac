// Builds the runnable package into dist/bundle with esbuild: the CLI, its worker-thread
// entry and the library entry, with every dependency inside (web-tree-sitter included)
// and the two WebAssembly files they load beside them. The result is committed, so a
// git install (pre-commit hooks, `npm install -g <repo>`) needs no build step, no
// development dependencies and no install scripts. One small module graph also starts
// faster than hundreds of files, which matters for pre-commit runs; lazily imported parts
// (parsers, YAML, diff) stay separate chunks, loaded on use. Deterministic: the same
// sources give the same bytes.
//
//   node scripts/bundle.mjs          build dist/bundle
//   node scripts/bundle.mjs --check  fail when dist/bundle is not the build of the sources

import { chmodSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
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

async function bundle(outdir) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: ["src/cli.ts", "src/engine/worker.ts", "src/index.ts"],
    outdir,
    // All entries side by side: the pool finds the worker next to itself.
    entryNames: "[name]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    mainFields: ["module", "main"],
    minify: true,
    define: {
      __MPISTEP_VERSION__: JSON.stringify(JSON.parse(readFileSync("package.json", "utf8")).version),
    },
    // commander is CommonJS and requires Node built-ins.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: "warning",
  });
  for (const file of WASM) {
    const copy = path.join(outdir, path.basename(file));
    copyFileSync(file, copy);
    chmodSync(copy, 0o644);
  }
  // The bin entry: runnable as a command (npx mpistep-migrate, pre-commit hooks).
  chmodSync(path.join(outdir, "cli.js"), 0o755);
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
