// Renders the command-job model as the plain objects of v2 YAML (command job, pipeline
// node, command component), plus the TODO comments for each Todo.

import path from "node:path";
import type { Scalar } from "../../ir/types.js";
import type { GeneratedFile } from "../types.js";
import type { Diagnostic, JobField, TodoPlace } from "../../diagnostics/model.js";
import type { CommandJob, InputSpec, OutputSpec } from "./job-model.js";
import { toYaml, type YamlComment } from "./yaml.js";

export const COMMAND_JOB_SCHEMA =
  "https://azuremlschemas.azureedge.net/latest/commandJob.schema.json";

/** What a document needs beyond the job: where it is written from. */
export interface RenderOptions {
  /** The job's key: names its conda file, written beside the document. */
  key: string;
  /** `code` relative to the document. */
  code?: string;
}

/** Where a v2 command job (or a pipeline node) writes each field: the keys leading to it. */
const JOB_FIELD_KEYS: Record<JobField, string[]> = {
  code: ["code"],
  command: ["command"],
  compute: ["compute"],
  instance_count: ["resources", "instance_count"],
  process_count: ["distribution", "process_count_per_instance"],
  environment: ["environment"],
  environment_variables: ["environment_variables"],
  inputs: ["inputs"],
  outputs: ["outputs"],
};

/** The keys of the YAML document a TODO place stands at: in a command job (or a
 * pipeline node) for a job field, in the pipeline document for a pipeline part. */
export function yamlPlace(place: TodoPlace): string[] {
  const keys = "field" in place ? JOB_FIELD_KEYS[place.field] : [place.pipeline];
  return place.name === undefined ? keys : [...keys, place.name];
}

/** The TODO comment of a finding that has a TODO place, at its place in a command job
 * document (or `at`, where another document writes that place). */
export function todoComment(finding: Diagnostic, at?: string[]): YamlComment {
  return { at: at ?? yamlPlace(finding.todo!), text: todoText(finding) };
}

/** Whether the finding's TODO is about the whole pipeline rather than one step's job. */
export function isPipelineTodo(finding: Diagnostic): boolean {
  return finding.todo !== undefined && "pipeline" in finding.todo;
}

/** `TODO(mpistep-migrate CODE): message`, the text every target writes for a TODO. */
export function todoText(finding: Diagnostic): string {
  return `TODO(mpistep-migrate ${finding.code}): ${finding.message}`;
}

/** The pipeline-level TODOs of a pipeline's nodes, each once (several nodes may share
 * one: a step the pipeline leaves out, an input nothing produces). */
export function pipelineTodos(nodes: Array<{ diagnostics: Diagnostic[] }>): Diagnostic[] {
  const seen = new Set<string>();
  return nodes
    .flatMap((node) => node.diagnostics.filter(isPipelineTodo))
    .filter((d) => {
      const key = `${JSON.stringify(d.todo)} ${todoText(d)}`;
      return !seen.has(key) && seen.add(key) !== undefined;
    });
}

/** The findings that the output marks with a TODO comment. */
export function withTodo(findings: Diagnostic[]): Diagnostic[] {
  return findings.filter((finding) => finding.todo);
}

/** A job input: a literal value (a pipeline parameter's default), or a typed declaration. */
export function inputDocument(spec: InputSpec): Scalar | Record<string, unknown> {
  if (spec.kind === "literal") return spec.value === undefined ? { type: spec.type } : spec.value;
  return compact({ type: spec.type, path: spec.path, mode: spec.mode });
}

export function outputDocument(spec: OutputSpec): Record<string, unknown> {
  return compact({ type: spec.type, path: spec.path, mode: spec.mode });
}

/** The object without its undefined fields. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A map rendered as an object (undefined when empty, so the field is left out). */
export function mapOf<V, R>(
  map: Map<string, V>,
  render: (value: V, key: string) => R,
): Record<string, R> | undefined {
  return map.size ? Object.fromEntries([...map].map(([k, v]) => [k, render(v, k)])) : undefined;
}

function environmentDocument(job: CommandJob, options: RenderOptions): unknown {
  const env = job.environment;
  if (env.kind === "reference") return env.uri;
  if (env.kind === "inline")
    return compact({
      image: env.image,
      conda_file: env.conda ? condaFileName(options.key) : undefined,
    });
  return undefined;
}

/** The fields a command job and a pipeline's command node share. */
export function commandFields(job: CommandJob, options: RenderOptions): Record<string, unknown> {
  const instanceCount = job.instanceCount?.value;
  const processCount = job.processCount?.value;
  return compact({
    display_name: job.displayName,
    code: options.code,
    command: job.command,
    environment: environmentDocument(job, options),
    compute: job.compute === undefined ? undefined : `azureml:${job.compute}`,
    resources: instanceCount === undefined ? undefined : { instance_count: instanceCount },
    distribution: job.distribution
      ? compact({ type: job.distribution, process_count_per_instance: processCount })
      : undefined,
    inputs: mapOf(job.inputs, inputDocument),
    outputs: mapOf(job.outputs, outputDocument),
    environment_variables: mapOf(job.environmentVariables, (v) => v),
  });
}

/** The name of a job's conda file, written beside the document that refers to it. */
export function condaFileName(key: string): string {
  return `${key}.conda.yaml`;
}

/** The conda file of a job with an inline environment that has one, in `dir`. */
export function condaFile(job: CommandJob, key: string, dir: string): GeneratedFile | undefined {
  if (job.environment.kind !== "inline" || !job.environment.conda) return undefined;
  const { channels, dependencies, text } = job.environment.conda;
  return {
    path: path.join(dir, condaFileName(key)),
    text: text ?? toYaml({ name: `${key}-env`, channels, dependencies }),
  };
}
