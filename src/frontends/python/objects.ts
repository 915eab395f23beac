// Azure ML v1 objects built in code and changed by later statements: RunConfiguration,
// Environment and CondaDependencies (docs/semantics.md, "Run configurations"), and the
// classes read only by their constructor's arguments (SIGNATURES: ScriptRunConfig and
// the distributed-job configurations). The
// evaluator gives the object its constructor makes; the statements after its binding
// that set an attribute (`rc.environment.docker.base_image = "..."`), an item
// (`env.environment_variables["K"] = "v"`) or call a method (`cd.add_pip_package("x")`)
// are applied in order. A statement that cannot be followed is kept as text
// (`unevaluated`), which the backends turn into a TODO.

import type { Node } from "web-tree-sitter";
import {
  literalStrings,
  type BuiltEnvironment,
  type CondaSpec,
  type CondaValue,
  type ConstructedValue,
  type EnvironmentValue,
  type RunConfigValue,
  type Value,
} from "../../ir/types.js";

/** What the object builders need of the evaluator. */
export interface ObjectEvaluation {
  evaluate(node: Node): Value;
  string(node: Node | undefined): string | undefined;
  /** A keyword or positional argument of a call. */
  argument(call: Node, position: number, keyword: string): Node | undefined;
}

/** The package a pip spec names (`torch==2.0` -> `torch`), as CondaDependencies compares them. */
function pipName(spec: string): string {
  return /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec)?.[1]?.toLowerCase() ?? spec;
}

/** CondaDependencies(): the SDK's template, whose only package is pip azureml-defaults
 * (its Python is the SDK build's default). */
function defaultConda(): CondaSpec {
  return { channels: [], condaPackages: [], pipPackages: ["azureml-defaults"], pipOptions: [] };
}

function emptyEnvironment(): BuiltEnvironment {
  return { conda: defaultConda(), variables: [], unevaluated: [] };
}

function copyEnvironment(env: BuiltEnvironment): BuiltEnvironment {
  return {
    ...env,
    ...(env.conda ? { conda: copyConda(env.conda) } : {}),
    variables: [...env.variables],
    unevaluated: [...env.unevaluated],
  };
}

function copyConda(spec: CondaSpec): CondaSpec {
  return {
    ...spec,
    channels: [...spec.channels],
    condaPackages: [...spec.condaPackages],
    pipPackages: [...spec.pipPackages],
    pipOptions: [...spec.pipOptions],
  };
}

/** The parameters, in positional order, of the classes read by their arguments. */
const SIGNATURES: Record<string, readonly string[]> = {
  ScriptRunConfig: [
    "source_directory",
    "script",
    "arguments",
    "run_config",
    "compute_target",
    "environment",
    "distributed_job_config",
    "resume_from",
    "max_run_duration_seconds",
    "command",
    "docker_runtime_config",
  ],
  MpiConfiguration: ["process_count_per_node", "node_count"],
  PyTorchConfiguration: ["communication_backend", "process_count", "node_count"],
  TensorflowConfiguration: ["worker_count", "parameter_server_count"],
  DockerConfiguration: ["use_docker", "shared_volumes", "arguments", "shm_size"],
};

/** The arguments of a call by parameter name (undefined when one cannot be placed). */
function namedArguments(call: Node, parameters: readonly string[], ev: ObjectEvaluation) {
  const args: Record<string, Value> = {};
  let position = 0;
  for (const arg of call.childForFieldName("arguments")?.namedChildren ?? []) {
    if (!arg || arg.type === "comment") continue;
    if (arg.type === "keyword_argument")
      args[arg.childForFieldName("name")!.text] = ev.evaluate(arg.childForFieldName("value")!);
    else if (arg.type === "list_splat" || arg.type === "dictionary_splat") return undefined;
    else {
      const name = parameters[position++];
      if (!name) return undefined;
      args[name] = ev.evaluate(arg);
    }
  }
  return args;
}

