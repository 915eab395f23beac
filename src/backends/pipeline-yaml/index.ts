// Target pipeline-yaml: one v2 pipeline-job YAML per source pipeline holding an MpiStep
// (shared/pipeline.ts), every step v1 would submit with it as a component node; pipeline
// parameters become pipeline inputs bound into counts and arguments, and each input
// another node writes is bound to that node's output (docs/semantics.md, "v2 command
// jobs", "Whole pipelines" and "What the real SDK accepts").

import type { JobField, TodoPlace } from "../../diagnostics/model.js";
import path from "node:path";
import type { InputSpec } from "../shared/job-model.js";
import {
  commandFields,
  compact,
  condaFile,
  inputDocument,
  mapOf,
  pipelineTodos,
  isPipelineTodo,
  todoComment,
  yamlPlace,
  withTodo,
} from "../shared/job-document.js";
import { CodeFolders } from "../shared/notebook-code.js";
import { jobKey } from "../shared/names.js";
import {
  buildPipelineModels,
  pipelineConversions,
  type Binding,
  type PipelineModel,
  type PipelineNode,
} from "../shared/pipeline.js";
import { toYaml, type YamlComment } from "../shared/yaml.js";
import type { Backend, BackendOutput, GeneratedFile, SourceFile } from "../types.js";

const PIPELINE_JOB_SCHEMA = "https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json";
const COMMAND_COMPONENT_SCHEMA =
  "https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json";

function bindingText(binding: Binding): string | undefined {
  if (binding.kind === "parent") return `\${{parent.inputs.${binding.input}}}`;
  if (binding.kind === "job") return `\${{parent.jobs.${binding.job}.outputs.${binding.output}}}`;
  return undefined;
}

/** A component's typed declaration of one input. */
function inputDeclaration(spec: InputSpec): Record<string, unknown> {
  return spec.kind === "literal"
    ? { type: spec.type }
    : { type: spec.type, ...(spec.mode ? { mode: spec.mode } : {}) };
}

/** One pipeline node, always in the component form: `component` holds what runs (command,
 * code, environment, typed inputs and outputs, reuse, version) and the node binds it
 * (inputs, outputs, compute, resources, distribution, environment variables).
 * azure-ai-ml 1.4.0 rejects a data binding in `resources.instance_count` on a node written
 * as an inline command job ("jobs.<node>.component: Missing data for required field");
 * the component form is accepted by 1.4.0 and by later releases alike (docs/semantics.md,
 * "What the real SDK accepts"). */
function nodeDocument(node: PipelineNode, folders: CodeFolders): Record<string, unknown> {
  const { job } = node;
  const fields = commandFields(job, { code: folders.codeOf(node.step, job.code), key: node.key });
  const parentInput = (input: string) => bindingText({ kind: "parent", input });
  const component = {
    $schema: COMMAND_COMPONENT_SCHEMA,
    type: "command",
    name: node.key,
    ...compact({
      version: job.version,
      display_name: fields.display_name,
      code: fields.code,
      command: fields.command,
      environment: fields.environment,
    }),
    is_deterministic: job.isDeterministic,
    distribution: fields.distribution,
    ...compact({
      inputs: mapOf(job.inputs, inputDeclaration),
      // A component output declares its type only; where it is written is the node's.
      outputs: mapOf(job.outputs, (spec) => ({ type: spec.type })),
    }),
  };
  return {
    type: "command",
    component,
    ...compact({
      inputs: mapOf(
        job.inputs,
        (spec, name) => bindingText(node.bindings.get(name)!) ?? inputDocument(spec),
      ),
      outputs: fields.outputs,
      compute: node.compute === undefined ? undefined : `azureml:${node.compute}`,
      resources: node.instanceCountInput
        ? { instance_count: parentInput(node.instanceCountInput) }
        : fields.resources,
      distribution: node.processCountInput
        ? {
            type: job.distribution,
            process_count_per_instance: parentInput(node.processCountInput),
          }
        : undefined,
      environment_variables: mapOf(job.environmentVariables, (value, variable) => {
        const input = node.variableInputs.get(variable);
        return input ? parentInput(input) : value;
      }),
    }),
  };
}

