// The one place that builds pipeline graphs from the steps of a file: which steps v1
// would submit together and how data joins them (docs/semantics.md, "Whole pipelines").
// The step set of a `Pipeline(ws, steps=[...])` is the listed steps plus, recursively,
// every step producing data a step of the set consumes (`resolve_closure=True`); the
// MpiSteps no `Pipeline(...)` call submits make one more, with the steps joined to them
// by data.

import {
  argvValue,
  isOutputDataset,
  walkValues,
  type DataValue,
  type StepDefinition,
  type Value,
} from "./types.js";

/** A step of a type the tool does not model (ParallelRunStep, HyperDriveStep, ...):
 * recognised, named in the report, its data followed. */
export interface OtherStep {
  label: string;
  type: string;
  line: number;
  column: number;
  /** Code frontends: the offset of the call (what a StepReference names). */
  at?: number;
  /** The data it reads and writes, from the keywords of OTHER_STEP_DATA. */
  consumes?: DataValue[];
  produces?: DataValue[];
}

/** A `Pipeline(...)` (or `StepSequence(...)` given to one) call of the source. */
export interface PipelineDeclaration {
  /** The variable the pipeline is bound to, or `pipeline at line N`. */
  label: string;
  line: number;
  column: number;
  /** The `steps` argument as evaluated. */
  steps: Value;
  /** Not a call of the source: the entries of a JSON file, taken as one pipeline. */
  implicit?: true;
}

export type GraphNode =
  { kind: "step"; step: StepDefinition } | { kind: "other"; other: OtherStep };

export interface DataEdge {
  from: GraphNode;
  to: GraphNode;
  data: DataValue;
}

export interface PipelineGraph {
  label: string;
  line: number;
  column: number;
  /** In source order. */
  nodes: GraphNode[];
  edges: DataEdge[];
  /** `after.run_after(before)` where no data joins the two. */
  order: Array<{ before: GraphNode; after: GraphNode }>;
  /** Source text of what the `steps` list holds that is not a known step. */
  unresolved: string[];
}

/** What identifies a data object across steps: the call that made it, else its kind and
 * name (JSON step definitions). */
export function dataKey(data: DataValue): string {
  return data.origin !== undefined ? `@${data.origin}` : `${data.dataKind}:${data.name}`;
}

function dataIn(value: Value | undefined): DataValue[] {
  return value ? [...walkValues(value)].filter((v): v is DataValue => v.kind === "data") : [];
}

/** The data a step writes (its outputs, and output datasets in its arguments or command)
 * and reads (its inputs, and any other data in its arguments or command). */
export function stepData(step: StepDefinition): { produces: DataValue[]; consumes: DataValue[] } {
  const listed = dataIn(step.args.get("outputs")?.value).filter((d) => !d.consumed);
  const passed = dataIn(argvValue(step));
  const produced = new Set(listed.map(dataKey));
  const produces = [...listed];
  for (const data of passed)
    if (!data.consumed && isOutputDataset(data) && !produced.has(dataKey(data))) {
      produced.add(dataKey(data));
      produces.push(data);
    }
  const read = new Set<string>();
  const consumes = [...dataIn(step.args.get("inputs")?.value), ...passed].filter((d) => {
    const key = dataKey(d);
    if ((!d.consumed && produced.has(key)) || read.has(key)) return false;
    read.add(key);
    return true;
  });
  return { produces, consumes };
}

/** The data a node reads and writes, whatever its kind. */
export function nodeData(node: GraphNode): { produces: DataValue[]; consumes: DataValue[] } {
  if (node.kind === "step") return stepData(node.step);
  return { produces: node.other.produces ?? [], consumes: node.other.consumes ?? [] };
}

/** Where a node's step is written. */
export function where(node: GraphNode): { line: number; column: number; at?: number } {
  return node.kind === "step" ? node.step : node.other;
}

export function nodeLabel(node: GraphNode): string {
  return node.kind === "step" ? node.step.label : node.other.label;
}

