// The frontend registry: which frontend reads which file, by extension. A new frontend
// is one folder and one line here. Frontends are loaded on first use, so a run that
// parses nothing (a pre-commit check of files without MpiStep) never loads a parser.

import path from "node:path";
import type { SourceKind } from "../backends/types.js";
import type { JsonOptions } from "./json/index.js";
import type { PythonOptions } from "./python/index.js";
import type { FrontendResult } from "./types.js";

type Parse = (
  text: string,
  options: JsonOptions & PythonOptions,
) => Promise<FrontendResult> | FrontendResult;

export const FRONTENDS: Record<SourceKind, { extensions: string[]; load(): Promise<Parse> }> = {
  python: {
    extensions: [".py"],
    load: async () => (await import("./python/index.js")).parsePythonSteps,
  },
  notebook: {
    extensions: [".ipynb"],
    load: async () => (await import("./notebook/index.js")).parseNotebookSteps,
  },
  json: {
    extensions: [".json"],
    load: async () => (await import("./json/index.js")).parseJsonSteps,
  },
};

export function sourceKind(file: string): SourceKind | undefined {
  const ext = path.extname(file).toLowerCase();
  return (Object.keys(FRONTENDS) as SourceKind[]).find((kind) =>
    FRONTENDS[kind].extensions.includes(ext),
  );
}
