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

/** Where an expression sits in the file: the indentation of its line and its column
 * (in UTF-16 units, as offsets are). */
interface Place {
  indent: string;
  column: number;
}

/** The place of the value of keyword `key` written at the start of a line at `indent`. */
function keywordValuePlace(indent: string, key: string): Place {
  return { indent, column: indent.length + key.length + 1 };
}

/** `value`'s source text moved to `to`, its line breaks outside strings kept in the same
 * layout relative to the new place: continuation lines that were aligned under the
 * value (at or right of its column) move with its column; lines indented less hang from
 * the indentation of the line and move with that. */
function carried(value: Value, to: Place, step: StepDefinition, text: string): string {
  const written = textOf(value);
  const span = value.span;
  // Only text written where its span says has a layout to keep.
  if (!span || !written.includes("\n") || text.slice(span.start, span.end) !== written)
    return written;
  const lineStart = text.lastIndexOf("\n", span.start - 1) + 1;
  const from: Place = {
    indent: /^[ \t]*/.exec(text.slice(lineStart, span.start))![0],
    column: span.start - lineStart,
  };
  const strings = step.multilineStrings ?? [];
  let shift: ((indent: string) => string) | undefined;
  return written.replace(/\n([ \t]*)(?=([^\n]?))/g, (line, indent: string, next, at: number) => {
    const offset = span.start + at;
    if (next === "" || next === "\r" || strings.some((s) => s.start < offset && offset < s.end))
      return line;
    shift ??=
      indent.length >= from.column ? byColumns(to.column - from.column) : byPrefix(from, to);
    return `\n${shift(indent)}`;
  });
}

function byColumns(delta: number): (indent: string) => string {
  return (indent) =>
    delta >= 0 ? indent + " ".repeat(delta) : indent.slice(0, Math.max(0, indent.length + delta));
}

function byPrefix(from: Place, to: Place): (indent: string) => string {
  return (indent) =>
    indent.startsWith(from.indent) ? to.indent + indent.slice(from.indent.length) : indent;
}

/** The list the ScriptRunConfig runs, ["python <script>", *arguments], written at `to`: a
 * list display of arguments keeps its items, comments, trailing comma and layout, with the
 * script's word first (on a line of its own when the items start on the next line). */
