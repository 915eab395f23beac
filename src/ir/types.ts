// The intermediate representation: one plain data model of a pipeline step of some kind
// (ir/step-kinds.ts lists them) and of the values its arguments hold, shared by every
// frontend (which builds it) and every validator and backend (which read it). Nothing
// downstream of the IR reads syntax trees. How steps join into pipelines: ir/graph.ts.

/** A position in the text of the file a value came from. Offsets are UTF-16 indexes into
 * the decoded text; line and column are 1-based. */
export interface SourceSpan {
  start: number;
  end: number;
  line: number;
  column: number;
}

import { isNumber, type PyNumber } from "./numbers.js";
import type { StepKind } from "./step-kinds.js";

/** A literal's value. Numbers keep the text Python's str() gives them (ir/numbers.ts). */
export type Scalar = string | PyNumber | boolean | null;

/** Fields every value carries: where it was written and, for code frontends, the exact
 * expression text at the use site (what an in-place rewrite carries over verbatim). */
interface ValueBase {
  span?: SourceSpan;
  text?: string;
}

export type DataKind =
  | "DataReference"
  | "PortDataReference"
  | "PipelineData"
  | "Dataset"
  | "OutputFileDatasetConfig"
  | "OutputDatasetConfig";

/** Whether the data is an output dataset (OutputFileDatasetConfig, OutputDatasetConfig):
 * written by the step that passes it, unless the step reads it through `.as_input()` and
 * the like. */
export function isOutputDataset(data: DataValue): boolean {
  return data.dataKind === "OutputFileDatasetConfig" || data.dataKind === "OutputDatasetConfig";
}

export interface LiteralValue extends ValueBase {
  kind: "literal";
  value: Scalar;
}
export interface ListValue extends ValueBase {
  kind: "list";
  items: Value[];
}
export interface DictValue extends ValueBase {
  kind: "dict";
  entries: Array<{ key: string; value: Value }>;
}
export interface PipelineParameterValue extends ValueBase {
  kind: "pipelineParameter";
  name: string;
  /** The default_value; undefined when it was not given or could not be evaluated. */
  default?: Value;
}
export interface DataValue extends ValueBase {
  kind: "data";
  dataKind: DataKind;
  name: string;
  datastore?: string;
  /** The datastore is the workspace default (`ws.get_default_datastore()`), taken as
   * `workspaceblobstore`, which it is unless the workspace changed it. */
  defaultDatastore?: boolean;
  path?: string;
  /** mount | download | upload (DataReference), mount | download (Dataset), ... */
  mode?: string;
  /** The name of a step outside the converted set that produces this data, when known. */
  producer?: string;
  /** Code frontends: the offset of the constructor call that made the data object, which
   * identifies it across steps (two objects may share a name). */
  origin?: number;
  /** Read through `.as_input()`, `.as_mount()`, `.as_download()` or `.as_direct()`: the
   * step consumes it, even an output kind (OutputFileDatasetConfig). */
  consumed?: boolean;
}
export interface ComputeValue extends ValueBase {
  kind: "compute";
  name: string;
  /** The compute class when the source says it (AmlCompute, ComputeInstance, ...). */
  computeType?: string;
}
export interface EnvironmentValue extends ValueBase {
  kind: "environment";
  name: string;
  version?: string;
  /** Built in code with `Environment(name)` rather than fetched as a registered one. */
  constructed?: boolean;
  /** What a constructed environment holds, where its statements could be followed. */
  built?: BuiltEnvironment;
}
/** A conda specification as v1's CondaDependencies held it (docs/semantics.md, "Run
 * configurations"). */
export interface CondaSpec {
  channels: string[];
  condaPackages: string[];
  pipPackages: string[];
  pipOptions: string[];
  /** `python=X` pinned by set_python_version / python_version; else the SDK default. */
  python?: string;
  /** Environment.from_conda_specification / CondaDependencies(file): a conda file of the
   * repository (relative to the source file's folder), used as it is. */
  file?: string;
  /** Environment.from_pip_requirements: a requirements file of the repository. */
  requirementsFile?: string;
  /** azureml-* pip packages CondaDependencies.create pinned to the submitting SDK's
   * version (`~=<version>`), which the source does not say. */
  pinnedToSdk?: string[];
}

