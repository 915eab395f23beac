// The frontend registry: which frontend reads which file, by extension. A new frontend
// is one folder and one line here.

import path from "node:path";
import type { SourceKind } from "../backends/types.js";
import { parseJsonSteps, type JsonOptions } from "./json/index.js";
import { parseNotebookSteps } from "./notebook/index.js";
import { parsePythonSteps } from "./python/index.js";
import type { FrontendResult } from "./types.js";

export interface FrontendOptions extends JsonOptions {}

export const FRONTENDS: Record<
  SourceKind,
  {
    extensions: string[];
    parse(text: string, options: FrontendOptions): Promise<FrontendResult> | FrontendResult;
  }
> = {
  python: { extensions: [".py"], parse: (text) => parsePythonSteps(text) },
  notebook: { extensions: [".ipynb"], parse: (text) => parseNotebookSteps(text) },
  json: { extensions: [".json"], parse: (text, options) => parseJsonSteps(text, options) },
};

export function sourceKind(file: string): SourceKind | undefined {
  const ext = path.extname(file).toLowerCase();
  return (Object.keys(FRONTENDS) as SourceKind[]).find((kind) =>
    FRONTENDS[kind].extensions.includes(ext),
  );
}
