#!/usr/bin/env node
// The command's entry (dist/bundle/cli.cjs): tunes start-up before the program
// (program.ts) starts.
// - WebAssembly compiles with V8's baseline compiler alone for `check`, which parses
//   little (frontends/python/reduce.ts), so the optimising tier's background compiles
//   would only take a core from reading and the workers; and for any run on a few named
//   files (a pre-commit hook), where it starts the parser sooner.
// - When those few files name MpiStep, the Python parser starts loading at once, so it
//   loads while the rest of the tool does.

import { readFileSync, statSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { prepareParser, sourceKind } from "./frontends/registry.js";

/** At most this many named files count as a few; only files up to this size are looked
 * into here (the run reads every file again, with its own size limit). */
const FEW = 32;
const LOOKED_INTO = 1024 * 1024;

function prepareForFewFiles(args: string[]): void {
  const files = args.filter((arg) => !arg.startsWith("-") && sourceKind(arg));
  if ((!files.length && !args.includes("-")) || files.length > FEW) return;
  try {
    const stats = files.map((file) => statSync(file));
    if (!stats.every((stat) => stat.isFile())) return;
    setFlagsFromString("--liftoff-only");
    const namesMpiStep = (file: string, i: number) =>
      sourceKind(file) !== "json" &&
      stats[i]!.size <= LOOKED_INTO &&
      readFileSync(file).includes("MpiStep");
    const parsed = files.find(namesMpiStep);
    if (parsed) prepareParser(sourceKind(parsed)!);
  } catch {
    // A file that cannot be read is the run's to report.
  }
}

const args = process.argv.slice(2);
if (args[0] === "check") setFlagsFromString("--liftoff-only");
prepareForFewFiles(args);
void import("./program.js").then(({ main }) => main(process.argv));