/** An Environment (or a RunConfiguration's environment) built in code: what v1 submitted
 * from it. `unevaluated` lists the source text of what could not be followed. */
export interface BuiltEnvironment {
  dockerEnabled?: boolean;
  baseImage?: string;
  baseDockerfile?: string;
  userManaged?: boolean;
  interpreterPath?: string;
  conda?: CondaSpec;
  variables: Array<{ key: string; value: Value }>;
  unevaluated: string[];
}

/** A RunConfiguration built in code (or loaded from a file in the repository). */
export interface RunConfigValue extends ValueBase {
  kind: "runConfig";
  /** RunConfiguration.load: the runconfig file (relative to the source file's folder),
   * read by the backends; the fields below are then what the file says. */
  file?: string;
  target?: Value;
  nodeCount?: Value;
  /** The environment: a registered one (kind environment, not constructed) or built. */
  environment?: Value;
  built?: BuiltEnvironment;
  unevaluated: string[];
}

/** A conda specification value (CondaDependencies built in code). */
export interface CondaValue extends ValueBase {
  kind: "conda";
  spec: CondaSpec;
  unevaluated: string[];
}

/** An object of a v1 class read by its constructor's arguments (ScriptRunConfig,
 * MpiConfiguration, PyTorchConfiguration, TensorflowConfiguration, DockerConfiguration). */
export interface ConstructedValue extends ValueBase {
  kind: "constructed";
  type: string;
  args: Record<string, Value>;
  /** Statements that change the object after it is built (not followed). */
  unevaluated: string[];
}

/** A step object, named by the offset of the call that built it (StepDefinition.at). */
export interface StepReference extends ValueBase {
  kind: "step";
  at: number;
}

export interface OpaqueValue extends ValueBase {
  kind: "opaque";
  text: string;
}

export type Value =
  | LiteralValue
  | ListValue
  | DictValue
  | PipelineParameterValue
  | DataValue
  | ComputeValue
  | EnvironmentValue
  | RunConfigValue
  | CondaValue
  | ConstructedValue
  | StepReference
  | OpaqueValue;

/** One argument as written: the parameter it binds and the value. */
export interface StepArgument {
  name: string;
  value: Value;
  /** Span of the whole argument (`name=value`, the positional value, or a `**mapping` entry). */
  span?: SourceSpan;
  /** How it was given: by keyword, by position, through a `**mapping`, or by the user
   * with --set (the source lacks it or cannot evaluate it). */
  via: "keyword" | "positional" | "mapping" | "set";
}

/** Location of a notebook cell, for reporting. */
export interface CellLocation {
  index: number;
  line: number;
}

/** One step call (MpiStep, PythonScriptStep, CommandStep) or JSON step definition. */
export interface StepDefinition {
  kind: StepKind;
  /** The step's display name for reports: the literal `name`, a JSON id, or a fallback. */
  label: string;
  /** Code frontends: the offset of the call, by which other values refer to the step. */
  at?: number;
  /** Code frontends: the steps `step.run_after(other)` orders this one after (offsets). */
  runAfter?: number[];
  /** 1-based position of the call (or JSON object) in the file. */
  line: number;
  column: number;
  cell?: CellLocation;
  /** Arguments the step's kind reads (its parameter table), by parameter name. */
  args: Map<string, StepArgument>;
  /** Keywords the step's kind does not take: MpiStep ignored them (kept to report them
   * as dropped); the other kinds raise TypeError on them. */
  ignored: StepArgument[];
  /** Code frontends: the call expression and its callee as written. */
  callSpan?: SourceSpan;
  callee?: {
    span: SourceSpan;
    text: string;
    /** For `module.MpiStep`: the module the prefix names (azureml.pipeline.steps, ...). */
    module?: string;
    /** For `module.MpiStep`: the prefix text (`steps`, `azureml.pipeline.steps`). */
    prefix?: string;
  };
  /** Code frontends: a `**mapping` whose entries could not all be resolved. */
  unresolvedMapping?: string;
  /** Code frontends: where a statement can be inserted before the call (start of the
   * enclosing statement's line) and that statement's indentation; absent in lambdas and
   * comprehensions. */
  statementInsert?: { offset: number; indent: string };
  /** Code frontends: comments written inside the call's parentheses. */
  comments?: Array<{ span: SourceSpan; text: string }>;
  /** Code frontends: string literals inside the call's parentheses that span lines (their
   * line breaks are part of a value, so the text after them is not indentation). */
  multilineStrings?: SourceSpan[];
  /** Code frontends: the leading whitespace of the line the call starts on. */
  lineIndent?: string;
  /** Found by CPython in a top-level statement tree-sitter misreads (the file is valid):
   * its arguments are not read, so it is reported but not converted (MPI040). */
  misread?: boolean;
}

