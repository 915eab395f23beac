// The target-neutral model of a v2 pipeline built from the MpiSteps of one file: one
// command job per step, pipeline inputs for pipeline parameters and external data, and
// data edges where one converted step consumes another's output. Rendered by the
// pipeline-yaml and sdk-v2 backends.

import type { Diagnostic } from "../../diagnostics/model.js";
import type { Scalar, StepDefinition } from "../../ir/types.js";
import { diagnostic } from "../../codes/index.js";
import type { ConvertContext, SourceFile, StepConversion } from "../types.js";
import { buildCommandJob, type CommandJob, type InputSpec } from "./command-job.js";
import { ioName, jobKey } from "./names.js";

/** What a node input is bound to. */
export type Binding =
  | { kind: "parent"; input: string }
  | { kind: "job"; job: string; output: string }
  /** An input the step needs but nothing can bind (the job keeps the TODO). */
  | { kind: "unbound" };

export type PipelineInput =
  | { kind: "parameter"; parameter: string; value?: Scalar }
  | { kind: "data"; spec: Extract<InputSpec, { kind: "data" }> };

export interface PipelineNode {
  key: string;
  step: StepDefinition;
  job: CommandJob;
  /** Node input name -> binding. */
  bindings: Map<string, Binding>;
  /** Environment variable -> the pipeline input its value is bound to. */
  variableInputs: Map<string, string>;
  /** Count bound to a pipeline input, if any. */
  instanceCountInput?: string;
  processCountInput?: string;
  /** Per-node compute when the steps do not share one. */
  compute?: string;
  /** The job's findings as the pipeline has them (its own MPI019 TODOs become the
   * pipeline inputs' ones). */
  diagnostics: Diagnostic[];
}

export interface PipelineModel {
  nodes: PipelineNode[];
  /** The source pipeline's steps this one leaves out: TODOs of the pipeline document, not
   * of any step (the steps themselves may convert faithfully). */
  leftOut: Diagnostic[];
  inputs: Map<string, PipelineInput>;
  defaultCompute?: string;
}

/** The steps of the source pipeline the pipeline leaves out (other step types, MpiSteps
 * that are invalid): a TODO at the pipeline's jobs for each. */
function leftOut(file: SourceFile, steps: StepDefinition[]): Diagnostic[] {
  const entries = [
    ...file.parsed.skipped.map((entry) => ({ ...entry, what: entry.type })),
    ...file.parsed.steps
      .filter((step) => !steps.includes(step))
      .map((step) => ({
        label: step.label,
        line: step.line,
        column: step.column,
        what: "MpiStep, invalid",
      })),
  ];
  return entries.map((entry) =>
    diagnostic(
      "MPI041",
      `step '${entry.label}' (${entry.what}) of the source pipeline is not converted; add it to this pipeline`,
      entry,
      { todo: { pipeline: "jobs" } },
    ),
  );
}

export function buildPipeline(
  file: SourceFile,
  steps: StepDefinition[],
  context: ConvertContext,
): PipelineModel {
  const missing = leftOut(file, steps);
  const keys = new Set<string>();
  const nodes: PipelineNode[] = steps.map((step) => {
    const job = buildCommandJob(step, context);
    return {
      key: jobKey(step.label, keys),
      step,
      job,
      bindings: new Map(),
      variableInputs: new Map(),
      diagnostics: job.diagnostics.filter((d) => d.code !== "MPI019"),
    };
  });
  // Which converted node produces each PipelineData name, and under which output name.
  const producers = new Map<string, { job: string; output: string }>();
  for (const node of nodes)
    for (const [output, spec] of node.job.outputs)
      if (spec.data.dataKind === "PipelineData")
        producers.set(spec.data.name, { job: node.key, output });

  const inputs = new Map<string, PipelineInput>();
  const inputNames = new Set<string>();
  const byParameter = new Map<string, string>();
  const byData = new Map<string, string>();
  const parameterInput = (parameter: string, value: Scalar | undefined) => {
    let name = byParameter.get(parameter);
    if (!name) {
      name = ioName(parameter, inputNames);
      byParameter.set(parameter, name);
      inputs.set(name, { kind: "parameter", parameter, value });
    }
    return name;
  };

  for (const node of nodes) {
    for (const [name, spec] of node.job.inputs) {
      if (spec.kind === "literal") {
        node.bindings.set(
          name,
          spec.parameter
            ? { kind: "parent", input: parameterInput(spec.parameter, spec.value) }
            : { kind: "unbound" },
        );
        continue;
      }
      const data = spec.data;
      const produced = data.dataKind === "PipelineData" ? producers.get(data.name) : undefined;
      if (produced && produced.job !== node.key) {
        node.bindings.set(name, { kind: "job", ...produced });
        continue;
      }
      const key = `${data.dataKind}:${data.name}:${data.datastore ?? ""}:${data.path ?? ""}`;
      let input = byData.get(key);
      if (!input) {
        input = ioName(data.name, inputNames);
        byData.set(key, input);
        inputs.set(input, { kind: "data", spec });
      }
      node.bindings.set(name, { kind: "parent", input });
      if (data.dataKind === "PipelineData" || data.dataKind === "PortDataReference")
        node.diagnostics.push(
          diagnostic(
            "MPI019",
            data.producer
              ? `'${data.name}' is produced by step '${data.producer}', which is not converted; pipeline input '${input}' needs a path`
              : `'${data.name}' is produced outside the converted steps; pipeline input '${input}' needs a path`,
            node.step,
            { manual: true, todo: { pipeline: "inputs", name: input } },
          ),
        );
    }
    // A param that follows a pipeline parameter binds to its input, as in v1.
    for (const [variable, { parameter, value }] of node.job.parameterVariables)
      node.variableInputs.set(variable, parameterInput(parameter, value));
    if (node.job.instanceCount?.parameter)
      node.instanceCountInput = parameterInput(
        node.job.instanceCount.parameter,
        node.job.instanceCount.value,
      );
    if (node.job.processCount?.parameter)
      node.processCountInput = parameterInput(
        node.job.processCount.parameter,
        node.job.processCount.value,
      );
  }

  const computes = new Set(nodes.map((n) => n.job.compute));
  const shared = computes.size === 1 ? [...computes][0] : undefined;
  if (!shared) for (const node of nodes) node.compute = node.job.compute;
  return { nodes, inputs, defaultCompute: shared, leftOut: missing };
}

/** The per-step conversion record of a pipeline. */
export function pipelineConversions(model: PipelineModel): Map<StepDefinition, StepConversion> {
  return new Map(
    model.nodes.map((node) => [node.step, { diagnostics: node.diagnostics, dropped: [] }]),
  );
}
