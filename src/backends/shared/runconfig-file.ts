// A run configuration loaded from a file of the repository (`RunConfiguration.load`): the
// YAML azureml-core saves (`target`, `nodeCount`, `environment` with `docker`, `python`
// and `environmentVariables`), read into the same value code-built run configurations
// are (docs/semantics.md, "Run configurations"). What the file sets that the tool does
// not carry (data bindings, another framework or communicator, a conda file of its own)
// becomes text the job turns into a TODO.

import { pythonNumberLiteral } from "../../ir/numbers.js";
import type { BuiltEnvironment, CondaSpec, RunConfigValue, Value } from "../../ir/types.js";
import type { ConvertContext } from "../types.js";
import { parseYaml } from "./yaml.js";

type Mapping = Record<string, unknown>;

function mapping(value: unknown): Mapping | undefined {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Mapping)
    : undefined;
}

function literal(value: unknown): Value | undefined {
  if (typeof value === "string" || typeof value === "boolean" || value === null)
    return { kind: "literal", value };
  if (typeof value === "number") {
    const number = pythonNumberLiteral(String(value));
    return number && { kind: "literal", value: number };
  }
  return undefined;
}

/** A conda specification written inline (`condaDependencies: {channels, dependencies}`). */
function condaOf(spec: Mapping, unevaluated: string[]): CondaSpec {
  const conda: CondaSpec = { channels: [], condaPackages: [], pipPackages: [], pipOptions: [] };
  if (Array.isArray(spec.channels))
    conda.channels = spec.channels.filter((c): c is string => typeof c === "string");
  for (const item of Array.isArray(spec.dependencies) ? spec.dependencies : []) {
    const pip = mapping(item)?.pip;
    if (Array.isArray(pip))
      for (const entry of pip)
        if (typeof entry === "string")
          (entry.startsWith("-") ? conda.pipOptions : conda.pipPackages).push(entry);
    if (typeof item !== "string" || item === "pip") continue;
    const python = /^python\s*=+\s*(\S+)$/.exec(item);
    if (python) conda.python = python[1];
    else conda.condaPackages.push(item);
  }
  if (!Array.isArray(spec.dependencies)) unevaluated.push("environment.python.condaDependencies");
  return conda;
}

/** The file's environment section as a built environment. */
function environmentOf(env: Mapping): BuiltEnvironment {
  const built: BuiltEnvironment = { variables: [], unevaluated: [] };
  const docker = mapping(env.docker) ?? {};
  const python = mapping(env.python) ?? {};
  if (typeof docker.enabled === "boolean") built.dockerEnabled = docker.enabled;
  if (typeof docker.baseImage === "string") built.baseImage = docker.baseImage;
  if (typeof docker.baseDockerfile === "string") built.baseDockerfile = docker.baseDockerfile;
  if (typeof python.userManagedDependencies === "boolean")
    built.userManaged = python.userManagedDependencies;
  if (typeof python.interpreterPath === "string" && python.interpreterPath !== "python")
    built.interpreterPath = python.interpreterPath;
  const conda = mapping(python.condaDependencies);
  if (conda) built.conda = condaOf(conda, built.unevaluated);
  else if (python.condaDependenciesFile)
    built.unevaluated.push(`condaDependenciesFile: ${String(python.condaDependenciesFile)}`);
  else
    built.conda = {
      channels: [],
      condaPackages: [],
      pipPackages: ["azureml-defaults"],
      pipOptions: [],
    };
  for (const [key, value] of Object.entries(mapping(env.environmentVariables) ?? {})) {
    const variable = literal(value);
    if (variable) built.variables.push({ key, value: variable });
    else built.unevaluated.push(`environmentVariables.${key}`);
  }
  return built;
}

/** The run configuration a loaded file holds; unchanged when it names no file. */
export function loadedRunConfig(value: RunConfigValue, context: ConvertContext): RunConfigValue {
  if (value.file === undefined) return value;
  const read = context.readSourceFile(value.file);
  if ("error" in read)
    return { ...value, unevaluated: [...value.unevaluated, `runconfig file: ${read.error}`] };
  let document: Mapping | undefined;
  try {
    document = mapping(parseYaml(read.text));
  } catch {
    document = undefined;
  }
  if (!document)
    return {
      ...value,
      unevaluated: [...value.unevaluated, `runconfig file '${value.file}' is not a YAML mapping`],
    };
  const unevaluated = [...value.unevaluated];
  if (document.framework !== undefined && String(document.framework).toLowerCase() !== "python")
    unevaluated.push(`framework: ${String(document.framework)}`);
  if (document.communicator !== undefined && String(document.communicator) !== "None")
    unevaluated.push(`communicator: ${String(document.communicator)}`);
  for (const key of ["data", "dataReferences", "outputData"])
    if (Object.keys(mapping(document[key]) ?? {}).length) unevaluated.push(`${key} bindings`);
  return {
    kind: "runConfig",
    ...(document.target !== undefined ? { target: literal(document.target) } : {}),
    ...(document.nodeCount !== undefined ? { nodeCount: literal(document.nodeCount) } : {}),
    built: environmentOf(mapping(document.environment) ?? {}),
    unevaluated,
  };
}
