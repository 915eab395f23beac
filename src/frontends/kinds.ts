// Which kind of input a file is, by its extension: the one table every stage reads
// (discovery, the prefilter, the command's entry). Imports nothing of the tool, so the
// entry (src/cli.ts) can use it without loading a frontend.

import path from "node:path";
import type { SourceKind } from "./types.js";

const EXTENSIONS: Record<SourceKind, readonly string[]> = {
  python: [".py"],
  notebook: [".ipynb"],
  json: [".json"],
};

export function sourceKind(file: string): SourceKind | undefined {
  const ext = path.extname(file).toLowerCase();
  return (Object.keys(EXTENSIONS) as SourceKind[]).find((kind) => EXTENSIONS[kind].includes(ext));
}
