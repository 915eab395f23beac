// Renders one MpiStep as the equivalent CommandStep call (docs/semantics.md, "CommandStep")
// plus the statements that build its Environment, carrying every user expression over as
// its exact source text so it is evaluated as before.

import { parameterSpec } from "../../ir/parameters.js";
import { isNumber } from "../../ir/numbers.js";
import {
  argValue,
  givenValue,
  literalOf,
  type StepDefinition,
  type Value,
} from "../../ir/types.js";
import type { Diagnostic } from "../../diagnostics/model.js";
import { diagnostic } from "../../codes/index.js";
import type { ConvertContext } from "../types.js";
import { mergePipSpecs, planEnvironment, readRequirementsFile } from "../shared/environment.js";
import { quoteShellWord } from "../shared/shell.js";
import type { ImportPlanner } from "./imports.js";
import { identifierFrom } from "../shared/names.js";
import { pythonScalar, pythonString } from "../shared/python-text.js";

export interface RenderedStep {
  /** Replacement text for the whole call. */
  call: string;
  /** Statements (without indentation) to place before the statement holding the call. */
  statements: string[];
  /** What keeps the call from being rewritten (manual work). */
  todos: Diagnostic[];
}

export interface RenderContext extends Pick<ConvertContext, "readRequirements"> {
  imports: ImportPlanner;
  /** The text spans refer to. */
  text: string;
  newline: string;
  /** One indentation level in this file. */
  indentUnit: string;
}

const SIMPLE_EXPRESSION = /^[A-Za-z_][\w.]*$/;

function textOf(value: Value): string {
  if (value.text !== undefined) return value.text;
  if (value.kind === "literal") return pythonScalar(value.value);
  throw new Error(`value without source text: ${value.kind}`);
}

