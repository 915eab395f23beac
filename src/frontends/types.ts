// What every frontend returns, and the kinds of input there are. Input the tool cannot
// read or parse is thrown as an InputError (src/diagnostics/model.ts).

import type { OtherStep, PipelineDeclaration } from "../ir/graph.js";
import type { StepDefinition } from "../ir/types.js";

/** The kinds of input, each read by one frontend (src/frontends/registry.ts). */
export type SourceKind = "python" | "notebook" | "json";

/** An entry that looked like a step but is of a type the tool does not model (reported,
 * not converted; a pipeline keeps a TODO for it). */
export type SkippedEntry = OtherStep;

export interface FrontendResult {
  /** Every step of a modelled kind (ir/step-kinds.ts), in source order. */
  steps: StepDefinition[];
  skipped: SkippedEntry[];
  /** The `Pipeline(...)` calls of the source (code frontends). */
  pipelines?: PipelineDeclaration[];
}