/** The object a constructor call builds, for the classes this module knows. */
export function constructedObject(
  name: string,
  owner: string | undefined,
  call: Node,
  ev: ObjectEvaluation,
): Value | undefined {
  const signature = SIGNATURES[name];
  if (signature && owner !== name) {
    const args = namedArguments(call, signature, ev);
    return args && { kind: "constructed", type: name, args, unevaluated: [] };
  }
  if (name === "RunConfiguration" && owner !== "RunConfiguration") {
    const conda = ev.argument(call, 2, "conda_dependencies");
    const built = emptyEnvironment();
    const rc: RunConfigValue = { kind: "runConfig", built, unevaluated: [] };
    if (
      ev.argument(call, 0, "script") ||
      ev.argument(call, 1, "arguments") ||
      ev.argument(call, 3, "_history_enabled")
    )
      rc.unevaluated.push(call.text);
    if (conda) setConda(built, ev.evaluate(conda), conda.text);
    return rc;
  }
  if (owner === "RunConfiguration" && name === "load") {
    // load(path) of a runconfig file, or load(folder, name): <folder>/.azureml/<name>.runconfig.
    const path = ev.string(ev.argument(call, 0, "path"));
    const nameNode = ev.argument(call, 1, "name");
    const runConfigName = nameNode ? ev.string(nameNode) : undefined;
    if (path === undefined || (nameNode && runConfigName === undefined))
      return { kind: "runConfig", unevaluated: [call.text] };
    const file = runConfigName === undefined ? path : `${path}/.azureml/${runConfigName}.runconfig`;
    return { kind: "runConfig", file, unevaluated: [] };
  }
  if (name === "CondaDependencies" && owner !== "CondaDependencies") {
    const file = ev.argument(call, 0, "conda_dependencies_file_path");
    if (!file) return { kind: "conda", spec: defaultConda(), unevaluated: [] };
    const path = ev.string(file);
    return path === undefined
      ? undefined
      : {
          kind: "conda",
          spec: { ...defaultConda(), pipPackages: [], file: path },
          unevaluated: [],
        };
  }
  if (owner === "CondaDependencies" && name === "create") return createConda(call, ev);
  if (name === "Environment" && owner !== "Environment") {
    const envName = ev.string(ev.argument(call, 0, "name"));
    if (envName === undefined) return undefined;
    return { kind: "environment", name: envName, constructed: true, built: emptyEnvironment() };
  }
  if (
    owner === "Environment" &&
    (name === "from_conda_specification" || name === "from_pip_requirements")
  ) {
    const envName = ev.string(ev.argument(call, 0, "name"));
    const file = ev.string(ev.argument(call, 1, "file_path"));
    if (envName === undefined || file === undefined) return undefined;
    const built = emptyEnvironment();
    built.conda =
      name === "from_conda_specification"
        ? { ...defaultConda(), pipPackages: [], file }
        : { ...defaultConda(), pipPackages: [], requirementsFile: file };
    return { kind: "environment", name: envName, constructed: true, built };
  }
  return undefined;
}

/** CondaDependencies.create(pip_indexurl, pip_packages, conda_packages, python_version,
 * pin_sdk_version): without pip_packages, azureml-defaults; azureml-* packages pinned to
 * the submitting SDK's version unless pin_sdk_version=False. */
function createConda(call: Node, ev: ObjectEvaluation): CondaValue | undefined {
  const unevaluated: string[] = [];
  const spec = defaultConda();
  const listOf = (position: number, keyword: string) => {
    const node = ev.argument(call, position, keyword);
    if (!node) return undefined;
    const items = literalStrings(ev.evaluate(node));
    if (!items) unevaluated.push(node.text);
    return items ?? [];
  };
  const pip = listOf(1, "pip_packages");
  const pin = ev.argument(call, 4, "pin_sdk_version");
  const pinned = pin ? ev.evaluate(pin) : undefined;
  const pins = !(pinned?.kind === "literal" && pinned.value === false);
  if (pin && !(pinned?.kind === "literal" && typeof pinned.value === "boolean"))
    unevaluated.push(pin.text);
  spec.pipPackages = [];
  for (const item of pip ?? ["azureml-defaults"]) {
    addPip(spec, item);
    if (pins && pipName(item).startsWith("azureml-")) (spec.pinnedToSdk ??= []).push(item);
  }
  spec.condaPackages = listOf(2, "conda_packages") ?? [];
  const python = ev.argument(call, 3, "python_version");
  if (python) {
    const version = ev.string(python);
    if (version === undefined) unevaluated.push(python.text);
    else spec.python = version;
  }
  const indexUrl = ev.argument(call, 0, "pip_indexurl");
  if (indexUrl) unevaluated.push(indexUrl.text);
  return { kind: "conda", spec, unevaluated };
}

function addPip(spec: CondaSpec, item: string) {
  spec.pipPackages = spec.pipPackages.filter((p) => pipName(p) !== pipName(item));
  spec.pipPackages.push(item);
}

function setConda(env: BuiltEnvironment, value: Value, text: string) {
  if (value.kind === "conda") {
    env.conda = copyConda(value.spec);
    env.unevaluated.push(...value.unevaluated);
  } else env.unevaluated.push(text);
}

/** What a statement does to the object a name holds: the attribute path from the name,
 * and a value set there, an item key set, or a method called. */
type Change =
  | { kind: "set"; path: string[]; value: Node }
  | { kind: "item"; path: string[]; key: Node; value: Node }
  | { kind: "call"; path: string[]; method: string; call: Node }
  /** A use that changes nothing (an attribute read). */
  | { kind: "read" }
  | { kind: "unknown"; text: string };