/** Whether the value is written as a list or tuple display at the call site. */
function isDisplay(value: Value): boolean {
  return value.kind === "list" && value.text !== undefined && /^[[(]/.test(value.text.trim());
}

/** The list the ScriptRunConfig runs: ["python <script>", *arguments]. */
function commandList(step: StepDefinition): string {
  const script = argValue(step, "script_name")!;
  const literalScript =
    script.kind === "literal" &&
    typeof script.value === "string" &&
    /^[rRuU]?["']/.test(script.text ?? "");
  const head = literalScript
    ? pythonString(`python ${quoteShellWord(script.value as string)}`)
    : `"python", ${textOf(script)}`;
  const args = argValue(step, "arguments")!;
  if (isDisplay(args)) {
    // The display's own items, comments and trailing comma are carried over as written.
    const inner = args.text!.trim().slice(1, -1).replace(/^\s+/, "");
    return inner ? `[${head}, ${inner}]` : `[${head}]`;
  }
  return `[${head}, *${textOf(args)}]`;
}

/** node_count / process_count_per_node for MpiConfiguration, and the pipeline parameter if any. */
function count(value: Value): { config?: string; parameter?: string } {
  if (value.kind === "pipelineParameter") {
    const text = textOf(value);
    const config = SIMPLE_EXPRESSION.test(text)
      ? `${text}.default_value`
      : (value.default?.text ?? `(${text}).default_value`);
    return { config, parameter: text };
  }
  const literal = literalOf(value);
  return isNumber(literal) &&
    literal.str === "1" &&
    (value.text === undefined || value.text === "1")
    ? {}
    : { config: textOf(value) };
}

/** The lines of the step's pip requirements file, or the TODO when they cannot be read
 * (the same pip list cannot be built then). */
function requirementLinesOf(
  step: StepDefinition,
  file: Value,
  context: Pick<ConvertContext, "readRequirements">,
): { lines: string[] } | { todo: Diagnostic } {
  const read = readRequirementsFile(step, file, context);
  if (!("error" in read)) return read;
  const message = `pip requirements file: ${read.error}; cannot build the same pip list`;
  return { todo: diagnostic("MPI025", message, step, { manual: true }) };
}

/** What rendering the step leaves to do (its TODOs), without producing any text: all
 * `check` needs to know. */
export function commandStepTodos(
  step: StepDefinition,
  context: Pick<ConvertContext, "readRequirements">,
): Diagnostic[] {
  const plan = planEnvironment(step);
  if (plan.kind !== "built" || !plan.requirementsFile) return [];
  const read = requirementLinesOf(step, plan.requirementsFile, context);
  return "todo" in read ? [read.todo] : [];
}

function environmentStatements(
  step: StepDefinition,
  context: RenderContext,
  todos: Diagnostic[],
): { statements: string[]; expression?: string } {
  const plan = planEnvironment(step);
  if (plan.kind === "default") return { statements: [] };
  if (plan.kind === "given") return { statements: [], expression: textOf(plan.value) };
  const { imports } = context;
  const variable = imports.fresh(`${identifierFrom(step.label)}_env`);
  const statements = [
    `${variable} = ${imports.use("Environment")}(${pythonString(`${step.label}-env`)})`,
  ];
  if (plan.customImage)
    statements.push(`${variable}.docker.base_image = ${textOf(plan.customImage)}`);
  else if (plan.useGpu) {
    const gpu = imports.use("DEFAULT_GPU_IMAGE");
    statements.push(
      literalOf(plan.useGpu) === true
        ? `${variable}.docker.base_image = ${gpu}`
        : `${variable}.docker.base_image = ${gpu} if ${textOf(plan.useGpu)} else ${imports.use("DEFAULT_CPU_IMAGE")}`,
    );
  }
  if (plan.registry)
    statements.push(`${variable}.docker.base_image_registry = ${textOf(plan.registry)}`);
  if (plan.userManaged)
    statements.push(`${variable}.python.user_managed_dependencies = ${textOf(plan.userManaged)}`);
  if (plan.condaPackages || plan.pipPackages || plan.requirementsFile) {
    let requirements: string[] = [];
    if (plan.requirementsFile) {
      const read = requirementLinesOf(step, plan.requirementsFile, context);
      if ("todo" in read) {
        todos.push(read.todo);
        return { statements: [] };
      }
      requirements = read.lines;
      statements.push(
        `# pip list: azureml-defaults, then the lines of ${literalOf(plan.requirementsFile)} (read at conversion time), then pip_packages`,
      );
    }
    const pip = plan.pipPackages;
    const pipItems = pip?.kind === "list" ? pip.items.map((i) => literalOf(i)) : undefined;
    const pipList =
      !pip || (pipItems && pipItems.every((i) => typeof i === "string"))
        ? `[${mergePipSpecs(requirements, (pipItems as string[] | undefined) ?? [])
            .map(pythonString)
            .join(", ")}]`
        : `[${mergePipSpecs(requirements, []).map(pythonString).join(", ")}, *${textOf(pip)}]`;
    const conda = plan.condaPackages ? `conda_packages=${textOf(plan.condaPackages)}, ` : "";
    statements.push(
      `${variable}.python.conda_dependencies = ${imports.use("CondaDependencies")}.create(${conda}pip_packages=${pipList})`,
    );
  }
  return { statements, expression: variable };
}

/** Keyword arguments rendered one per line at `indent`, each with the comments that
 * trailed the MpiStep argument it came from. */
function keywordBlock(
  pairs: Array<[string, string]>,
  indent: string,
  newline: string,
  trailing: Map<string, string[]>,
): string {
  return pairs
    .map(([key, value]) => {
      const comments = trailing.get(key);
      trailing.delete(key);
      return `${indent}${key}=${value},${comments ? `  ${comments.join(" ")}` : ""}`;
    })
    .join(newline);
}

export function renderCommandStep(step: StepDefinition, context: RenderContext): RenderedStep {
  const { imports, newline, indentUnit } = context;
  const todos: Diagnostic[] = [];
  const env = environmentStatements(step, context, todos);
  const comments = movedComments(step, context.text);
  const base = step.lineIndent ?? "";
  const i1 = base + indentUnit;
  const i2 = i1 + indentUnit;

  const nodes = count(argValue(step, "node_count")!);
  const procs = count(argValue(step, "process_count_per_node")!);
  const mpiArgs = [
    ...(procs.config ? [`process_count_per_node=${procs.config}`] : []),
    ...(nodes.config ? [`node_count=${nodes.config}`] : []),
  ].join(", ");
  const useDocker = givenValue(step, "use_docker");
  const scriptRunConfig: Array<[string, string]> = [
    ["source_directory", textOf(argValue(step, "source_directory")!)],
    ["command", commandList(step)],
    ["compute_target", textOf(argValue(step, "compute_target")!)],
    ...(env.expression ? [["environment", env.expression] as [string, string]] : []),
    ["distributed_job_config", `${imports.use("MpiConfiguration")}(${mpiArgs})`],
    // MpiStep ran in Docker unless use_docker=False; DockerConfiguration defaults to False.
    [
      "docker_runtime_config",
      `${imports.use("DockerConfiguration")}(use_docker=${useDocker ? textOf(useDocker) : "True"})`,
    ],
    // ScriptRunConfig defaults to a 30-day limit; MpiStep had none.
    ["max_run_duration_seconds", "None"],
  ];

  const pipelineParams = [
    ...(nodes.parameter ? [`"NodeCount": ${nodes.parameter}`] : []),
    ...(procs.parameter ? [`"MpiProcessCountPerNode": ${procs.parameter}`] : []),
  ];
  const params = [givenValue(step, "environment_variables"), givenValue(step, "params")].filter(
    (v): v is Value => !!v,
  );
  const allowReuse = argValue(step, "allow_reuse");
  const version = givenValue(step, "version");
  const commandStep: Array<[string, string]> = [
    ["name", textOf(argValue(step, "name")!)],
    [
      "runconfig",
      `${imports.use("ScriptRunConfig")}(${newline}${keywordBlock(scriptRunConfig, i2, newline, comments.trailing)}${newline}${i1})`,
    ],
    ...(pipelineParams.length
      ? [["runconfig_pipeline_params", `{${pipelineParams.join(", ")}}`] as [string, string]]
      : []),
    ...(["inputs", "outputs"] as const).flatMap((key) => {
      const value = givenValue(step, key);
      return value ? [[key, textOf(value)] as [string, string]] : [];
    }),
    ...(params.length
      ? [
          [
            "params",
            params.length === 1
              ? textOf(params[0]!)
              : `{${params.map((p) => `**${textOf(p)}`).join(", ")}}`,
          ] as [string, string],
        ]
      : []),
    ...(allowReuse && !(literalOf(allowReuse) === true && allowReuse.text === "True")
      ? [["allow_reuse", textOf(allowReuse)] as [string, string]]
      : []),
    ...(version ? [["version", textOf(version)] as [string, string]] : []),
  ];

  const callee =
    step.callee!.prefix && step.callee!.module === "azureml.pipeline.steps"
      ? `${step.callee!.prefix}.CommandStep`
      : imports.use("CommandStep");
  const body = keywordBlock(commandStep, i1, newline, comments.trailing);
  const leading = [...comments.leading, ...[...comments.trailing.values()].flat()]
    .map((c) => `${i1}${c}${newline}`)
    .join("");
  const call = `${callee}(${newline}${leading}${body}${newline}${base})`;
  return { call, statements: env.statements, todos };
}

/** The call's comments that no carried-over expression holds: those trailing an argument
 * (on the line it ends) go with the keyword that replaces it; the rest lead the call. */
function movedComments(
  step: StepDefinition,
  text: string,
): { leading: string[]; trailing: Map<string, string[]> } {
  const args = [...step.args.values(), ...step.ignored];
  const carried = [...step.args.values()]
    .filter((a) => a.name !== "hash_paths")
    .map((a) => a.value.span);
  const leading: string[] = [];
  const trailing = new Map<string, string[]>();
  for (const comment of step.comments ?? []) {
    if (carried.some((s) => s && comment.span.start >= s.start && comment.span.end <= s.end))
      continue;
    const owner = args.find(
      (a) =>
        a.span &&
        a.span.end <= comment.span.start &&
        !/\n/.test(text.slice(a.span.end, comment.span.start)),
    );
    const keyword = owner && parameterSpec(owner.name)?.commandStepKeyword;
    if (keyword) trailing.set(keyword, [...(trailing.get(keyword) ?? []), comment.text]);
    else leading.push(comment.text);
  }
  return { leading, trailing };
}
