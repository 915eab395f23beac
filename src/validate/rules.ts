// The validation rules: each a small pure function from a step (and what the file system
// says about its source folder) to diagnostics. They encode what MpiStep itself checked
// (reference section 1) plus the things a migration must point out.

import path from "node:path";
import { PARAMETERS, REQUIRED_PARAMETERS, type ParameterName } from "../ir/parameters.js";
import {
  argValue,
  literalOf,
  walkValues,
  type SourceSpan,
  type StepDefinition,
  type Value,
} from "../ir/types.js";
import { codeInfo, type Diagnostic, type Severity } from "./codes.js";

export interface ValidationContext {
  frontend: "python" | "notebook" | "json";
  /** Folder that a relative source_directory is read against (the input file's folder). */
  baseDir: string;
  isDirectory(p: string): boolean;
  isFile(p: string): boolean;
}

type Rule = (step: StepDefinition, context: ValidationContext) => Diagnostic[];

export function diagnostic(
  code: string,
  message: string,
  at: { line: number; column: number } | SourceSpan | undefined,
  fallback: { line: number; column: number },
  severity?: Severity,
): Diagnostic {
  const where = at ?? fallback;
  return {
    code,
    severity: severity ?? codeInfo(code)?.severity ?? "error",
    message,
    line: where.line,
    column: where.column,
  };
}

function at(step: StepDefinition, name: string) {
  return step.args.get(name)?.value.span ?? step.args.get(name)?.span;
}

/** A parameter counts as given when present and not None/null. */
function given(step: StepDefinition, name: ParameterName): boolean {
  const value = argValue(step, name);
  return value !== undefined && !(value.kind === "literal" && value.value === null);
}

// With an unresolved **mapping the parameters may come from it: MPI024 reports that instead.
const requiredParameters: Rule = (step) =>
  (step.unresolvedMapping ? [] : REQUIRED_PARAMETERS)
    .filter((name) => !given(step, name))
    .map((name) =>
      diagnostic("MPI001", `required parameter '${name}' is missing or None`, undefined, step),
    );

const counts: Rule = (step) => {
  const out: Diagnostic[] = [];
  for (const name of ["node_count", "process_count_per_node"] as const) {
    const value = argValue(step, name);
    if (!value || !given(step, name)) continue;
    const checked = value.kind === "pipelineParameter" ? value.default : value;
    if (!checked || checked.kind !== "literal") continue;
    const n = checked.value;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
      const what =
        value.kind === "pipelineParameter" ? `default of pipeline parameter '${value.name}'` : name;
      out.push(
        diagnostic(
          "MPI002",
          `${what} must be an integer >= 1, got ${JSON.stringify(n)}`,
          at(step, name),
          step,
        ),
      );
    }
  }
  return out;
};

/** Whether an environment option is set in a way MpiStep's estimator would reject
 * alongside environment_definition (use_gpu / user_managed only when True). */
function environmentOptionSet(step: StepDefinition, name: ParameterName): boolean {
  if (name === "use_gpu" || name === "user_managed")
    return literalOf(argValue(step, name)) === true;
  return given(step, name);
}

const environmentDefinitionConflicts: Rule = (step) => {
  if (!given(step, "environment_definition")) return [];
  const clashing = PARAMETERS.filter(
    (spec) => spec.conflictsWithEnvironmentDefinition && environmentOptionSet(step, spec.name),
  ).map((spec) => spec.name);
  if (clashing.length === 0) return [];
  return [
    diagnostic(
      "MPI003",
      `environment_definition cannot be combined with ${clashing.join(", ")}`,
      at(step, "environment_definition"),
      step,
    ),
  ];
};

const customImageWithoutDocker: Rule = (step) =>
  literalOf(argValue(step, "use_docker")) === false && given(step, "custom_docker_image")
    ? [
        diagnostic(
          "MPI004",
          "custom_docker_image is not allowed when use_docker is False",
          at(step, "use_docker"),
          step,
        ),
      ]
    : [];