export function nodeType(node: GraphNode): string {
  return node.kind === "step" ? node.step.kind : node.other.type;
}

/** The pipelines of a file: one per `Pipeline(...)` declaration, then one of the MpiSteps
 * no declared pipeline submits, with the steps joined to them by data. */
export function buildPipelines(
  steps: StepDefinition[],
  others: OtherStep[],
  declarations: PipelineDeclaration[],
): PipelineGraph[] {
  const nodes: GraphNode[] = [
    ...steps.map((step) => ({ kind: "step" as const, step })),
    ...others.map((other) => ({ kind: "other" as const, other })),
  ].sort((a, b) => where(a).line - where(b).line || where(a).column - where(b).column);
  const data = new Map(nodes.map((node) => [node, nodeData(node)]));
  const producer = new Map<string, GraphNode>();
  for (const node of nodes)
    for (const item of data.get(node)!.produces)
      if (!producer.has(dataKey(item))) producer.set(dataKey(item), node);
  const byOffset = new Map(
    nodes.flatMap((node) => (where(node).at !== undefined ? [[where(node).at!, node]] : [])),
  );
  const consumers = (node: GraphNode) =>
    nodes.filter((other) =>
      data.get(other)!.consumes.some((item) => producer.get(dataKey(item)) === node),
    );
  const producersOf = (node: GraphNode) =>
    data.get(node)!.consumes.flatMap((item) => {
      const found = producer.get(dataKey(item));
      return found && found !== node ? [found] : [];
    });

  const graph = (
    label: string,
    at: { line: number; column: number },
    members: Set<GraphNode>,
    unresolved: string[],
  ): PipelineGraph => {
    const inGraph = nodes.filter((node) => members.has(node));
    const edges: DataEdge[] = [];
    for (const to of inGraph)
      for (const item of data.get(to)!.consumes) {
        const from = producer.get(dataKey(item));
        if (from && from !== to && members.has(from)) edges.push({ from, to, data: item });
      }
    const order: PipelineGraph["order"] = [];
    for (const after of inGraph) {
      if (after.kind !== "step") continue;
      for (const offset of after.step.runAfter ?? []) {
        const before = byOffset.get(offset);
        if (!before || !members.has(before)) continue;
        if (!edges.some((e) => e.from === before && e.to === after)) order.push({ before, after });
      }
    }
    return { label, line: at.line, column: at.column, nodes: inGraph, edges, order, unresolved };
  };

  const pipelines: PipelineGraph[] = [];
  const submitted = new Set<GraphNode>();
  for (const declaration of declarations) {
    const members = new Set<GraphNode>();
    const unresolved: string[] = [];
    const queue: GraphNode[] = [];
    for (const value of walkValues(declaration.steps)) {
      if (value.kind === "list") continue;
      const node = value.kind === "step" ? byOffset.get(value.at) : undefined;
      if (node) queue.push(node);
      else unresolved.push(value.text ?? value.kind);
    }
    while (queue.length) {
      const node = queue.shift()!;
      if (members.has(node)) continue;
      members.add(node);
      queue.push(...producersOf(node));
    }
    for (const node of members) submitted.add(node);
    pipelines.push(graph(declaration.label, declaration, members, unresolved));
  }
  // The MpiSteps no declared pipeline submits, with every step joined to them by data:
  // one pipeline (the file's, when it declares none).
  const members = new Set<GraphNode>();
  const queue = nodes.filter(
    (node) => node.kind === "step" && node.step.kind === "MpiStep" && !submitted.has(node),
  );
  const first = queue[0];
  while (queue.length) {
    const next = queue.shift()!;
    if (members.has(next)) continue;
    members.add(next);
    queue.push(...producersOf(next), ...consumers(next));
  }
  if (first && first.kind === "step")
    pipelines.push(
      graph(
        declarations.length ? `steps joined to '${first.step.label}'` : "the file's steps",
        first.step,
        members,
        [],
      ),
    );
  return pipelines;
}
