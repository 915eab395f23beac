#!/usr/bin/env node
// The command's entry (dist/bundle/cli.cjs), kept small: it is the one file compiled
// afresh on every run. It tunes start-up, then runs the program (program.ts, bundled as
// program.cjs beside it) through the code cache (code-cache.ts).
// - WebAssembly compiles with V8's baseline compiler alone for `check`, which parses
//   little (frontends/python/reduce.ts), so the optimising tier's background compiles
//   would only take a core from reading and the workers; and for any run on a few named
//   files (a pre-commit hook), where it starts the parser sooner. V8 flags are set here,
//   before any of the tool is compiled, since a code cache holds for one set of flags.
// - When those few files name MpiStep, the Python parser starts loading at once, so it
//   loads while the rest of the tool does.

import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { requireCached } from "./code-cache.js";
import { sourceKind } from "./frontends/kinds.js";
import type { SourceKind } from "./frontends/types.js";

/** At most this many named files count as a few; only files up to this size are looked
 * into here (the run reads every file again, with its own size limit). */
const FEW = 32;
const LOOKED_INTO = 1024 * 1024;

interface FewFiles {
  /** The kind of the first named file that names MpiStep, when one does. */
  parsed?: SourceKind;
}

/** What the command line says when it names only a few files (or stdin), else undefined. */
function fewFiles(args: string[]): FewFiles | undefined {
  const files = args.filter((arg) => !arg.startsWith("-") && sourceKind(arg));
  if ((!files.length && !args.includes("-")) || files.length > FEW) return undefined;
  try {
    const stats = files.map((file) => statSync(file));
    if (!stats.every((stat) => stat.isFile())) return undefined;
    const namesMpiStep = (file: string, i: number) =>
      sourceKind(file) !== "json" &&
      stats[i]!.size <= LOOKED_INTO &&
      readFileSync(file).includes("MpiStep");
    const parsed = files.find(namesMpiStep);
    return { parsed: parsed ? sourceKind(parsed) : undefined };
  } catch {
    // A file that cannot be read is the run's to report.
    return undefined;
  }
}

interface Program {
  main(argv: string[]): Promise<void>;
  prepareParser(kind: SourceKind): void;
}

const args = process.argv.slice(2);
const few = fewFiles(args);
const liftoffOnly = args[0] === "check" || few !== undefined;
if (liftoffOnly) setFlagsFromString("--liftoff-only");
const program = requireCached(
  fileURLToPath(new URL("./program.cjs", import.meta.url)),
  liftoffOnly ? "liftoff-only" : "default",
) as Program;
if (few?.parsed) program.prepareParser(few.parsed);
void program.main(process.argv);