const userManagedWithPackages: Rule = (step) => {
  if (literalOf(argValue(step, "user_managed")) !== true) return [];
  const packages = (
    ["conda_packages", "pip_packages", "pip_requirements_file_path"] as const
  ).filter((name) => given(step, name));
  return packages.length
    ? [
        diagnostic(
          "MPI005",
          `user_managed=True cannot be combined with ${packages.join(", ")}`,
          at(step, "user_managed"),
          step,
        ),
      ]
    : [];
};

const SUPPORTED_COMPUTE_TYPES = new Set(["AmlCompute", "BatchAiCompute"]);

const computeTarget: Rule = (step, context) => {
  const value = argValue(step, "compute_target");
  if (!value) return [];
  if (
    value.kind === "compute" &&
    value.computeType &&
    !SUPPORTED_COMPUTE_TYPES.has(value.computeType)
  ) {
    return [
      diagnostic(
        "MPI006",
        `compute target '${value.name}' is a ${value.computeType}; MpiStep only supports AmlCompute`,
        at(step, "compute_target"),
        step,
      ),
    ];
  }
  if (value.kind === "literal" && typeof value.value === "string" && context.frontend !== "json") {
    return [
      diagnostic(
        "MPI007",
        `compute_target is the string '${value.value}'; treated as the name of an AmlCompute cluster`,
        at(step, "compute_target"),
        step,
      ),
    ];
  }
  return [];
};

/** Names of the pipeline parameters used inside `arguments`. */
export function argumentPipelineParameters(step: StepDefinition): string[] {
  const args = argValue(step, "arguments");
  if (!args) return [];
  const names: string[] = [];
  for (const v of walkValues(args))
    if (v.kind === "pipelineParameter" && !names.includes(v.name)) names.push(v.name);
  return names;
}

const paramCollision: Rule = (step) => {
  const used = new Set(argumentPipelineParameters(step));
  const out: Diagnostic[] = [];
  for (const name of ["params", "environment_variables"] as const) {
    const value = argValue(step, name);
    if (value?.kind !== "dict") continue;
    for (const entry of value.entries)
      if (used.has(entry.key))
        out.push(
          diagnostic(
            "MPI008",
            `parameter name '${entry.key}' in ${name} is already in use by a pipeline parameter in arguments`,
            entry.value.span ?? at(step, name),
            step,
          ),
        );
  }
  return out;
};

/** The step's source folder on disk, when it is a literal that exists. */
function sourceFolderOnDisk(step: StepDefinition, context: ValidationContext): string | undefined {
  const dir = literalOf(argValue(step, "source_directory"));
  if (typeof dir !== "string") return undefined;
  const resolved = path.resolve(context.baseDir, dir);
  return context.isDirectory(resolved) ? resolved : undefined;
}

const filesUnderSourceDirectory: Rule = (step, context) => {
  const folder = sourceFolderOnDisk(step, context);
  if (!folder) return [];
  const out: Diagnostic[] = [];
  const checks = [
    ["pip_requirements_file_path", "MPI009", "pip requirements file"],
    ["script_name", "MPI010", "script"],
  ] as const;
  for (const [name, code, what] of checks) {
    const file = literalOf(argValue(step, name));
    if (typeof file === "string" && !context.isFile(path.resolve(folder, file)))
      out.push(
        diagnostic(
          code,
          `${what} '${file}' does not exist under source_directory '${literalOf(argValue(step, "source_directory"))}'`,
          at(step, name),
          step,
        ),
      );
  }
  return out;
};

const deprecatedHashPaths: Rule = (step) =>
  step.args.has("hash_paths")
    ? [
        diagnostic(
          "MPI011",
          "hash_paths is deprecated and has no effect; dropped",
          at(step, "hash_paths"),
          step,
        ),
      ]
    : [];

const ignoredKeywords: Rule = (step) =>
  step.ignored.map((arg) =>
    diagnostic(
      "MPI012",
      `keyword '${arg.name}' is ignored by MpiStep and never took effect; dropped`,
      arg.span ?? arg.value.span,
      step,
    ),
  );

