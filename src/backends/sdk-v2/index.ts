// Target sdk-v2: one Python module per source file using azure.ai.ml: a `command(...)`
// per step v1 would submit with an MpiStep (instance_count and MpiDistribution on the
// MpiSteps), with inputs, outputs, environment and environment variables; and, for each
// source pipeline (shared/pipeline.ts), a @dsl.pipeline function wiring them. A lone
// MpiStep outside any pipeline stays a standalone command (docs/semantics.md, "v2
// command jobs", "Whole pipelines" and "What the real SDK accepts").

import { isNumber } from "../../ir/numbers.js";
import path from "node:path";
import { pythonScalar, pythonString } from "../shared/python-text.js";
import type { Diagnostic, JobField } from "../../diagnostics/model.js";
import type { InputSpec, OutputSpec } from "../shared/job-model.js";
import {
  condaFile,
  condaFileName,
  isPipelineTodo,
  pipelineTodos,
  todoText,
  withTodo,
} from "../shared/job-document.js";
import { oneLineComment } from "../shared/comments.js";
import { CodeFolders } from "../shared/notebook-code.js";
import { identifierFrom, uniqueName } from "../shared/names.js";
import {
  buildPipelineModels,
  pipelineConversions,
  type PipelineInput,
  type PipelineModel,
  type PipelineNode,
} from "../shared/pipeline.js";
import type { Backend, BackendOutput, GeneratedFile } from "../types.js";
import { dropOption } from "../shared/dropped.js";

const INDENT = "    ";

/** A call with one keyword argument a line, each after the comment lines `comments`
 * holds for it. */
function call(
  name: string,
  args: Array<[string, string]>,
  indent = "",
  comments = new Map<string, string[]>(),
): string {
  if (!args.length) return `${name}()`;
  const lines = args.flatMap(([k, v]) => [
    ...(comments.get(k) ?? []).map((comment) => `${indent}${INDENT}${comment}`),
    `${indent}${INDENT}${k}=${v},`,
  ]);
  return `${name}(\n${lines.join("\n")}\n${indent})`;
}

function dict(entries: Array<[string, string]>): string {
  return `{${entries.map(([k, v]) => `${pythonString(k)}: ${v}`).join(", ")}}`;
}

function inputCall(spec: Extract<InputSpec, { kind: "data" }>): string {
  const args: string[] = [`type=${pythonString(spec.type)}`];
  if (spec.path) args.push(`path=${pythonString(spec.path)}`);
  if (spec.mode) args.push(`mode=${pythonString(spec.mode)}`);
  return `Input(${args.join(", ")})`;
}

function inputValue(spec: InputSpec): string {
  if (spec.kind === "data") return inputCall(spec);
  return spec.value === undefined
    ? `Input(type=${pythonString(spec.type)})`
    : pythonScalar(spec.value);
}

function outputCall(spec: OutputSpec): string {
  const args: string[] = [`type=${pythonString(spec.type)}`];
  if (spec.path) args.push(`path=${pythonString(spec.path)}`);
  if (spec.mode) args.push(`mode=${pythonString(spec.mode)}`);
  return `Output(${args.join(", ")})`;
}

/** The comment line of a finding's TODO. */
const todoLine = (finding: Diagnostic) => `# ${oneLineComment(todoText(finding))}`;

/** TODO comment lines for the findings that have a TODO place. */
function todoLines(findings: Diagnostic[]): string {
  return withTodo(findings)
    .map((finding) => `${todoLine(finding)}\n`)
    .join("");
}

/** The azure.ai.ml class of each distribution. */
const DISTRIBUTION_CLASS = { mpi: "MpiDistribution", pytorch: "PyTorchDistribution" } as const;

/** The keyword argument of `command()` that writes each job field. */
const COMMAND_KEYWORD: Record<JobField, string> = {
  code: "code",
  command: "command",
  compute: "compute",
  instance_count: "instance_count",
  process_count: "distribution",
  environment: "environment",
  environment_variables: "environment_variables",
  inputs: "inputs",
  outputs: "outputs",
};

