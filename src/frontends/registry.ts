// The frontend registry: which frontend parses which kind of file (kinds.ts names the
// kind by extension). A new frontend is one folder, one kind in SourceKind (types.ts),
// its extensions in kinds.ts and one entry here. Frontends are loaded on first use, so a
// run that parses nothing (a pre-commit check of files without MpiStep) never loads a
// parser.

import type { JsonOptions } from "./json/index.js";
import type { NotebookResult } from "./notebook/index.js";
import type { PythonOptions, PythonResult } from "./python/index.js";
import type { FrontendResult, SourceKind } from "./types.js";

/** A parsed input: what its frontend returned, keyed by its kind. */
export type ParsedSource =
  | { kind: "python"; parsed: PythonResult }
  | { kind: "notebook"; parsed: NotebookResult }
  | { kind: "json"; parsed: FrontendResult };

type ParseOptions = JsonOptions & PythonOptions;

/** Parses `text` with the frontend of `kind` (loading it on first use). */
export async function parseSource(
  kind: SourceKind,
  text: string,
  options: ParseOptions,
): Promise<ParsedSource> {
  switch (kind) {
    case "python":
      return {
        kind,
        parsed: await (await import("./python/index.js")).parsePythonSteps(text, options),
      };
    case "notebook":
      return {
        kind,
        parsed: await (await import("./notebook/index.js")).parseNotebookSteps(text, options),
      };
    case "json":
      return { kind, parsed: (await import("./json/index.js")).parseJsonSteps(text, options) };
  }
}

/** Starts loading the parser for `kind` without waiting for it. Called when the first
 * file that may hold a step is found: the Python grammar's WebAssembly then compiles on
 * another thread while the rest of the run loads (a failure surfaces at the parse). */
export function prepareParser(kind: SourceKind): void {
  if (kind === "python" || kind === "notebook")
    import("./python/parser.js").then((parser) => parser.pythonParser()).catch(() => undefined);
}