const paramsSpelling: Rule = (step) =>
  step.args.has("params")
    ? [
        diagnostic(
          "MPI013",
          step.args.has("environment_variables")
            ? "both params and environment_variables are given: merged as the step's params; on some SDK builds params had no effect"
            : "params is treated as the step's params (AML_PARAMETER_ variables); on some SDK builds MpiStep read only environment_variables and params had no effect",
          at(step, "params"),
          step,
        ),
      ]
    : [];

const opaqueValues: Rule = (step) => {
  const out: Diagnostic[] = [];
  for (const arg of step.args.values())
    for (const v of walkValues(arg.value))
      if (v.kind === "opaque")
        out.push(
          diagnostic(
            "MPI014",
            `${arg.name}: cannot evaluate '${v.text}'; kept as source text`,
            v.span,
            step,
            "info",
          ),
        );
  return out;
};

type Shape = "string" | "bool" | "list" | "dict" | "stringList";
const SHAPES: Partial<Record<ParameterName, Shape>> = {
  name: "string",
  source_directory: "string",
  script_name: "string",
  arguments: "list",
  inputs: "list",
  outputs: "list",
  allow_reuse: "bool",
  version: "string",
  params: "dict",
  environment_variables: "dict",
  use_gpu: "bool",
  use_docker: "bool",
  user_managed: "bool",
  custom_docker_image: "string",
  conda_packages: "stringList",
  pip_packages: "stringList",
  pip_requirements_file_path: "string",
};

function fitsShape(value: Value, shape: Shape): boolean {
  if (value.kind === "opaque" || value.kind === "pipelineParameter") return true;
  switch (shape) {
    case "string":
      return value.kind === "literal" && typeof value.value === "string";
    case "bool":
      return value.kind === "literal" && typeof value.value === "boolean";
    case "list":
      return value.kind === "list";
    case "dict":
      return value.kind === "dict";
    case "stringList":
      return (
        value.kind === "list" &&
        value.items.every(
          (item) =>
            item.kind === "opaque" || (item.kind === "literal" && typeof item.value === "string"),
        )
      );
  }
}

const valueTypes: Rule = (step) => {
  const out: Diagnostic[] = [];
  for (const [name, shape] of Object.entries(SHAPES) as Array<[ParameterName, Shape]>) {
    const value = argValue(step, name);
    if (!value || !given(step, name) || fitsShape(value, shape)) continue;
    // A string script or version from JSON numbers is still a type error MpiStep would surface.
    out.push(
      diagnostic(
        "MPI015",
        `${name} must be ${shape === "stringList" ? "a list of strings" : `a ${shape}`}`,
        at(step, name),
        step,
      ),
    );
  }
  return out;
};

const unresolvedMapping: Rule = (step) =>
  step.unresolvedMapping
    ? [diagnostic("MPI024", `cannot resolve **${step.unresolvedMapping}`, undefined, step)]
    : [];

const RULES: readonly Rule[] = [
  requiredParameters,
  counts,
  environmentDefinitionConflicts,
  customImageWithoutDocker,
  userManagedWithPackages,
  computeTarget,
  paramCollision,
  filesUnderSourceDirectory,
  deprecatedHashPaths,
  ignoredKeywords,
  paramsSpelling,
  opaqueValues,
  valueTypes,
  unresolvedMapping,
];

export function validateStep(step: StepDefinition, context: ValidationContext): Diagnostic[] {
  return RULES.flatMap((rule) => rule(step, context)).sort(
    (a, b) => a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}

/** Options the conversion drops, whatever the target: deprecated hash_paths and keywords
 * MpiStep never read. */
export function droppedOptions(step: StepDefinition): Array<{ option: string; reason: string }> {
  const dropped: Array<{ option: string; reason: string }> = [];
  if (step.args.has("hash_paths"))
    dropped.push({ option: "hash_paths", reason: "deprecated; MpiStep ignored it (MPI011)" });
  for (const arg of step.ignored)
    dropped.push({ option: arg.name, reason: "ignored by MpiStep; it never took effect (MPI012)" });
  return dropped;
}