function commandDefinition(
  node: PipelineNode,
  folders: CodeFolders,
  standalone: boolean,
  prefix: string,
): string {
  const { job } = node;
  const args: Array<[string, string]> = [["name", pythonString(node.key)]];
  if (job.displayName !== undefined) args.push(["display_name", pythonString(job.displayName)]);
  const code = folders.codeOf(node.step, job.code);
  if (code !== undefined) args.push(["code", pythonString(code)]);
  args.push(["command", pythonString(job.command)]);
  const env = job.environment;
  if (env.kind === "reference") args.push(["environment", pythonString(env.uri)]);
  else if (env.kind === "inline")
    args.push([
      "environment",
      `Environment(image=${pythonString(env.image)}${env.conda ? `, conda_file=${pythonString(condaFileName(prefix + node.key))}` : ""})`,
    ]);
  if (job.compute !== undefined) args.push(["compute", pythonString(job.compute)]);
  if (job.instanceCount) args.push(["instance_count", pythonScalar(job.instanceCount.value)]);
  if (job.distribution)
    args.push([
      "distribution",
      `${DISTRIBUTION_CLASS[job.distribution]}(${job.processCount ? `process_count_per_instance=${pythonScalar(job.processCount.value)}` : ""})`,
    ]);
  if (job.inputs.size)
    args.push(["inputs", dict([...job.inputs].map(([k, v]) => [k, inputValue(v)]))]);
  if (job.outputs.size)
    args.push(["outputs", dict([...job.outputs].map(([k, v]) => [k, outputCall(v)]))]);
  if (job.environmentVariables.size)
    args.push([
      "environment_variables",
      dict([...job.environmentVariables].map(([k, v]) => [k, pythonString(v)])),
    ]);
  if (!standalone) args.push(["is_deterministic", job.isDeterministic ? "True" : "False"]);
  // Each TODO stands above the keyword argument that writes its field; one about a
  // field the call does not write stands above the call.
  const todos = withTodo(standalone ? job.diagnostics : node.diagnostics).filter(
    (finding) => !isPipelineTodo(finding),
  );
  const written = new Set(args.map(([k]) => k));
  const atKeyword = new Map<string, string[]>();
  const aboveCall: Diagnostic[] = [];
  for (const finding of todos) {
    const keyword = COMMAND_KEYWORD[(finding.todo as { field: JobField }).field];
    if (written.has(keyword))
      atKeyword.set(keyword, [...(atKeyword.get(keyword) ?? []), todoLine(finding)]);
    else aboveCall.push(finding);
  }
  return `${todoLines(aboveCall)}${commandVariable(node, prefix)} = ${call("command", args, "", atKeyword)}\n`;
}

/** A pipeline function parameter: its annotation and default. Data inputs take no default
 * (azure-ai-ml rejects an `Input(...)` default: "Non-primitive type Input has no default
 * value"); the module passes them when it calls the function. */
function parameterSignature(input: PipelineInput): { text: string; hasDefault: boolean } {
  if (input.kind === "data") return { text: "Input", hasDefault: false };
  const value = input.value;
  if (typeof value === "boolean")
    return { text: `bool = ${pythonScalar(value)}`, hasDefault: true };
  if (isNumber(value)) return { text: `${value.type} = ${pythonScalar(value)}`, hasDefault: true };
  if (typeof value === "string") return { text: `str = ${pythonScalar(value)}`, hasDefault: true };
  return { text: "str", hasDefault: false };
}

/** The module-level variable holding a step's command. Every generated variable ends in a
 * suffix no keyword or imported name has, so no step name can shadow `command`, `Input`
 * or `dsl`, or become a keyword. */
function commandVariable(node: PipelineNode, prefix: string): string {
  return `${prefix}${node.key}_command`;
}

function pipelineFunction(model: PipelineModel, name: string, prefix: string): string {
  // Parameters without a default come first, as Python requires.
  const params = [...model.inputs]
    .map(([input, spec]) => ({ input, ...parameterSignature(spec) }))
    .sort((a, b) => Number(a.hasDefault) - Number(b.hasDefault))
    .map(({ input, text }) => `${input}: ${text}`);
  const decorator = [
    `display_name=${pythonString(name)}`,
    ...(model.defaultCompute ? [`default_compute=${pythonString(model.defaultCompute)}`] : []),
  ];
  // Node variables must not shadow the function's parameters (the pipeline inputs).
  const taken = new Set(model.inputs.keys());
  const nodeVariables = new Map<string, string>();
  for (const node of model.nodes) {
    const variable = uniqueName(`${node.key}_node`, (name) => taken.has(name));
    taken.add(variable);
    nodeVariables.set(node.key, variable);
  }
  const body: string[] = [];
  for (const node of model.nodes) {
    const variable = nodeVariables.get(node.key)!;
    const bound: Array<[string, string]> = [];
    for (const [input, binding] of node.bindings) {
      if (binding.kind === "parent") bound.push([input, binding.input]);
      else if (binding.kind === "job")
        bound.push([input, `${nodeVariables.get(binding.job)!}.outputs.${binding.output}`]);
    }
    body.push(
      `${INDENT}${variable} = ${commandVariable(node, prefix)}(${bound.map(([k, v]) => `${k}=${v}`).join(", ")})`,
    );
    if (node.instanceCountInput)
      body.push(`${INDENT}${variable}.resources.instance_count = ${node.instanceCountInput}`);
    if (node.processCountInput)
      body.push(
        `${INDENT}${variable}.distribution.process_count_per_instance = ${node.processCountInput}`,
      );
    for (const [name, input] of node.variableInputs)
      body.push(`${INDENT}${variable}.environment_variables[${pythonString(name)}] = ${input}`);
  }
  const dataArguments = [...model.inputs].flatMap(([input, spec]) =>
    spec.kind === "data" ? [[input, inputCall(spec.spec)] as [string, string]] : [],
  );
  const rootTodos = [...model.leftOut, ...pipelineTodos(model.nodes)];
  return (
    `\n\n${todoLines(rootTodos)}@dsl.pipeline(${decorator.join(", ")})\n` +
    `def ${name}_pipeline(${params.join(", ")}):\n${body.join("\n")}\n\n\n` +
    `${prefix}pipeline_job = ${call(`${name}_pipeline`, dataArguments)}\n`
  );
}

