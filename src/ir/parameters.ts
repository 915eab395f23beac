// The parameter tables of the step kinds (docs/semantics.md, "MpiStep", "PythonScriptStep
// and CommandStep" and "Field map"): MpiStep's in full (the rules read which are required
// and what shape a literal must have, the frontends the positional order and the
// spellings projects use, the CommandStep rewrite which keyword takes each one's place),
// then PythonScriptStep's and CommandStep's in the same form. No other module lists
// parameter names again; ir/step-kinds.ts says which table is whose.

export type ParameterName =
  | "name"
  | "source_directory"
  | "script_name"
  | "arguments"
  | "compute_target"
  | "node_count"
  | "process_count_per_node"
  | "inputs"
  | "outputs"
  | "allow_reuse"
  | "version"
  | "hash_paths"
  | "params"
  | "environment_variables"
  | "use_gpu"
  | "use_docker"
  | "custom_docker_image"
  | "image_registry_details"
  | "user_managed"
  | "conda_packages"
  | "pip_packages"
  | "pip_requirements_file_path"
  | "environment_definition";

/** What a literal value must be: a string, a bool, a list, a dict, a list of strings. */
export type ValueShape = "string" | "bool" | "list" | "dict" | "stringList";

export interface ParameterSpec<Name extends string = ParameterName> {
  name: Name;
  /** Index in MpiStep's positional signature; keyword-only parameters have none. */
  position?: number;
  required: boolean;
  /** Environment options that MpiStep rejected together with environment_definition. */
  conflictsWithEnvironmentDefinition?: boolean;
  /** What the value must be when given as a literal (MPI015); an expression the tool
   * cannot evaluate, or a PipelineParameter, is not checked. */
  shape?: ValueShape;
  /** The keyword of the CommandStep rewrite that takes the parameter's place (a comment
   * that trailed the MpiStep argument follows it there). */
  commandStepKeyword?: string;
  /** Other spellings projects use for it (matched case- and separator-blind), from
   * which a suggested --key-map is built for a project-format JSON entry. */
  aliases?: readonly string[];
}

/** MpiStep's parameters. */
export const PARAMETERS: readonly ParameterSpec[] = [
  {
    name: "name",
    aliases: ["step_name", "title", "id"],
    position: 0,
    required: true,
    shape: "string",
    commandStepKeyword: "name",
  },
  {
    name: "source_directory",
    aliases: [
      "source_dir",
      "src_dir",
      "dir",
      "directory",
      "source",
      "code",
      "code_dir",
      "folder",
      "src",
    ],
    position: 1,
    required: true,
    shape: "string",
    commandStepKeyword: "source_directory",
  },
  {
    name: "script_name",
    aliases: [
      "script",
      "entry_script",
      "entry",
      "entrypoint",
      "entry_point",
      "file",
      "script_file",
      "script_path",
      "main",
    ],
    position: 2,
    required: true,
    shape: "string",
    commandStepKeyword: "command",
  },
  {
    name: "arguments",
    aliases: ["args", "argv", "script_args", "script_arguments", "cli_args"],
    position: 3,
    required: true,
    shape: "list",
    commandStepKeyword: "command",
  },
  {
    name: "compute_target",
    aliases: ["compute", "cluster", "target", "compute_name", "cluster_name"],
    position: 4,
    required: true,
    commandStepKeyword: "compute_target",
  },
  {
    name: "node_count",
    aliases: ["nodes", "num_nodes", "node_num", "instance_count", "instances", "n_nodes"],
    position: 5,
    required: true,
    commandStepKeyword: "distributed_job_config",
  },
  {
    name: "process_count_per_node",
    aliases: [
      "processes_per_node",
      "procs",
      "procs_per_node",
      "process_count",
      "processes",
      "ranks_per_node",
      "gpus_per_node",
      "process_per_node",
    ],
    position: 6,
    required: true,
    commandStepKeyword: "distributed_job_config",
  },
  {
    name: "inputs",
    aliases: ["input", "in"],
    position: 7,
    required: false,
    shape: "list",
    commandStepKeyword: "inputs",
  },
  {
    name: "outputs",
    aliases: ["output", "out"],
    position: 8,
    required: false,
    shape: "list",
    commandStepKeyword: "outputs",
  },
  {
    name: "allow_reuse",
    aliases: ["reuse", "cache"],
    position: 9,
    required: false,
    shape: "bool",
    commandStepKeyword: "allow_reuse",
  },
  {
    name: "version",
    aliases: ["step_version"],
    position: 10,
    required: false,
    shape: "string",
    commandStepKeyword: "version",
  },
  {
    name: "hash_paths",
    position: 11,
    required: false,
  },
  {
    name: "params",
    aliases: ["parameters"],
    required: false,
    shape: "dict",
    commandStepKeyword: "params",
  },
  {
    name: "environment_variables",
    aliases: ["env", "env_vars", "variables"],
    required: false,
    shape: "dict",
    commandStepKeyword: "params",
  },
  {
    name: "use_gpu",
    aliases: ["gpu"],
    required: false,
    conflictsWithEnvironmentDefinition: true,
    shape: "bool",
  },
  {
    name: "use_docker",
    aliases: ["docker"],
    required: false,
    shape: "bool",
    commandStepKeyword: "docker_runtime_config",
  },
  {
    name: "custom_docker_image",
    aliases: ["base_image", "image", "docker_image", "container_image"],
    required: false,
    conflictsWithEnvironmentDefinition: true,
    shape: "string",
  },
  {
    name: "image_registry_details",
    aliases: ["registry", "image_registry", "container_registry"],
    required: false,
    conflictsWithEnvironmentDefinition: true,
  },
  {
    name: "user_managed",
    aliases: ["user_managed_dependencies", "managed"],
    required: false,
    conflictsWithEnvironmentDefinition: true,
    shape: "bool",
  },
  {
    name: "conda_packages",
    aliases: ["conda", "conda_deps", "conda_dependencies"],
    required: false,
    conflictsWithEnvironmentDefinition: true,
    shape: "stringList",
  },
  {
    name: "pip_packages",
    aliases: ["pip", "pip_deps", "packages", "pip_dependencies"],
    required: false,
    conflictsWithEnvironmentDefinition: true,
    shape: "stringList",
  },
  {
    name: "pip_requirements_file_path",
    aliases: ["requirements", "requirements_file", "requirements_txt", "pip_requirements"],
    required: false,
    conflictsWithEnvironmentDefinition: true,
    shape: "string",
  },
  {
    name: "environment_definition",
    aliases: ["environment_name", "env_definition", "registered_environment"],
    required: false,
    commandStepKeyword: "environment",
  },
];

