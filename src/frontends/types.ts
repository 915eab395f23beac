// What every frontend returns, and the kinds of input there are. Input the tool cannot
// read or parse is thrown as an InputError (src/diagnostics/model.ts).

import type { StepDefinition } from "../ir/types.js";

/** The kinds of input, each read by one frontend (src/frontends/registry.ts). */
export type SourceKind = "python" | "notebook" | "json";

/** An entry that looked like a step but is not an MpiStep (reported, not converted). */
export interface SkippedEntry {
  label: string;
  type: string;
  line: number;
  column: number;
}

export interface FrontendResult {
  steps: StepDefinition[];
  skipped: SkippedEntry[];
}
