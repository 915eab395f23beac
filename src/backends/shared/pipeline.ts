// The target-neutral model of the v2 pipelines of one file: for each pipeline graph
// holding an MpiStep (ir/graph.ts), one command job per step v1 would submit with it
// (MpiStep, PythonScriptStep), pipeline inputs for pipeline parameters and outside data,
// and each input another node writes bound to that node's output. Steps it cannot
// convert are TODOs of the pipeline. Rendered by the pipeline-yaml and sdk-v2 backends.

import type { Diagnostic } from "../../diagnostics/model.js";
import type { DataValue, Scalar, StepDefinition } from "../../ir/types.js";
import {
  buildPipelines,
  dataKey,
  nodeData,
  nodeLabel,
  where,
  type GraphNode,
  type PipelineGraph,
} from "../../ir/graph.js";
import { isMigrated } from "../../ir/step-kinds.js";
import { diagnostic } from "../../codes/index.js";
import type { ConvertContext, SourceFile, StepConversion } from "../types.js";
import { buildCommandJob } from "./command-job.js";
import type { CommandJob, InputSpec } from "./job-model.js";
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
  /** The source pipeline's name (its variable), for the document and the report. */
  label: string;
  graph: PipelineGraph;
  nodes: PipelineNode[];
  /** The steps of the source pipeline this one cannot convert, and orders it cannot
   * keep: TODOs of the pipeline document, not of any step. */
  leftOut: Diagnostic[];
  inputs: Map<string, PipelineInput>;
  defaultCompute?: string;
}

/** What passes through a step the pipeline leaves out, for its TODO. */
function dataThrough(node: GraphNode): string {
  const { consumes, produces } = nodeData(node);
  const names = (list: DataValue[]) => [...new Set(list.map((d) => `'${d.name}'`))];
  const reads = names(consumes);
  const writes = names(produces);
  const parts = [
    ...(reads.length ? [`reads ${reads.join(", ")}`] : []),
    ...(writes.length ? [`writes ${writes.join(", ")}`] : []),
  ];
  return parts.length ? `; it ${parts.join(" and ")}` : "";
}

/** The steps of the graph the pipeline cannot convert (other types, invalid steps), the
 * `steps` list items that are not known steps, and `run_after` orders: a TODO at the
 * pipeline's jobs for each. */
function leftOut(graph: PipelineGraph, converted: Set<StepDefinition>): Diagnostic[] {
  const todo = (
    message: string,
    at: { line: number; column: number },
    code: "MPI041" | "MPI044" = "MPI041",
  ) => diagnostic(code, message, at, { todo: { pipeline: "jobs" } });
  const found: Diagnostic[] = [];
  for (const node of graph.nodes) {
    if (node.kind === "other")
      found.push(
        todo(
          `step '${node.other.label}' (${node.other.type}) of the source pipeline is not converted${dataThrough(node)}; add it to this pipeline`,
          node.other,
        ),
      );
    else if (!converted.has(node.step))
      found.push(
        todo(
          `step '${node.step.label}' (${node.step.kind}, invalid) of the source pipeline is not converted${dataThrough(node)}; add it to this pipeline`,
          node.step,
        ),
      );
  }
  for (const text of graph.unresolved)
    found.push(
      todo(
        `the pipeline's steps list holds '${text}', which is not a step the tool can follow; add its steps to this pipeline`,
        graph,
      ),
    );
  for (const { before, after } of graph.order)
    found.push(
      todo(
        `step '${nodeLabel(after)}' ran after '${nodeLabel(before)}' (run_after) with no data between them; give '${nodeLabel(before)}' an output that '${nodeLabel(after)}' takes as an input`,
        where(after),
        "MPI044",
      ),
    );
  return found;
}

/** The pipelines of the file holding at least one of `steps` (the valid steps, of every
 * kind) that is an MpiStep. */
export function buildPipelineModels(
  file: SourceFile,
  steps: StepDefinition[],
  context: ConvertContext,
): PipelineModel[] {
  const valid = new Set(steps);
  const parsed = file.parsed;
  return buildPipelines(parsed.steps, parsed.skipped, parsed.pipelines ?? [])
    .filter((graph) =>
      graph.nodes.some((n) => n.kind === "step" && isMigrated(n.step) && valid.has(n.step)),
    )
    .map((graph) => buildPipeline(graph, valid, context));
}

function buildPipeline(
  graph: PipelineGraph,
  valid: Set<StepDefinition>,
  context: ConvertContext,
): PipelineModel {
  const steps = graph.nodes.flatMap((n) =>
    n.kind === "step" && valid.has(n.step) ? [n.step] : [],
  );
  const missing = leftOut(graph, new Set(steps));
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
  // Which node writes each data object, and under which output name.
  const producers = new Map<string, { job: string; output: string }>();
  for (const node of nodes)
    for (const [output, spec] of node.job.outputs)
      if (!producers.has(dataKey(spec.data)))
        producers.set(dataKey(spec.data), { job: node.key, output });
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
      const produced = producers.get(dataKey(data));
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
      if (
        data.dataKind === "PipelineData" ||
        data.dataKind === "PortDataReference" ||
        (data.consumed && data.dataKind !== "Dataset" && data.dataKind !== "DataReference")
      )
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
  return { label: graph.label, graph, nodes, inputs, defaultCompute: shared, leftOut: missing };
}

/** Whether the pipeline needs work before it runs: a TODO of the pipeline, or of any of
 * its nodes. */
export function pipelineIsManual(model: PipelineModel): boolean {
  return (
    model.leftOut.length > 0 || model.nodes.some((node) => node.diagnostics.some((d) => d.manual))
  );
}

/** The per-step conversion records of the pipelines' MpiSteps, and the findings of the
 * other nodes (the file's: they are not steps the tool migrates). An MpiStep converts
 * when its whole pipeline does. */
export function pipelineConversions(models: PipelineModel[]): {
  steps: Map<StepDefinition, StepConversion>;
  nodes: Map<StepDefinition, "converted" | "manual">;
  diagnostics: Diagnostic[];
} {
  const steps = new Map<StepDefinition, StepConversion>();
  const nodes = new Map<StepDefinition, "converted" | "manual">();
  const diagnostics: Diagnostic[] = [];
  for (const model of models) {
    const manual = pipelineIsManual(model);
    diagnostics.push(...model.leftOut);
    for (const node of model.nodes) {
      if (!isMigrated(node.step)) {
        if (!nodes.has(node.step)) diagnostics.push(...node.diagnostics);
        nodes.set(node.step, node.diagnostics.some((d) => d.manual) ? "manual" : "converted");
        continue;
      }
      if (steps.has(node.step)) continue;
      const own = node.diagnostics.some((d) => d.manual);
      const elsewhere =
        manual && !own
          ? [
              diagnostic(
                "MPI041",
                `the step converts, but its pipeline '${model.label}' keeps TODOs in other steps (listed for the file)`,
                node.step,
                { manual: true },
              ),
            ]
          : [];
      steps.set(node.step, { diagnostics: [...node.diagnostics, ...elsewhere], dropped: [] });
    }
  }
  return { steps, nodes, diagnostics };
}