const PARAMETER_BY_NAME: ReadonlyMap<string, ParameterSpec> = new Map(
  PARAMETERS.map((spec) => [spec.name, spec]),
);

export const REQUIRED_PARAMETERS: readonly ParameterName[] = PARAMETERS.filter(
  (spec) => spec.required,
).map((spec) => spec.name);

/** The table's entry for `name`, if it is one of MpiStep's parameters. */
export function parameterSpec(name: string): ParameterSpec | undefined {
  return PARAMETER_BY_NAME.get(name);
}

export function isMpiStepParameter(name: string): name is ParameterName {
  return PARAMETER_BY_NAME.has(name);
}

/** Lowercase, separators dropped: how key names are compared with the aliases. */
function keyShape(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

const BY_SHAPE = new Map<string, ParameterName>(
  PARAMETERS.flatMap((spec) =>
    [spec.name, ...(spec.aliases ?? [])].map((alias) => [keyShape(alias), spec.name] as const),
  ),
);

/** The MpiStep parameter a project key most likely means (same name but for case and
 * separators, or a known alias), if any. */
export function nearestParameter(key: string): ParameterName | undefined {
  return BY_SHAPE.get(keyShape(key));
}

/** PythonScriptStep(script_name, name=None, arguments=None, compute_target=None,
 * runconfig=None, runconfig_pipeline_params=None, inputs=None, outputs=None, params=None,
 * source_directory=None, allow_reuse=True, version=None, hash_paths=None). */
export const PYTHON_SCRIPT_STEP_PARAMETERS: readonly ParameterSpec<string>[] = [
  { name: "script_name", position: 0, required: true, shape: "string" },
  { name: "name", position: 1, required: false, shape: "string" },
  { name: "arguments", position: 2, required: false, shape: "list" },
  { name: "compute_target", position: 3, required: false },
  { name: "runconfig", position: 4, required: false },
  { name: "runconfig_pipeline_params", position: 5, required: false, shape: "dict" },
  { name: "inputs", position: 6, required: false, shape: "list" },
  { name: "outputs", position: 7, required: false, shape: "list" },
  { name: "params", position: 8, required: false, shape: "dict" },
  { name: "source_directory", position: 9, required: false, shape: "string" },
  { name: "allow_reuse", position: 10, required: false, shape: "bool" },
  { name: "version", position: 11, required: false, shape: "string" },
  { name: "hash_paths", position: 12, required: false },
];

/** CommandStep(command=None, name=None, compute_target=None, runconfig=None,
 * runconfig_pipeline_params=None, inputs=None, outputs=None, params=None,
 * source_directory=None, allow_reuse=True, version=None). */
export const COMMAND_STEP_PARAMETERS: readonly ParameterSpec<string>[] = [
  { name: "command", position: 0, required: false },
  { name: "name", position: 1, required: false, shape: "string" },
  { name: "compute_target", position: 2, required: false },
  { name: "runconfig", position: 3, required: false },
  { name: "runconfig_pipeline_params", position: 4, required: false, shape: "dict" },
  { name: "inputs", position: 5, required: false, shape: "list" },
  { name: "outputs", position: 6, required: false, shape: "list" },
  { name: "params", position: 7, required: false, shape: "dict" },
  { name: "source_directory", position: 8, required: false, shape: "string" },
  { name: "allow_reuse", position: 9, required: false, shape: "bool" },
  { name: "version", position: 10, required: false, shape: "string" },
];
