// Target sdk-v2: one Python module per source file using azure.ai.ml: a `command(...)`
// per MpiStep with instance_count, MpiDistribution, inputs, outputs, environment and
// environment variables; and, when the steps are wired by data or use pipeline
// parameters, a @dsl.pipeline function wiring them (docs/semantics.md, "v2 command jobs"
// and "What the real SDK accepts").

import { uniqueName } from "../shared/names.js";
import { isNumber } from "../../ir/numbers.js";
import path from "node:path";
import { pythonScalar, pythonString } from "../shared/python-text.js";
import type { Diagnostic, JobField } from "../../diagnostics/model.js";
import type { InputSpec, OutputSpec } from "../shared/command-job.js";
import {
  condaFile,
  condaFileName,
  isPipelineTodo,
  pipelineTodos,
  todoText,
  withTodo,
} from "../shared/job-document.js";
import { oneLineComment } from "../shared/comments.js";
import { codePath } from "../shared/paths.js";
import {
  buildPipeline,
  pipelineConversions,
  type PipelineInput,
  type PipelineModel,
  type PipelineNode,
} from "../shared/pipeline.js";
import type { Backend, BackendOutput, Dropped, GeneratedFile } from "../types.js";

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
  file: string,
  documentDir: string,
  standalone: boolean,
): string {
  const { job } = node;
  const args: Array<[string, string]> = [["name", pythonString(node.key)]];
  if (job.displayName !== undefined) args.push(["display_name", pythonString(job.displayName)]);
  const code = codePath(file, job.code, documentDir);
  if (code !== undefined) args.push(["code", pythonString(code)]);
  args.push(["command", pythonString(job.command)]);
  const env = job.environment;
  if (env.kind === "reference") args.push(["environment", pythonString(env.uri)]);
  else if (env.kind === "inline")
    args.push([
      "environment",
      `Environment(image=${pythonString(env.image)}${env.conda ? `, conda_file=${pythonString(condaFileName(node.key))}` : ""})`,
    ]);
  if (job.compute !== undefined) args.push(["compute", pythonString(job.compute)]);
  if (job.instanceCount) args.push(["instance_count", pythonScalar(job.instanceCount.value)]);
  args.push([
    "distribution",
    `MpiDistribution(${job.processCount ? `process_count_per_instance=${pythonScalar(job.processCount.value)}` : ""})`,
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
  return `${todoLines(aboveCall)}${commandVariable(node)} = ${call("command", args, "", atKeyword)}\n`;
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
function commandVariable(node: PipelineNode): string {
  return `${node.key}_command`;
}

function pipelineFunction(model: PipelineModel, name: string): string {
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
      `${INDENT}${variable} = ${commandVariable(node)}(${bound.map(([k, v]) => `${k}=${v}`).join(", ")})`,
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
    `pipeline_job = ${call(`${name}_pipeline`, dataArguments)}\n`
  );
}

/** Whether the steps need a pipeline: wired by data, or using pipeline parameters. */
function needsPipeline(model: PipelineModel): boolean {
  const usesParameters = [...model.inputs.values()].some((input) => input.kind === "parameter");
  const wired = model.nodes.some((n) => [...n.bindings.values()].some((b) => b.kind === "job"));
  return usesParameters || wired;
}

export const sdkV2Backend: Backend = {
  convert(file, steps, context): BackendOutput {
    if (!steps.length) return { files: [], steps: new Map() };
    const model = buildPipeline(file, steps, context);
    const stem = path
      .basename(file.outputStem)
      .replace(/[^A-Za-z0-9_]/g, "_")
      .replace(/^(?=\d)/, "_");
    const modulePath = path.join(file.outputStem, `${stem}_v2.py`);
    const documentDir = path.dirname(modulePath);
    const pipeline = needsPipeline(model);
    const header =
      `"""Azure ML SDK v2 jobs converted by mpistep-migrate from the MpiSteps of ${pythonString(path.basename(file.path))}.\n\n` +
      `Paths (code, conda files) are relative to this file's folder: run it from there.\n` +
      `Submit with:\n\n` +
      `    from azure.ai.ml import MLClient\n` +
      `    from azure.identity import DefaultAzureCredential\n\n` +
      `    ml_client = MLClient.from_config(credential=DefaultAzureCredential())\n` +
      `    ml_client.jobs.create_or_update(${pipeline ? "pipeline_job" : model.nodes.map(commandVariable).join(")  # and (")})\n"""\n`;
    const imports = `from azure.ai.ml import ${pipeline ? "Input, MpiDistribution, Output, command, dsl" : "Input, MpiDistribution, Output, command"}\nfrom azure.ai.ml.entities import Environment\n`;
    const body = model.nodes
      .map((node) => `\n\n${commandDefinition(node, file.path, documentDir, !pipeline)}`)
      .join("");
    // Standalone jobs: the steps left out are named at the top, before the jobs.
    const leftOut = pipeline ? "" : `\n${todoLines(model.leftOut)}`;
    const text = `${header}${imports}${leftOut}${body}${pipeline ? pipelineFunction(model, stem) : ""}`;
    const files: GeneratedFile[] = [{ path: modulePath, text, steps }];
    for (const node of model.nodes) {
      const conda = condaFile(node.job, node.key, file.outputStem);
      if (conda) files.push(conda);
    }
    const conversions = pipelineConversions(model);
    for (const node of model.nodes) {
      const dropped: Dropped[] =
        node.job.version !== undefined
          ? [
              {
                option: "version",
                reason:
                  "command() builds an anonymous component; register it with ml_client.components.create_or_update to keep a version",
              },
            ]
          : [];
      if (!pipeline && node.step.args.has("allow_reuse"))
        dropped.push({ option: "allow_reuse", reason: "a standalone job has no reuse" });
      conversions.get(node.step)!.dropped.push(...dropped);
      if (!pipeline) conversions.get(node.step)!.diagnostics = node.job.diagnostics;
    }
    return { files, steps: conversions, diagnostics: model.leftOut };
  },
};
