// Target pipeline-yaml: one v2 pipeline-job YAML per source file holding every valid
// MpiStep as a job; pipeline parameters become pipeline inputs bound into counts and
// arguments, data edges between converted steps are wired, and steps with reuse off or
// a version become inline components (reference sections 3 and 4).

import path from "node:path";
import type { InputSpec } from "../shared/command-job.js";
import {
  commandFields,
  compact,
  condaFile,
  inputDocument,
  outputDocument,
  todoComment,
} from "../shared/job-document.js";
import { codePath } from "../shared/paths.js";
import {
  buildPipeline,
  pipelineConversions,
  type Binding,
  type PipelineModel,
  type PipelineNode,
} from "../shared/pipeline.js";
import { toYaml, type YamlComment } from "../shared/yaml.js";
import type { Backend, BackendOutput } from "../types.js";

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

function nodeDocument(
  node: PipelineNode,
  documentDir: string,
  sourceFile: string,
): Record<string, unknown> {
  const { job } = node;
  const fields = commandFields(job, {
    code: codePath(sourceFile, job.code, documentDir),
    key: node.key,
  });
  const parentInput = (input: string) => `\${{parent.inputs.${input}}}`;
  const inputs = job.inputs.size
    ? Object.fromEntries(
        [...job.inputs].map(([name, spec]) => [
          name,
          bindingText(node.bindings.get(name)!) ?? inputDocument(spec),
        ]),
      )
    : undefined;
  const processCount = node.processCountInput
    ? parentInput(node.processCountInput)
    : job.processCount?.value;
  // Where a node runs and with what it is bound: the same for inline jobs and components.
  const binding = compact({
    inputs,
    outputs: fields.outputs,
    compute: node.compute === undefined ? undefined : `azureml:${node.compute}`,
    resources: node.instanceCountInput
      ? { instance_count: parentInput(node.instanceCountInput) }
      : fields.resources,
    environment_variables: fields.environment_variables,
  });
  const what = compact({
    display_name: fields.display_name,
    code: fields.code,
    command: fields.command,
    environment: fields.environment,
  });
  if (!node.asComponent)
    return {
      type: "command",
      ...what,
      ...binding,
      distribution: { type: "mpi", process_count_per_instance: processCount },
    };
  const component = {
    $schema: COMMAND_COMPONENT_SCHEMA,
    type: "command",
    name: node.key,
    ...compact({ version: job.version }),
    ...what,
    is_deterministic: job.isDeterministic,
    distribution: { type: "mpi", process_count_per_instance: job.processCount?.value },
    ...compact({
      inputs: job.inputs.size
        ? Object.fromEntries([...job.inputs].map(([name, spec]) => [name, inputDeclaration(spec)]))
        : undefined,
      outputs: job.outputs.size
        ? Object.fromEntries([...job.outputs].map(([name, spec]) => [name, outputDocument(spec)]))
        : undefined,
    }),
  };
  return {
    type: "command",
    component,
    ...binding,
    ...(node.processCountInput
      ? { distribution: { type: "mpi", process_count_per_instance: processCount } }
      : {}),
  };
}

/** TODO comments of a node, placed in the pipeline document. */
function nodeComments(node: PipelineNode): YamlComment[] {
  return node.todos.map((todo) => {
    const comment = todoComment(todo);
    if (todo.root) return comment;
    const at =
      node.asComponent && ["command", "code", "environment"].includes(String(todo.at[0]))
        ? ["component", ...todo.at]
        : todo.at;
    return { ...comment, at: ["jobs", node.key, ...at] };
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

export const pipelineYamlBackend: Backend = {
  name: "pipeline-yaml",
  convert(file, steps, context): BackendOutput {
    if (!steps.length) return { files: [], steps: new Map() };
    const model = buildPipeline(steps, context);
    const docPath = path.join(file.outputStem, "pipeline.yaml");
    const documentDir = path.dirname(docPath);
    const document = {
      $schema: PIPELINE_JOB_SCHEMA,
      type: "pipeline",
      display_name: path.basename(file.outputStem),
      ...(model.inputs.size ? { inputs: pipelineInputs(model) } : {}),
      ...(model.defaultCompute
        ? { settings: { default_compute: `azureml:${model.defaultCompute}` } }
        : {}),
      jobs: Object.fromEntries(
        model.nodes.map((node) => [node.key, nodeDocument(node, documentDir, file.path)]),
      ),
    };
    const header = ` Converted by mpistep-migrate from the MpiSteps of ${path.basename(file.path)}.`;
    const files = [
      { path: docPath, text: toYaml(document, model.nodes.flatMap(nodeComments), header) },
    ];
    for (const node of model.nodes) {
      const conda = condaFile(node.job, node.key, file.outputStem);
      if (conda) files.push(conda);
    }
    return { files, steps: pipelineConversions(model) };
  },
};
