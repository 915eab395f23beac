// The single table of MpiStep's parameters (docs/semantics.md, "MpiStep" and "Field map"). Validators,
// frontends (positional order), backends and the report read it; no other module
// lists parameter names again.

import type { Scalar } from "./types.js";

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

export interface ParameterSpec {
  name: ParameterName;
  /** Index in MpiStep's positional signature; keyword-only parameters have none. */
  position?: number;
  required: boolean;
  /** MpiStep's default (undefined: None / not given). */
  default?: Scalar;
  /** Why the parameter is deprecated, when it is. */
  deprecated?: string;
  /** Environment options that MpiStep rejected together with environment_definition. */
  conflictsWithEnvironmentDefinition?: boolean;
  commandStep: string;
  v2: string;
  /** Other spellings projects use for it (matched case- and separator-blind), from
   * which a suggested --key-map is built for a project-format JSON entry. */
  aliases?: readonly string[];
}

export const PARAMETERS: readonly ParameterSpec[] = [
  {
    name: "name",
    aliases: ["step_name", "title", "id"],
    position: 0,
    required: true,
    commandStep: "name",
    v2: "display_name",
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
    commandStep: "ScriptRunConfig(source_directory=)",
    v2: "code",
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
    commandStep: 'command=["python <script>", ...]',
    v2: "command",
  },
  {
    name: "arguments",
    aliases: ["args", "argv", "script_args", "script_arguments", "cli_args"],
    position: 3,
    required: true,
    commandStep: "command",
    v2: "command",
  },
  {
    name: "compute_target",
    aliases: ["compute", "cluster", "target", "compute_name", "cluster_name"],
    position: 4,
    required: true,
    commandStep: "ScriptRunConfig(compute_target=)",
    v2: "compute",
  },
  {
    name: "node_count",
    aliases: ["nodes", "num_nodes", "node_num", "instance_count", "instances", "n_nodes"],
    position: 5,
    required: true,
    commandStep: "MpiConfiguration(node_count=)",
    v2: "resources.instance_count",
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
    commandStep: "MpiConfiguration(process_count_per_node=)",
    v2: "distribution.process_count_per_instance",
  },
  {
    name: "inputs",
    aliases: ["input", "in"],
    position: 7,
    required: false,
    commandStep: "inputs",
    v2: "inputs",
  },
  {
    name: "outputs",
    aliases: ["output", "out"],
    position: 8,
    required: false,
    commandStep: "outputs",
    v2: "outputs",
  },
  {
    name: "allow_reuse",
    aliases: ["reuse", "cache"],
    position: 9,
    required: false,
    default: true,
    commandStep: "allow_reuse",
    v2: "is_deterministic (component)",
  },
  {
    name: "version",
    aliases: ["step_version"],
    position: 10,
    required: false,
    commandStep: "version",
    v2: "component version",
  },
  {
    name: "hash_paths",
    position: 11,
    required: false,
    deprecated:
      "deprecated and no longer needed: MpiStep only logged a warning and hashed the whole source_directory",
    commandStep: "(dropped)",
    v2: "(dropped)",
  },
  {
    name: "params",
    aliases: ["parameters"],
    required: false,
    commandStep: "params",
    v2: "environment_variables",
  },
  {
    name: "environment_variables",
    aliases: ["env", "env_vars", "variables"],
    required: false,
    commandStep: "params",
    v2: "environment_variables",
  },
  {
    name: "use_gpu",
    aliases: ["gpu"],
    required: false,
    default: false,
    conflictsWithEnvironmentDefinition: true,
    commandStep: "Environment base image",
    v2: "environment.image",
  },
  {
    name: "use_docker",
    aliases: ["docker"],
    required: false,
    default: true,
    commandStep: "DockerConfiguration(use_docker=)",
    v2: "(always containers)",
  },
  {
    name: "custom_docker_image",
    aliases: ["base_image", "image", "docker_image", "container_image"],
    required: false,
    conflictsWithEnvironmentDefinition: true,
    commandStep: "Environment.docker.base_image",
    v2: "environment.image",
  },
  {
    name: "image_registry_details",
    aliases: ["registry", "image_registry", "container_registry"],
    required: false,
    conflictsWithEnvironmentDefinition: true,
    commandStep: "Environment.docker.base_image_registry",
    v2: "(registered environment)",
  },
  {
    name: "user_managed",
    aliases: ["user_managed_dependencies", "managed"],
    required: false,
    default: false,
    conflictsWithEnvironmentDefinition: true,
    commandStep: "Environment.python.user_managed_dependencies",
    v2: "environment without conda_file",
  },
  {
    name: "conda_packages",
    aliases: ["conda", "conda_deps", "conda_dependencies"],
    required: false,
    conflictsWithEnvironmentDefinition: true,
    commandStep: "CondaDependencies.create(conda_packages=)",
    v2: "conda file dependencies",
  },
  {
    name: "pip_packages",
    aliases: ["pip", "pip_deps", "packages", "pip_dependencies"],
    required: false,
    conflictsWithEnvironmentDefinition: true,
    commandStep: "CondaDependencies.create(pip_packages=)",
    v2: "conda file pip list",
  },
  {
    name: "pip_requirements_file_path",
    aliases: ["requirements", "requirements_file", "requirements_txt", "pip_requirements"],
    required: false,
    conflictsWithEnvironmentDefinition: true,
    commandStep: "CondaDependencies.create(pip_packages=) (file lines)",
    v2: "conda file pip list (file lines)",
  },
  {
    name: "environment_definition",
    aliases: ["environment_name", "env_definition", "registered_environment"],
    required: false,
    commandStep: "ScriptRunConfig(environment=)",
    v2: "environment",
  },
];

const PARAMETER_BY_NAME: ReadonlyMap<string, ParameterSpec> = new Map(
  PARAMETERS.map((spec) => [spec.name, spec]),
);

/** Parameters in positional order, for mapping positional call arguments. */
export const POSITIONAL_PARAMETERS: readonly ParameterName[] = PARAMETERS.filter(
  (spec) => spec.position !== undefined,
)
  .sort((a, b) => a.position! - b.position!)
  .map((spec) => spec.name);

export const REQUIRED_PARAMETERS: readonly ParameterName[] = PARAMETERS.filter(
  (spec) => spec.required,
).map((spec) => spec.name);

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