function statementOf(node: Node): Node {
  let n = node;
  while (n.parent && n.parent.type !== "module" && n.parent.type !== "block") n = n.parent;
  return n;
}

/** How the occurrence `id` of a name uses it. */
function changeAt(id: Node): Change {
  const path: string[] = [];
  let node = id;
  while (
    node.parent?.type === "attribute" &&
    node.parent.childForFieldName("object")?.id === node.id
  ) {
    path.push(node.parent.childForFieldName("attribute")!.text);
    node = node.parent;
  }
  const parent = node.parent;
  const text = statementOf(id).text;
  if (
    parent?.type === "assignment" &&
    parent.childForFieldName("left")?.id === node.id &&
    path.length
  )
    return { kind: "set", path, value: parent.childForFieldName("right")! };
  if (parent?.type === "subscript" && parent.childForFieldName("value")?.id === node.id) {
    const assignment = parent.parent;
    if (assignment?.type === "assignment" && assignment.childForFieldName("left")?.id === parent.id)
      return {
        kind: "item",
        path,
        key: parent.childForFieldName("subscript")!,
        value: assignment.childForFieldName("right")!,
      };
    return { kind: "read" };
  }
  if (
    parent?.type === "call" &&
    parent.childForFieldName("function")?.id === node.id &&
    path.length
  ) {
    if (parent.parent?.type !== "expression_statement") return { kind: "unknown", text };
    return { kind: "call", path: path.slice(0, -1), method: path[path.length - 1]!, call: parent };
  }
  // Bound to another name (`same = rc`), it may be changed through that name. Set as an
  // attribute of another object (`rc.environment = env`) it is read: the statement that
  // holds it is that object's change.
  if (
    parent?.type === "assignment" &&
    parent.childForFieldName("right")?.id === node.id &&
    !path.length &&
    parent.childForFieldName("left")?.type !== "attribute" &&
    parent.childForFieldName("left")?.type !== "subscript"
  )
    return { kind: "unknown", text };
  // Passed to an Azure ML constructor (a step, a run configuration, a pipeline) it is
  // read; passed to any other call it may change in ways not followed.
  const argumentOf = parent?.type === "keyword_argument" ? parent.parent : parent;
  if (
    argumentOf?.type === "argument_list" &&
    (parent?.type !== "keyword_argument" || parent.childForFieldName("value")?.id === node.id)
  ) {
    const callee = argumentOf.parent?.childForFieldName("function");
    const name =
      callee?.type === "attribute" ? callee.childForFieldName("attribute")?.text : callee?.text;
    return name && READING_CALLS.test(name) ? { kind: "read" } : { kind: "unknown", text };
  }
  return { kind: "read" };
}

/** Calls that take an object without changing it: steps, run configurations, pipelines. */
const READING_CALLS = /^(\w*Step|RunConfiguration|ScriptRunConfig|Pipeline|StepSequence|print)$/;

type ChangedObject = RunConfigValue | CondaValue | EnvironmentValue | ConstructedValue;

/** Whether later statements may change the object a value is (so they are looked for). */
export function isChangeable(value: Value): value is ChangedObject {
  return (
    value.kind === "runConfig" ||
    value.kind === "conda" ||
    value.kind === "constructed" ||
    (value.kind === "environment" && value.built !== undefined)
  );
}

/** The object with the statements at `uses` (occurrences of its name, in order) applied;
 * `inBranch` says whether a statement may not run. */
export function withChanges(
  value: Value,
  uses: Node[],
  ev: ObjectEvaluation,
  inBranch: (node: Node) => boolean,
): Value {
  if (!isChangeable(value)) return value;
  const object = copyObject(value);
  for (const id of uses) {
    const change = changeAt(id);
    if (change.kind === "read") continue;
    const unevaluated = unevaluatedOf(object);
    if (change.kind === "unknown" || inBranch(id)) {
      unevaluated.push(change.kind === "unknown" ? change.text : statementOf(id).text);
      continue;
    }
    if (!apply(object, change, ev)) unevaluated.push(statementOf(id).text);
  }
  return object;
}

function copyObject(value: ChangedObject): ChangedObject {
  if (value.kind === "constructed") return { ...value, unevaluated: [...value.unevaluated] };
  if (value.kind === "conda")
    return { ...value, spec: copyConda(value.spec), unevaluated: [...value.unevaluated] };
  if (value.kind === "environment") return { ...value, built: copyEnvironment(value.built!) };
  return {
    ...value,
    ...(value.built ? { built: copyEnvironment(value.built) } : {}),
    unevaluated: [...value.unevaluated],
  };
}

function unevaluatedOf(object: ChangedObject): string[] {
  return object.kind === "environment" ? object.built!.unevaluated : object.unevaluated;
}

