#!/usr/bin/env node
// The command's entry. A run on a few named files (a pre-commit hook) is mostly start-up,
// so before the program loads (program.ts): when those files hold an MpiStep, the Python
// parser starts loading at once and its WebAssembly compiles on another thread while the
// rest of the tool loads; and it compiles with V8's baseline compiler alone, which starts
// it sooner. A whole tree parses enough to gain from the optimising tier, and is left
// alone (bench/ measures both).

import { readFileSync, statSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { prepareParser, sourceKind } from "./frontends/registry.js";

/** At most this many named files count as a few. */
const FEW = 32;

function prepareForFewFiles(args: string[]): void {
  const files = args.filter((arg) => !arg.startsWith("-") && sourceKind(arg));
  if ((!files.length && !args.includes("-")) || files.length > FEW) return;
  try {
    if (!files.every((file) => statSync(file).isFile())) return;
    setFlagsFromString("--liftoff-only");
    const named = (file: string) => readFileSync(file).includes("MpiStep");
    const parsed = files.find((file) => sourceKind(file) !== "json" && named(file));
    if (parsed) prepareParser(sourceKind(parsed)!);
  } catch {
    // A file that cannot be read is the run's to report.
  }
}

prepareForFewFiles(process.argv.slice(2));
const { main } = await import("./program.js");
await main(process.argv);