function commandList(step: StepDefinition, to: Place, context: RenderContext): string {
  const script = argValue(step, "script_name")!;
  const literalScript =
    script.kind === "literal" &&
    typeof script.value === "string" &&
    /^[rRuU]?["']/.test(script.text ?? "");
  const head = literalScript
    ? pythonString(`python ${quoteShellWord(script.value as string)}`)
    : `"python", ${textOf(script)}`;
  const args = argValue(step, "arguments")!;
  if (!isDisplay(args)) {
    const starred = { ...to, column: to.column + `[${head}, *`.length };
    return `[${head}, *${carried(args, starred, step, context.text)}]`;
  }
  const inner = carried(args, to, step, context.text).trim().slice(1, -1);
  if (!inner.trim()) return `[${head}]`;
  const opening = /^[ \t]*(?:#[^\n]*)?\r?\n/.exec(inner)?.[0];
  if (!opening) return `[${head}, ${inner.replace(/^[ \t]+/, "")}]`;
  const items = inner.slice(opening.length);
  // The script's word goes where the first item starts (one level in, when there is none).
  const indent = items.trim() ? /^[ \t]*/.exec(items)![0] : to.indent + context.indentUnit;
  return `[${opening}${indent}${head},${context.newline}${items}]`;
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
): { statements: string[]; given?: Value; variable?: string } {
  const plan = planEnvironment(step);
  if (plan.kind === "default") return { statements: [] };
  if (plan.kind === "given") return { statements: [], given: plan.value };
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
  return { statements, variable };
}

/** Keyword arguments rendered one per line at `indent`, each after the comments that
 * stood above the MpiStep argument it came from and before those that trailed it. */
function keywordBlock(
  pairs: Array<[string, string]>,
  indent: string,
  newline: string,
  comments: PlacedComments,
): string {
  return pairs
    .map(([key, value]) => {
      const above = (comments.above.get(key) ?? []).map((c) => `${indent}${c}${newline}`);
      const trailing = comments.trailing.get(key);
      return `${above.join("")}${indent}${key}=${value},${trailing ? `  ${trailing.join(" ")}` : ""}`;
    })
    .join(newline);
}

export function renderCommandStep(step: StepDefinition, context: RenderContext): RenderedStep {
  const { imports, newline, indentUnit, text } = context;
  const todos: Diagnostic[] = [];
  const env = environmentStatements(step, context, todos);
  const base = step.lineIndent ?? "";
  const i1 = base + indentUnit;
  const i2 = i1 + indentUnit;
  /** The given value's text, carried to keyword `key` at `indent`. */
  const moved = (value: Value, indent: string, key: string) =>
    carried(value, keywordValuePlace(indent, key), step, text);

  const nodes = count(argValue(step, "node_count")!);
  const procs = count(argValue(step, "process_count_per_node")!);
  const mpiArgs = [
    ...(procs.config ? [`process_count_per_node=${procs.config}`] : []),
    ...(nodes.config ? [`node_count=${nodes.config}`] : []),
  ].join(", ");
  const useDocker = givenValue(step, "use_docker");
  const scriptRunConfig: Array<[string, string]> = [
    ["source_directory", moved(argValue(step, "source_directory")!, i2, "source_directory")],
    ["command", commandList(step, keywordValuePlace(i2, "command"), context)],
    ["compute_target", moved(argValue(step, "compute_target")!, i2, "compute_target")],
    ...(env.given
      ? [["environment", moved(env.given, i2, "environment")] as [string, string]]
      : []),
    ...(env.variable ? [["environment", env.variable] as [string, string]] : []),
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
  // Merged, they are written `{**a, **b}`: each is carried as if it stood first (a
  // later one's aligned lines, rare, keep the first's shift).
  const paramsPlace = keywordValuePlace(i1, "params");
  const mergedAt = { ...paramsPlace, column: paramsPlace.column + "{**".length };
  const allowReuse = argValue(step, "allow_reuse");
  const version = givenValue(step, "version");
  const commandStep: Array<[string, string]> = [
    ["name", moved(argValue(step, "name")!, i1, "name")],
    ["runconfig", ""], // written below, once the comments are placed
    ...(pipelineParams.length
      ? [["runconfig_pipeline_params", `{${pipelineParams.join(", ")}}`] as [string, string]]
      : []),
    ...(["inputs", "outputs"] as const).flatMap((key) => {
      const value = givenValue(step, key);
      return value ? [[key, moved(value, i1, key)] as [string, string]] : [];
    }),
    ...(params.length
      ? [
          [
            "params",
            params.length === 1
              ? moved(params[0]!, i1, "params")
              : `{${params.map((p) => `**${carried(p, mergedAt, step, text)}`).join(", ")}}`,
          ] as [string, string],
        ]
      : []),
    ...(allowReuse && !(literalOf(allowReuse) === true && allowReuse.text === "True")
      ? [["allow_reuse", moved(allowReuse, i1, "allow_reuse")] as [string, string]]
      : []),
    ...(version ? [["version", moved(version, i1, "version")] as [string, string]] : []),
  ];

  const comments = placedComments(
    step,
    text,
    new Set([...scriptRunConfig, ...commandStep].map(([key]) => key)),
  );
  commandStep[1]![1] = `${imports.use("ScriptRunConfig")}(${newline}${keywordBlock(scriptRunConfig, i2, newline, comments)}${newline}${i1})`;
  const callee =
    step.callee!.prefix && step.callee!.module === "azureml.pipeline.steps"
      ? `${step.callee!.prefix}.CommandStep`
      : imports.use("CommandStep");
  const opening = comments.opening.length ? `  ${comments.opening.join(" ")}` : "";
  const closing = comments.closing.map((c) => `${newline}${i1}${c}`).join("");
  const body = keywordBlock(commandStep, i1, newline, comments);
  const call = `${callee}(${opening}${newline}${body}${closing}${newline}${base})`;
  return { call, statements: env.statements, todos };
}

/** Where the call's comments go in the new call, each kept beside the same neighbours. */
interface PlacedComments {
  /** Comments that trailed the call's opening parenthesis: they still do. */
  opening: string[];
  /** Comments on lines of their own: above the keyword replacing the argument they stood
   * above. */
  above: Map<string, string[]>;
  /** Comments at the end of an argument's line: after the keyword replacing it. */
  trailing: Map<string, string[]>;
  /** Comments after the last argument (or above arguments that have no keyword in the new
   * call, with none after them that has): before the closing parenthesis. */
  closing: string[];
}

/** Places the call's comments that no carried-over expression holds, given the keywords
 * the new call writes. An argument without a keyword there (a dropped option, or an
 * allow_reuse=True left to its default) hands its comments to the next argument. */
function placedComments(step: StepDefinition, text: string, keywords: Set<string>): PlacedComments {
  const carried = [...step.args.values()]
    .filter((a) => a.name !== "hash_paths")
    .map((a) => a.value.span);
  const args = [...step.args.values(), ...step.ignored]
    .filter((a) => a.span)
    .sort((a, b) => a.span!.start - b.span!.start);
  const keywordOf = (name: string) => {
    const keyword = parameterSpec(name)?.commandStepKeyword;
    return keyword && keywords.has(keyword) ? keyword : undefined;
  };
  const placed: PlacedComments = {
    opening: [],
    above: new Map(),
    trailing: new Map(),
    closing: [],
  };
  const add = (map: Map<string, string[]>, key: string, comment: string) =>
    map.set(key, [...(map.get(key) ?? []), comment]);
  const sameLine = (from: number, to: number) => !text.slice(from, to).includes("\n");
  for (const comment of step.comments ?? []) {
    const { start, end } = comment.span;
    if (carried.some((s) => s && start >= s.start && end <= s.end)) continue;
    const owner = args.find((a) => a.span!.end <= start && sameLine(a.span!.end, start));
    const ownerKeyword = owner && keywordOf(owner.name);
    if (ownerKeyword) add(placed.trailing, ownerKeyword, comment.text);
    else if (!owner && sameLine(step.callee!.span.end, start)) placed.opening.push(comment.text);
    else {
      const next = args.find((a) => a.span!.start >= end && keywordOf(a.name));
      if (next) add(placed.above, keywordOf(next.name)!, comment.text);
      else placed.closing.push(comment.text);
    }
  }
  return placed;
}
