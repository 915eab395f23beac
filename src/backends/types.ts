// The contract between the engine and the target backends.

import type { FrontendResult } from "../frontends/types.js";
import type { StepDefinition } from "../ir/types.js";
import type { JobContext, Todo } from "./shared/command-job.js";

export type TargetName = "commandstep" | "job-yaml" | "pipeline-yaml" | "sdk-v2";
export type SourceKind = "python" | "notebook" | "json";

export interface SourceFile {
  /** Absolute path of the input. */
  path: string;
  kind: SourceKind;
  /** The decoded text. */
  text: string;
  parsed: FrontendResult;
  /** Where generated files for this input go: `<output root>/<relative path without extension>`. */
  outputStem: string;
}

export interface Dropped {
  option: string;
  reason: string;
}

export interface StepConversion {
  todos: Todo[];
  notes: Todo[];
  dropped: Dropped[];
}

export interface GeneratedFile {
  path: string;
  text: string;
  /** The steps a job document or module runs (absent for supporting files such as conda
   * files): what `convert --verify` loads with the SDK, and whom its verdict concerns. */
  steps?: StepDefinition[];
}

export interface BackendOutput {
  /** New documents to write. */
  files: GeneratedFile[];
  /** In-place targets: the rewritten text of the input (undefined: unchanged). */
  rewritten?: string;
  steps: Map<StepDefinition, StepConversion>;
}

export type ConvertContext = JobContext;

export interface Backend {
  name: TargetName;
  convert(file: SourceFile, steps: StepDefinition[], context: ConvertContext): BackendOutput;
}