/** Job fields written in the node's component rather than on the node itself. */
const COMPONENT_FIELDS = new Set<JobField>(["command", "code", "environment", "process_count"]);

/** TODO comments of a node, each where the node writes its field: in its component, or
 * on the node (a process count bound to a pipeline input is written on the node). */
function nodeComments(node: PipelineNode): YamlComment[] {
  return withTodo(node.diagnostics)
    .filter((finding) => !isPipelineTodo(finding))
    .map((finding) => {
      const place = finding.todo as Extract<TodoPlace, { field: JobField }>;
      const inComponent =
        COMPONENT_FIELDS.has(place.field) &&
        !(place.field === "process_count" && node.processCountInput);
      return todoComment(finding, [
        "jobs",
        node.key,
        ...(inComponent ? ["component"] : []),
        ...yamlPlace(place),
      ]);
    });
}

function pipelineInputs(model: PipelineModel): Record<string, unknown> | undefined {
  if (!model.inputs.size) return undefined;
  return Object.fromEntries(
    [...model.inputs].map(([name, input]) => [
      name,
      input.kind === "parameter" ? (input.value ?? { type: "string" }) : inputDocument(input.spec),
    ]),
  );
}

/** The pipeline document of one model, its conda files and its code folders, in `dir`. */
function pipelineFiles(
  model: PipelineModel,
  file: SourceFile,
  dir: string,
  folders: CodeFolders,
): GeneratedFile[] {
  const document = {
    $schema: PIPELINE_JOB_SCHEMA,
    type: "pipeline",
    display_name: path.basename(file.outputStem),
    ...(model.inputs.size ? { inputs: pipelineInputs(model) } : {}),
    ...(model.defaultCompute
      ? { settings: { default_compute: `azureml:${model.defaultCompute}` } }
      : {}),
    jobs: Object.fromEntries(model.nodes.map((node) => [node.key, nodeDocument(node, folders)])),
  };
  const header = ` Converted by mpistep-migrate from pipeline '${model.label}' of ${path.basename(file.path)}.`;
  const files: GeneratedFile[] = [
    {
      path: path.join(dir, "pipeline.yaml"),
      text: toYaml(
        document,
        [
          ...[...model.leftOut, ...pipelineTodos(model.nodes)].map((finding) =>
            todoComment(finding),
          ),
          ...model.nodes.flatMap(nodeComments),
        ],
        header,
      ),
      steps: model.nodes.map((node) => node.step),
    },
  ];
  for (const node of model.nodes) {
    const conda = condaFile(node.job, node.key, dir);
    if (conda) files.push(conda);
  }
  return files;
}

export const pipelineYamlBackend: Backend = {
  convert(file, steps, context): BackendOutput {
    const models = buildPipelineModels(file, steps, context);
    if (!models.length) return { files: [], steps: new Map() };
    // One pipeline: <stem>/pipeline.yaml; several: a folder of each's own under <stem>.
    const keys = new Set<string>();
    const files: GeneratedFile[] = [];
    const diagnostics = [];
    for (const model of models) {
      const dir =
        models.length === 1
          ? file.outputStem
          : path.join(file.outputStem, jobKey(model.label, keys));
      const folders = new CodeFolders(file, dir);
      files.push(...pipelineFiles(model, file, dir, folders), ...folders.files);
      diagnostics.push(...folders.diagnostics);
    }
    const conversions = pipelineConversions(models);
    return {
      files,
      steps: conversions.steps,
      nodes: conversions.nodes,
      diagnostics: [...conversions.diagnostics, ...diagnostics],
    };
  },
};
