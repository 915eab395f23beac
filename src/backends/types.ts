// The contract between the engine and the target backends.

import type { TextEdit } from "./shared/edits.js";
import type { Diagnostic } from "../diagnostics/model.js";
import type { ParsedSource } from "../frontends/registry.js";
import type { StepDefinition } from "../ir/types.js";

/** An input to convert: its parse, keyed by kind, and where its outputs go. */
export type SourceFile = ParsedSource & {
  /** Absolute path of the input. */
  path: string;
  /** The decoded text. */
  text: string;
  /** Where generated files for this input go: `<output root>/<relative path without extension>`. */
  outputStem: string;
};

/** The SDK default images MpiStep fell back to (docs/semantics.md, "Environment"). */
export type DefaultImages = "latest" | "legacy";

/** What backends may ask while converting the steps of a file. */
export interface ConvertContext {
  defaultImages: DefaultImages;
  /** The Python the conda files pin (--python-version); by default the one of the SDK
   * builds `defaultImages` stands for. */
  pythonVersion?: string;
  /** `check`: only what each step needs is wanted (its diagnostics and dropped options);
   * a backend may skip producing text. */
  findingsOnly?: boolean;
  /** The lines of the step's requirements file, or why they cannot be read. */
  readRequirements(step: StepDefinition, file: string): { lines: string[] } | { error: string };
  /** A file of the repository named relative to the input file's folder (a conda or
   * requirements file an Environment is built from), or why it cannot be read. */
  readSourceFile(file: string): { text: string } | { error: string };
}

export interface Dropped {
  option: string;
  reason: string;
}

/** What converting one step found: what it cannot carry over (manual work, TODO places)
 * and facts worth reporting, and the options it dropped. */
export interface StepConversion {
  diagnostics: Diagnostic[];
  dropped: Dropped[];
}

export interface GeneratedFile {
  path: string;
  text: string;
  /** A file of the user's own written out as it is (a script a notebook writes): it gets
   * no stamp line. */
  verbatim?: boolean;
  /** The steps a job document or module runs (absent for supporting files such as conda
   * files): what `convert --verify` loads with the SDK, and whom its verdict concerns. */
  steps?: StepDefinition[];
}

export interface BackendOutput {
  /** New documents to write. */
  files: GeneratedFile[];
  /** In-place targets: the rewritten text of the input (undefined: unchanged). */
  rewritten?: string;
  /** For a rewritten Python file: the edits against its text that make `rewritten`
   * (only the top-level statements they touch need checking again). */
  edits?: TextEdit[];
  steps: Map<StepDefinition, StepConversion>;
  /** Pipeline targets: what became of each step other than the MpiSteps that the
   * pipelines hold as nodes (converted, or converted with TODOs). */
  nodes?: Map<StepDefinition, "converted" | "manual">;
  /** Findings about the output as a whole rather than one step (a pipeline leaving out
   * steps of the source): file diagnostics; one with a TODO leaves manual work. */
  diagnostics?: Diagnostic[];
}

export interface Backend {
  convert(file: SourceFile, steps: StepDefinition[], context: ConvertContext): BackendOutput;
}