/** Whether the steps need a pipeline: the source declares one, or they are several,
 * wired by data, or use pipeline parameters. */
function needsPipeline(model: PipelineModel, declared: boolean): boolean {
  const usesParameters = [...model.inputs.values()].some((input) => input.kind === "parameter");
  return declared || model.nodes.length > 1 || usesParameters;
}

export const sdkV2Backend: Backend = {
  convert(file, steps, context): BackendOutput {
    const models = buildPipelineModels(file, steps, context);
    if (!models.length) return { files: [], steps: new Map() };
    const stem = path
      .basename(file.outputStem)
      .replace(/[^A-Za-z0-9_]/g, "_")
      .replace(/^(?=\d)/, "_");
    const modulePath = path.join(file.outputStem, `${stem}_v2.py`);
    const folders = new CodeFolders(file, path.dirname(modulePath));
    const declared = (file.parsed.pipelines ?? []).some((pipeline) => !pipeline.implicit);
    // Several pipelines: each one's variables and conda files carry its name.
    const prefixes = new Set<string>();
    const parts = models.map((model) => {
      const prefix =
        models.length === 1
          ? ""
          : `${uniqueName(identifierFrom(model.label), (n) => prefixes.has(n))}_`;
      prefixes.add(prefix.slice(0, -1));
      return { model, prefix, pipeline: needsPipeline(model, declared) };
    });
    const anyPipeline = parts.some((part) => part.pipeline);
    const submitted = parts.flatMap(({ model, prefix, pipeline }) =>
      pipeline
        ? [`${prefix}pipeline_job`]
        : model.nodes.map((node) => commandVariable(node, prefix)),
    );
    const header =
      `"""Azure ML SDK v2 jobs converted by mpistep-migrate from the pipelines of ${pythonString(path.basename(file.path))}.\n\n` +
      `Paths (code, conda files) are relative to this file's folder: run it from there.\n` +
      `Submit with:\n\n` +
      `    from azure.ai.ml import MLClient\n` +
      `    from azure.identity import DefaultAzureCredential\n\n` +
      `    ml_client = MLClient.from_config(credential=DefaultAzureCredential())\n` +
      `    ml_client.jobs.create_or_update(${submitted.join(")  # and (")})\n"""\n`;
    const distributions = new Set(
      models.flatMap((m) =>
        m.nodes.flatMap((n) => (n.job.distribution ? [n.job.distribution] : [])),
      ),
    );
    const names = [
      "Input",
      ...[...distributions].map((d) => DISTRIBUTION_CLASS[d]),
      "Output",
      "command",
      ...(anyPipeline ? ["dsl"] : []),
    ].sort();
    const imports = `from azure.ai.ml import ${names.join(", ")}\nfrom azure.ai.ml.entities import Environment\n`;
    let body = "";
    for (const { model, prefix, pipeline } of parts) {
      // Standalone jobs: the steps left out are named before the jobs.
      if (!pipeline) body += `\n${todoLines(model.leftOut)}`;
      body += model.nodes
        .map((node) => `\n\n${commandDefinition(node, folders, !pipeline, prefix)}`)
        .join("");
      if (pipeline)
        body += pipelineFunction(
          model,
          `${stem}${prefix ? `_${prefix.slice(0, -1)}` : ""}`,
          prefix,
        );
    }
    const files: GeneratedFile[] = [
      {
        path: modulePath,
        text: `${header}${imports}${body}`,
        steps: models.flatMap((m) => m.nodes.map((n) => n.step)),
      },
    ];
    for (const { model, prefix } of parts)
      for (const node of model.nodes) {
        const conda = condaFile(node.job, prefix + node.key, file.outputStem);
        if (conda) files.push(conda);
      }
    files.push(...folders.files);
    const conversions = pipelineConversions(models);
    for (const { model, pipeline } of parts)
      for (const node of model.nodes) {
        const conversion = conversions.steps.get(node.step);
        if (!conversion) continue;
        if (!pipeline) conversion.diagnostics = [...node.job.diagnostics];
        if (node.job.version !== undefined)
          dropOption(
            conversion,
            node.step,
            "version",
            "command() builds an anonymous component; register it with ml_client.components.create_or_update to keep a version",
          );
        if (!pipeline && node.step.args.has("allow_reuse"))
          dropOption(conversion, node.step, "allow_reuse", "a standalone job has no reuse");
      }
    return {
      files,
      steps: conversions.steps,
      nodes: conversions.nodes,
      diagnostics: [...conversions.diagnostics, ...folders.diagnostics],
    };
  },
};
