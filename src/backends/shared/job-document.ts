// Renders the command-job model as the plain objects of v2 YAML (command job, pipeline
// node, command component), plus the TODO comments for each Todo.

import type { Scalar } from "../../ir/types.js";
import type { CommandJob, Count, InputSpec, OutputSpec, Todo } from "./command-job.js";
import type { YamlComment } from "./yaml.js";

export const COMMAND_JOB_SCHEMA =
  "https://azuremlschemas.azureedge.net/latest/commandJob.schema.json";

/** How counts and parameter inputs are written: standalone (defaults) or bound to the parent pipeline. */
export interface RenderOptions {
  bindParameter?: (parameter: string) => string;
  /** Path of the generated conda file, relative to the document. */
  condaFile?: string;
  /** `code` relative to the document. */
  code?: string;
}

export function todoComment(todo: Todo): YamlComment {
  return { at: todo.at, text: `TODO(mpistep-migrate ${todo.code}): ${todo.message}` };
}

function countValue(count: Count | undefined, options: RenderOptions): number | string | undefined {
  if (!count) return undefined;
  return count.parameter && options.bindParameter
    ? options.bindParameter(count.parameter)
    : count.value;
}

export function inputDocument(
  spec: InputSpec,
  options: RenderOptions,
): Scalar | Record<string, unknown> {
  if (spec.kind === "literal") {
    if (spec.parameter && options.bindParameter) return options.bindParameter(spec.parameter);
    return spec.value === undefined ? { type: spec.type } : spec.value;
  }
  return compact({ type: spec.type, path: spec.path, mode: spec.mode });
}

export function outputDocument(spec: OutputSpec): Record<string, unknown> {
  return compact({ type: spec.type, path: spec.path, mode: spec.mode });
}

function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function mapOf<V, R>(map: Map<string, V>, render: (value: V) => R): Record<string, R> | undefined {
  return map.size ? Object.fromEntries([...map].map(([k, v]) => [k, render(v)])) : undefined;
}

export function environmentDocument(job: CommandJob, options: RenderOptions): unknown {
  const env = job.environment;
  if (env.kind === "reference") return env.uri;
  if (env.kind === "inline")
    return compact({ image: env.image, conda_file: env.conda ? options.condaFile : undefined });
  return undefined;
}

/** The fields a command job and a pipeline's command node share. */
export function commandFields(job: CommandJob, options: RenderOptions): Record<string, unknown> {
  const instanceCount = countValue(job.instanceCount, options);
  const processCount = countValue(job.processCount, options);
  return compact({
    display_name: job.displayName,
    code: options.code,
    command: job.command,
    environment: environmentDocument(job, options),
    compute: job.compute === undefined ? undefined : `azureml:${job.compute}`,
    resources: instanceCount === undefined ? undefined : { instance_count: instanceCount },
    distribution: compact({ type: "mpi", process_count_per_instance: processCount }),
    inputs: mapOf(job.inputs, (spec) => inputDocument(spec, options)),
    outputs: mapOf(job.outputs, outputDocument),
    environment_variables: mapOf(job.environmentVariables, (v) => v),
  });
}

export function condaDocument(job: CommandJob, name: string): Record<string, unknown> | undefined {
  if (job.environment.kind !== "inline" || !job.environment.conda) return undefined;
  return {
    name,
    channels: job.environment.conda.channels,
    dependencies: job.environment.conda.dependencies,
  };
}