export function argValue(step: StepDefinition, name: string): Value | undefined {
  return step.args.get(name)?.value;
}

/** The argument's value when it is given and not None (MpiStep treats None as not
 * given). */
export function givenValue(step: StepDefinition, name: string): Value | undefined {
  const value = argValue(step, name);
  return value && !(value.kind === "literal" && value.value === null) ? value : undefined;
}

/** An argument of a constructed object when it is given and not None. */
export function givenArgument(object: ConstructedValue, name: string): Value | undefined {
  const value = object.args[name];
  return value && !(value.kind === "literal" && value.value === null) ? value : undefined;
}

/** The strings of a list whose items are all string literals; undefined otherwise. */
export function literalStrings(value: Value): string[] | undefined {
  if (value.kind !== "list") return undefined;
  const out: string[] = [];
  for (const item of value.items) {
    if (item.kind !== "literal" || typeof item.value !== "string") return undefined;
    out.push(item.value);
  }
  return out;
}

export function literalOf(value: Value | undefined): Scalar | undefined {
  return value?.kind === "literal" ? value.value : undefined;
}

/** Every value nested in `value` (itself first), depth first. */
export function* walkValues(value: Value): Generator<Value> {
  yield value;
  if (value.kind === "list") for (const item of value.items) yield* walkValues(item);
  if (value.kind === "dict") for (const entry of value.entries) yield* walkValues(entry.value);
}

/** What a step puts on its command line after the script: `arguments`, or a
 * CommandStep's `command` (its own, or its ScriptRunConfig's). */
export function argvValue(step: StepDefinition): Value | undefined {
  if (step.kind !== "CommandStep") return argValue(step, "arguments");
  const runConfig = givenValue(step, "runconfig");
  return (
    givenValue(step, "command") ??
    (runConfig?.kind === "constructed" && runConfig.type === "ScriptRunConfig"
      ? runConfig.args.command
      : undefined)
  );
}

/** Names of the pipeline parameters used inside `arguments` (a CommandStep's command),
 * each once, in order: v1 registers each as a step param too (docs/semantics.md,
 * "MpiStep"). */
export function argumentPipelineParameters(step: StepDefinition): string[] {
  const args = argvValue(step);
  if (!args) return [];
  const names: string[] = [];
  for (const v of walkValues(args))
    if (v.kind === "pipelineParameter" && !names.includes(v.name)) names.push(v.name);
  return names;
}

/** Python's str() of a scalar: what v1 passed on for a non-string argv item or param. */
export function pythonStr(value: Scalar): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  return isNumber(value) ? value.str : value;
}

/** A scalar as messages quote it: a number as Python's str(), anything else as JSON. */
export function shownScalar(value: Scalar): string {
  return isNumber(value) ? value.str : JSON.stringify(value);
}

/** How much of a value's text a message quotes. */
const SHOWN_CHARS = 200;

/** A value's source text as messages quote it: on one line, with single spaces, at most
 * SHOWN_CHARS of it (a literal without source text as JSON, anything else without it by
 * its kind). */
export function shown(value: Value | undefined): string {
  if (!value) return "";
  if (value.text !== undefined) {
    const text = value.text
      .slice(0, 4 * SHOWN_CHARS)
      .replace(/\s+/g, " ")
      .trim();
    return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
  }
  if (value.kind !== "literal") return value.kind;
  return shownScalar(value.value);
}
