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
}

export const PARAMETERS: readonly ParameterSpec[] = [
  { name: "name", position: 0, required: true, commandStep: "name", v2: "display_name" },
  {
    name: "source_directory",
    position: 1,
    required: true,
    commandStep: "ScriptRunConfig(source_directory=)",
    v2: "code",
  },
  {
    name: "script_name",
    position: 2,
    required: true,
    commandStep: 'command=["python <script>", ...]',
    v2: "command",
  },
  { name: "arguments", position: 3, required: true, commandStep: "command", v2: "command" },
  {
    name: "compute_target",
    position: 4,
    required: true,
    commandStep: "ScriptRunConfig(compute_target=)",
    v2: "compute",
  },
  {
    name: "node_count",
    position: 5,
    required: true,
    commandStep: "MpiConfiguration(node_count=)",
    v2: "resources.instance_count",
  },
  {
    name: "process_count_per_node",
    position: 6,
    required: true,
    commandStep: "MpiConfiguration(process_count_per_node=)",
    v2: "distribution.process_count_per_instance",
  },
  { name: "inputs", position: 7, required: false, commandStep: "inputs", v2: "inputs" },
  { name: "outputs", position: 8, required: false, commandStep: "outputs", v2: "outputs" },
  {
    name: "allow_reuse",
    position: 9,
    required: false,
    default: true,
    commandStep: "allow_reuse",
    v2: "is_deterministic (component)",
  },
  {
    name: "version",
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
  { name: "params", required: false, commandStep: "params", v2: "environment_variables" },
  {
    name: "environment_variables",
    required: false,
    commandStep: "params",
    v2: "environment_variables",
  },
  {
    name: "use_gpu",
    required: false,
    default: false,
    conflictsWithEnvironmentDefinition: true,
    commandStep: "Environment base image",
    v2: "environment.image",
  },
  {
    name: "use_docker",
    required: false,
    default: true,
    commandStep: "DockerConfiguration(use_docker=)",
    v2: "(always containers)",
  },
  {
    name: "custom_docker_image",
    required: false,
    conflictsWithEnvironmentDefinition: true,
    commandStep: "Environment.docker.base_image",
    v2: "environment.image",
  },
  {
    name: "image_registry_details",
    required: false,
    conflictsWithEnvironmentDefinition: true,
    commandStep: "Environment.docker.base_image_registry",
    v2: "(registered environment)",
  },
  {
    name: "user_managed",
    required: false,
    default: false,
    conflictsWithEnvironmentDefinition: true,
    commandStep: "Environment.python.user_managed_dependencies",
    v2: "environment without conda_file",
  },
  {
    name: "conda_packages",
    required: false,
    conflictsWithEnvironmentDefinition: true,
    commandStep: "CondaDependencies.create(conda_packages=)",
    v2: "conda file dependencies",
  },
  {
    name: "pip_packages",
    required: false,
    conflictsWithEnvironmentDefinition: true,
    commandStep: "CondaDependencies.create(pip_packages=)",
    v2: "conda file pip list",
  },
  {
    name: "pip_requirements_file_path",
    required: false,
    conflictsWithEnvironmentDefinition: true,
    commandStep: "CondaDependencies.create(pip_packages=) (file lines)",
    v2: "conda file pip list (file lines)",
  },
  {
    name: "environment_definition",
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
