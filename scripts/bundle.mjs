// Bundles the CLI (and the worker-thread entry) into dist/bundle with esbuild: one
// small module graph starts faster than hundreds of files, which matters for pre-commit
// runs. Lazily imported parts (parsers, YAML, diff) stay separate chunks, loaded on use.
// The tree-sitter packages stay external so they find their .wasm files.

import { chmodSync, rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist/bundle", { recursive: true, force: true });

await build({
  entryPoints: ["src/cli.ts", "src/engine/worker.ts"],
  outdir: "dist/bundle",
  // Both entries side by side: the pool finds the worker next to itself.
  entryNames: "[name]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  mainFields: ["module", "main"],
  external: ["web-tree-sitter", "tree-sitter-python"],
  minify: true,
  sourcemap: "linked",
  // commander is CommonJS and requires Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});

// The bin entry: runnable as a command (npx mpistep-migrate, pre-commit hooks).
chmodSync("dist/bundle/cli.js", 0o755);