/** Applies one change; false when it is not one this module follows. */
function apply(
  object: ChangedObject,
  change: Exclude<Change, { kind: "read" | "unknown" }>,
  ev: ObjectEvaluation,
): boolean {
  // A class read by its arguments: a later change to it is not followed.
  if (object.kind === "constructed") return false;
  if (object.kind === "conda")
    return (
      change.kind === "call" &&
      change.path.length === 0 &&
      condaCall(object.spec, change.method, change.call, ev, object.unevaluated)
    );
  if (object.kind === "environment") return applyToEnvironment(object.built!, change, ev);
  const [head, ...rest] = change.path;
  if (
    change.kind === "set" &&
    change.path.length === 1 &&
    (head === "target" || head === "node_count")
  ) {
    object[head === "target" ? "target" : "nodeCount"] = ev.evaluate(change.value);
    return true;
  }
  if (head !== "environment") return false;
  if (change.kind === "set" && rest.length === 0) {
    const env = ev.evaluate(change.value);
    if (env.kind !== "environment") return false;
    if (env.built) {
      object.built = copyEnvironment(env.built);
      delete object.environment;
    } else {
      object.environment = env;
      delete object.built;
    }
    return true;
  }
  // Changing a registered environment makes another one, which v1 built on submission.
  if (!object.built) return false;
  return applyToEnvironment(object.built, { ...change, path: rest }, ev);
}

const ENVIRONMENT_FIELDS: Record<
  string,
  {
    field: "dockerEnabled" | "userManaged" | "baseImage" | "baseDockerfile" | "interpreterPath";
    type: "boolean" | "string";
  }
> = {
  "docker.enabled": { field: "dockerEnabled", type: "boolean" },
  "docker.base_image": { field: "baseImage", type: "string" },
  "docker.base_dockerfile": { field: "baseDockerfile", type: "string" },
  "python.user_managed_dependencies": { field: "userManaged", type: "boolean" },
  "python.interpreter_path": { field: "interpreterPath", type: "string" },
};

function applyToEnvironment(
  env: BuiltEnvironment,
  change: Exclude<Change, { kind: "read" | "unknown" }>,
  ev: ObjectEvaluation,
): boolean {
  const path = change.path.join(".");
  if (change.kind === "set") {
    const known = ENVIRONMENT_FIELDS[path];
    if (known) {
      const value = ev.evaluate(change.value);
      if (value.kind !== "literal" || typeof value.value !== known.type) return false;
      (env as unknown as Record<string, unknown>)[known.field] = value.value;
      return true;
    }
    if (path === "python.conda_dependencies") {
      const value = ev.evaluate(change.value);
      if (value.kind !== "conda") return false;
      setConda(env, value, change.value.text);
      return true;
    }
    if (path === "environment_variables") {
      const value = ev.evaluate(change.value);
      if (value.kind !== "dict") return false;
      env.variables = [...value.entries];
      return true;
    }
    return false;
  }
  if (change.kind === "item" && path === "environment_variables") {
    const key = ev.string(change.key);
    if (key === undefined) return false;
    env.variables = [
      ...env.variables.filter((v) => v.key !== key),
      { key, value: ev.evaluate(change.value) },
    ];
    return true;
  }
  if (change.kind === "call" && path === "python.conda_dependencies" && env.conda)
    return condaCall(env.conda, change.method, change.call, ev, env.unevaluated);
  return false;
}

/** The CondaDependencies methods followed, with the keyword of their one argument. */
const CONDA_METHODS: Record<string, string> = {
  add_channel: "channel",
  add_conda_package: "conda_package",
  add_pip_package: "pip_package",
  set_python_version: "version",
  set_pip_option: "pip_option",
};

/** A CondaDependencies method call, as v1 applies it. */
function condaCall(
  spec: CondaSpec,
  method: string,
  call: Node,
  ev: ObjectEvaluation,
  unevaluated: string[],
): boolean {
  if (!(method in CONDA_METHODS)) {
    unevaluated.push(call.text);
    return true;
  }
  const argument = ev.string(ev.argument(call, 0, CONDA_METHODS[method]!));
  if (argument === undefined) return false;
  switch (method) {
    case "add_channel":
      if (!spec.channels.includes(argument)) spec.channels.push(argument);
      return true;
    case "add_conda_package": {
      const python = /^python\s*=+\s*(\S+)$/.exec(argument);
      if (python) spec.python = python[1];
      else if (!spec.condaPackages.includes(argument)) spec.condaPackages.push(argument);
      return true;
    }
    case "add_pip_package":
      addPip(spec, argument);
      return true;
    case "set_python_version":
      spec.python = argument;
      return true;
    default: {
      const option = argument.split(/\s+/)[0];
      spec.pipOptions = [...spec.pipOptions.filter((o) => o.split(/\s+/)[0] !== option), argument];
      return true;
    }
  }
}
