// The one list of step kinds: the kinds the tool models (their parameter tables are in
// ir/parameters.ts) and the other Azure ML v1 step types it only recognises. MpiStep is
// the kind the tool migrates; PythonScriptStep and CommandStep are the neighbours a
// pipeline carries with it (docs/semantics.md, "Whole pipelines").

import {
  COMMAND_STEP_PARAMETERS,
  PARAMETERS,
  PYTHON_SCRIPT_STEP_PARAMETERS,
  type ParameterSpec,
} from "./parameters.js";

export type StepKind = "MpiStep" | "PythonScriptStep" | "CommandStep";

export interface StepKindSpec {
  parameters: readonly ParameterSpec<string>[];
  /** MpiStep took `**kwargs` and ignored unknown keywords; the others raise TypeError. */
  ignoresUnknownKeywords: boolean;
  /** Whether the tool migrates steps of this kind (reports them, counts them, exits 1 in
   * `check`); the others are converted only as part of a pipeline. */
  migrated: boolean;
}

export const STEP_KINDS: Record<StepKind, StepKindSpec> = {
  MpiStep: { parameters: PARAMETERS, ignoresUnknownKeywords: true, migrated: true },
  PythonScriptStep: {
    parameters: PYTHON_SCRIPT_STEP_PARAMETERS,
    ignoresUnknownKeywords: false,
    migrated: false,
  },
  CommandStep: {
    parameters: COMMAND_STEP_PARAMETERS,
    ignoresUnknownKeywords: false,
    migrated: false,
  },
};

export const STEP_KIND_NAMES = Object.keys(STEP_KINDS) as StepKind[];

/** The modules MpiStep is imported from. */
export const MPISTEP_MODULES: readonly string[] = [
  "azureml.pipeline.steps",
  "azureml.pipeline.steps.mpi_step",
];

/** The modules the modelled kinds are imported from: MpiStep's, and the other kinds' own. */
export const STEP_MODULES: readonly string[] = [
  ...MPISTEP_MODULES,
  "azureml.pipeline.steps.python_script_step",
  "azureml.pipeline.steps.command_step",
];

/** The parameter of `kind` named `name`, if the kind takes it. */
export function kindParameter(kind: StepKind, name: string): ParameterSpec<string> | undefined {
  return STEP_KINDS[kind].parameters.find((spec) => spec.name === name);
}

/** The kind's parameters in positional order. */
export function positionalParameters(kind: StepKind): string[] {
  return STEP_KINDS[kind].parameters
    .filter((spec) => spec.position !== undefined)
    .sort((a, b) => a.position! - b.position!)
    .map((spec) => spec.name);
}

export function isMigrated(step: { kind: StepKind }): boolean {
  return STEP_KINDS[step.kind].migrated;
}

/** The keywords through which a step type the tool does not model reads data (consumes)
 * and writes it (produces): ParallelRunStep's `output`, DataTransferStep's references. */
export const OTHER_STEP_DATA = {
  consumes: ["inputs", "side_inputs", "input_data", "source_data_reference", "arguments"],
  produces: ["outputs", "output", "destination_data_reference"],
} as const;

/** The step classes of `azureml.pipeline.steps` in SDK v1's last release: an entry of one
 * of these types is a step of the pipeline, not a concern of the MpiStep migration. */
export const AZURE_STEP_TYPES: ReadonlySet<string> = new Set([
  "AdlaStep",
  "AutoMLStep",
  "AzureBatchStep",
  "CommandStep",
  "DatabricksStep",
  "DataTransferStep",
  "EstimatorStep",
  "HyperDriveStep",
  "KustoStep",
  "ModuleStep",
  "MpiStep",
  "ParallelRunStep",
  "PythonScriptStep",
  "SynapseSparkStep",
]);
