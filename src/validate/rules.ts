// The validation rules: what MpiStep itself checked (docs/semantics.md, "MpiStep") plus
// what a migration must point out. Each rule is its code, severity, title and
// explanation beside its check, a small pure function from a step (and what the file
// system says of its source folder) to findings; the runner stamps the code. Adding a
// rule is one entry here plus its test (docs/architecture.md).

import { isNumber } from "../ir/numbers.js";
import path from "node:path";
import type { Diagnostic, Position, Severity } from "../diagnostics/model.js";
import {
  nearestParameter,
  PARAMETERS,
  REQUIRED_PARAMETERS,
  type ParameterName,
  type ValueShape,
} from "../ir/parameters.js";
import { STEP_KINDS, type StepKind } from "../ir/step-kinds.js";
import {
  argumentPipelineParameters,
  argValue,
  givenValue,
  literalOf,
  shown,
  shownScalar,
  walkValues,
  type StepDefinition,
  type Value,
} from "../ir/types.js";

export interface ValidationContext {
  frontend: "python" | "notebook" | "json";
  /** Folder that a relative source_directory is read against (the input file's folder). */
  baseDir: string;
  isDirectory(p: string): boolean;
  /** Whether the file exists, or the notebook itself writes it (`%%writefile`). */
  isFile(p: string): boolean;
  /** Files a notebook's `%%writefile` cells write (absolute paths). */
  writtenByNotebook?: ReadonlySet<string>;
}

/** What a check reports, before the rule stamps its code on it (making a Diagnostic):
 * the message, where (default: the step), and a severity when it differs from the
 * rule's. */
export interface CheckResult {
  message: string;
  at?: Position;
  severity?: Severity;
}

type Check = (step: StepDefinition, context: ValidationContext) => CheckResult[];

interface Rule {
  /** The step kinds the rule checks (MpiStep when not given). */
  kinds?: readonly StepKind[];
  severity: Severity;
  title: string;
  explanation: string;
  check: Check;
}

function at(step: StepDefinition, name: string): Position | undefined {
  return step.args.get(name)?.value.span ?? step.args.get(name)?.span;
}

/** A parameter counts as given when present and not None/null. */
function given(step: StepDefinition, name: ParameterName): boolean {
  return givenValue(step, name) !== undefined;
}

/** Whether an environment option is set in a way MpiStep's estimator would reject
 * alongside environment_definition (use_gpu / user_managed only when True). */
function environmentOptionSet(step: StepDefinition, name: ParameterName): boolean {
  if (name === "use_gpu" || name === "user_managed")
    return literalOf(argValue(step, name)) === true;
  return given(step, name);
}

/** A CommandStep without a command, whose runconfig is a ScriptRunConfig without one
 * either (v1 raises; a runconfig the tool cannot read is given the benefit of the doubt). */
function lacksCommand(step: StepDefinition): boolean {
  if (givenValue(step, "command")) return false;
  const runConfig = givenValue(step, "runconfig");
  if (!runConfig) return true;
  if (runConfig.kind !== "constructed" || runConfig.type !== "ScriptRunConfig") return false;
  const command = runConfig.args.command;
  return !command || (command.kind === "literal" && command.value === null);
}

const SUPPORTED_COMPUTE_TYPES = new Set(["AmlCompute", "BatchAiCompute"]);

/** The step's source folder on disk, when it is a literal that exists. */
function sourceFolderOnDisk(step: StepDefinition, context: ValidationContext): string | undefined {
  const dir = literalOf(argValue(step, "source_directory"));
  if (typeof dir !== "string") return undefined;
  const resolved = path.resolve(context.baseDir, dir);
  return context.isDirectory(resolved) ? resolved : undefined;
}

/** A file MpiStep expects under source_directory that is not there. */
function missingUnderSource(
  step: StepDefinition,
  context: ValidationContext,
  name: "pip_requirements_file_path" | "script_name",
  what: string,
): CheckResult[] {
  const folder = sourceFolderOnDisk(step, context);
  const file = literalOf(argValue(step, name));
  if (!folder || typeof file !== "string" || context.isFile(path.resolve(folder, file))) return [];
  return [
    {
      message: `${what} '${file}' does not exist under source_directory '${literalOf(argValue(step, "source_directory"))}'`,
      at: at(step, name),
    },
  ];
}

function fitsShape(value: Value, shape: ValueShape): boolean {
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

export const RULES = {
  MPI001: {
    severity: "error",
    title: "Required MpiStep parameter missing",
    explanation:
      "MpiStep raises ValueError when any of name, source_directory, script_name, arguments, compute_target, node_count or process_count_per_node is None (an empty arguments list is accepted). The step never constructed, so it is reported invalid and not converted.",
    // With an unresolved **mapping the parameters may come from it: MPI024 reports that.
    // One finding names them all: each is the same fault at the same place.
    check: (step) => {
      const missing = (step.unresolvedMapping ? [] : REQUIRED_PARAMETERS)
        .filter((name) => !given(step, name))
        .map((name) => `'${name}'`);
      if (!missing.length) return [];
      return [
        {
          message:
            missing.length === 1
              ? `required parameter ${missing[0]} is missing or None`
              : `required parameters ${missing.join(", ")} are missing or None`,
        },
      ];
    },
  },
  MPI002: {
    severity: "error",
    title: "Node or process count is not an integer of at least 1",
    explanation:
      "node_count and process_count_per_node must each be an integer >= 1 or a PipelineParameter (MpiStep raises 'Node count should be at least 1.' / 'Process count per node should be at least 1.'). A literal of another type or below 1 makes the step invalid.",
    check: (step) =>
      (["node_count", "process_count_per_node"] as const).flatMap((name) => {
        const value = argValue(step, name);
        if (!value || !given(step, name)) return [];
        const checked = value.kind === "pipelineParameter" ? value.default : value;
        if (!checked || checked.kind !== "literal") return [];
        const n = checked.value;
        if (isNumber(n) && Number.isInteger(n.value) && n.value >= 1) return [];
        const what =
          value.kind === "pipelineParameter"
            ? `default of pipeline parameter '${value.name}'`
            : name;
        return [
          {
            message: `${what} must be an integer >= 1, got ${shownScalar(n)}`,
            at: at(step, name),
          },
        ];
      }),
  },
  MPI003: {
    severity: "error",
    title: "environment_definition combined with an environment option",
    explanation:
      "When environment_definition is given, MpiStep's estimator rejects pip_packages, pip_requirements_file_path, conda_packages, custom_docker_image, image_registry_details, use_gpu=True and user_managed=True ('If environment_definition parameter is specified, the following parameters cannot be specified'). use_docker is not in that list.",
    check: (step) => {
      if (!given(step, "environment_definition")) return [];
      const clashing = PARAMETERS.filter(
        (spec) => spec.conflictsWithEnvironmentDefinition && environmentOptionSet(step, spec.name),
      ).map((spec) => spec.name);
      if (clashing.length === 0) return [];
      return [
        {
          message: `environment_definition cannot be combined with ${clashing.join(", ")}`,
          at: at(step, "environment_definition"),
        },
      ];
    },
  },
  MPI004: {
    severity: "error",
    title: "use_docker=False with custom_docker_image",
    explanation:
      "MpiStep rejects a custom_docker_image when use_docker is False ('If use_docker parameter is set to false, custom_docker_image ... is not allowed').",
    check: (step) =>
      literalOf(argValue(step, "use_docker")) === false && given(step, "custom_docker_image")
        ? [
            {
              message: "custom_docker_image is not allowed when use_docker is False",
              at: at(step, "use_docker"),
            },
          ]
        : [],
  },
  MPI005: {
    severity: "error",
    title: "user_managed=True with packages",
    explanation:
      "With user_managed=True Azure ML does not build a Python environment, so MpiStep rejects conda_packages, pip_packages and pip_requirements_file_path alongside it.",
    check: (step) => {
      if (literalOf(argValue(step, "user_managed")) !== true) return [];
      const packages = (
        ["conda_packages", "pip_packages", "pip_requirements_file_path"] as const
      ).filter((name) => given(step, name));
      return packages.length
        ? [
            {
              message: `user_managed=True cannot be combined with ${packages.join(", ")}`,
              at: at(step, "user_managed"),
            },
          ]
        : [];
    },
  },
  MPI006: {
    severity: "error",
    title: "Compute target is not AmlCompute",
    explanation:
      "MpiStep only accepts an AmlCompute cluster ('AmlCompute is the only supported compute_target'). A compute target known to be of another type (ComputeInstance, RemoteCompute, Databricks, ...) makes the step invalid.",
    check: (step) => {
      const value = argValue(step, "compute_target");
      if (
        value?.kind !== "compute" ||
        !value.computeType ||
        SUPPORTED_COMPUTE_TYPES.has(value.computeType)
      )
        return [];
      return [
        {
          message: `compute target '${value.name}' is a ${value.computeType}; MpiStep only supports AmlCompute`,
          at: at(step, "compute_target"),
        },
      ];
    },
  },
  MPI007: {
    severity: "warning",
    title: "Compute target given as a plain string",
    explanation:
      "MpiStep's check reads compute_target.type, so a plain string fails at construction on some SDK builds. The tool treats the string as the cluster's name. In JSON step definitions a string is the normal form and is not reported.",
    check: (step, context) => {
      const value = argValue(step, "compute_target");
      if (
        value?.kind !== "literal" ||
        typeof value.value !== "string" ||
        context.frontend === "json"
      )
        return [];
      return [
        {
          message: `compute_target is the string '${value.value}'; treated as the name of an AmlCompute cluster`,
          at: at(step, "compute_target"),
        },
      ];
    },
  },
  MPI008: {
    severity: "error",
    title: "Param name collides with a pipeline parameter used in arguments",
    explanation:
      "PipelineParameters that appear in arguments are registered as step params under their own name. A params / environment_variables entry with the same name makes MpiStep raise 'Parameter name X is already in use'.",
    check: (step) => {
      const used = new Set(argumentPipelineParameters(step));
      return (["params", "environment_variables"] as const).flatMap((name) => {
        const value = argValue(step, name);
        if (value?.kind !== "dict") return [];
        return value.entries
          .filter((entry) => used.has(entry.key))
          .map((entry) => ({
            message: `parameter name '${entry.key}' in ${name} is already in use by a pipeline parameter in arguments`,
            at: entry.value.span ?? at(step, name),
          }));
      });
    },
  },
  MPI009: {
    severity: "error",
    title: "pip requirements file not found under source_directory",
    explanation:
      "MpiStep resolves pip_requirements_file_path relative to source_directory and raises when the file does not exist ('The pip requirements file should be inside the project folder'). Checked only when source_directory exists on disk.",
    check: (step, context) =>
      missingUnderSource(step, context, "pip_requirements_file_path", "pip requirements file"),
  },
  MPI010: {
    kinds: ["MpiStep", "PythonScriptStep"],
    severity: "error",
    title: "script_name not found under source_directory",
    explanation:
      "The script an MpiStep (or a PythonScriptStep of its pipeline) runs is source_directory/script_name. When source_directory exists on disk and the script is not in it, the step cannot run. Checked only when source_directory exists on disk.",
    check: (step, context) => missingUnderSource(step, context, "script_name", "script"),
  },
  MPI011: {
    severity: "warning",
    title: "Deprecated hash_paths dropped",
    explanation:
      "hash_paths is deprecated and has no effect: MpiStep only logs a warning and hashes the whole source_directory (minus .amlignore / .gitignore). CommandStep and v2 have no such parameter, so it is dropped and listed in the report.",
    check: (step) =>
      step.args.has("hash_paths")
        ? [
            {
              message: "hash_paths is deprecated and has no effect; dropped",
              at: at(step, "hash_paths"),
            },
          ]
        : [],
  },
  MPI012: {
    severity: "warning",
    title: "Keyword ignored by MpiStep dropped",
    explanation:
      "MpiStep silently ignores keyword arguments it does not know (runconfig= is common in real code). They never had an effect, so the conversion drops them and lists them in the report.",
    check: (step) =>
      step.ignored.map((arg) => ({
        message: `keyword '${arg.name}' is ignored by MpiStep and never took effect; dropped`,
        at: arg.span ?? arg.value.span,
      })),
  },
  MPI013: {
    severity: "warning",
    title: "params spelling: may have had no effect",
    explanation:
      "MpiStep documents params, but its last public source reads environment_variables and hands that on as the step's params; on such builds params had no effect. The tool treats both as the step's params (AML_PARAMETER_<name> environment variables); check that the run needs them.",
    check: (step) =>
      step.args.has("params")
        ? [
            {
              message: step.args.has("environment_variables")
                ? "both params and environment_variables are given: merged as the step's params; on some SDK builds params had no effect"
                : "params is treated as the step's params (AML_PARAMETER_ variables); on some SDK builds MpiStep read only environment_variables and params had no effect",
              at: at(step, "params"),
            },
          ]
        : [],
  },
  MPI014: {
    severity: "info",
    title: "Value could not be evaluated",
    explanation:
      "The expression is not a literal, a known Azure ML constructor or a name bound to one, so the tool keeps it as opaque source text. check and the in-place CommandStep rewrite carry the text over unchanged, and report it as info. The v2 targets cannot evaluate it: they report it as a warning at the same place, mark it with a TODO and the step for manual work. Either way --set PARAM=VALUE (or --set STEP:PARAM=VALUE) supplies the value.",
    // Validation only notes the text; a target that cannot carry it reports the same
    // place as a warning with a TODO, which replaces this finding (stages/analyse.ts).
    check: (step) =>
      [...step.args.values()].flatMap((arg) =>
        [...walkValues(arg.value)]
          .filter((v) => v.kind === "opaque")
          .map((v) => ({
            message: `${arg.name}: cannot evaluate '${shown(v)}'; kept as source text (--set ${arg.name}=VALUE supplies the value)`,
            at: v.span,
          })),
      ),
  },
  MPI015: {
    severity: "error",
    title: "Value has the wrong type",
    explanation:
      "A parameter holds a value of a type MpiStep cannot take (for example arguments that is not a list, a name that is not a string, allow_reuse that is not a boolean, or null where a list is required).",
    check: (step) =>
      PARAMETERS.flatMap(({ name, shape }) => {
        if (!shape) return [];
        const value = argValue(step, name);
        if (!value || !given(step, name) || fitsShape(value, shape)) return [];
        return [
          {
            message: `${name} must be ${shape === "stringList" ? "a list of strings" : `a ${shape}`}`,
            at: at(step, name),
          },
        ];
      }),
  },
  MPI038: {
    severity: "warning",
    title: "JSON entry looks like a project format",
    explanation:
      'Most keys of a JSON step entry are not MpiStep parameter names, so the entry is probably in a project\'s own format ("script" for script_name, "processes_per_node" for process_count_per_node, ...). The message suggests a --key-map built from the keys that match a parameter but for case and separators, or a common alias; check it, save it as a file and pass --key-map FILE.',
    check: (step, context) => {
      if (context.frontend !== "json" || step.ignored.length <= step.args.size) return [];
      const suggestion: Record<string, string> = {};
      for (const { name } of step.ignored) {
        const parameter = nearestParameter(name);
        if (
          parameter &&
          !step.args.has(parameter) &&
          !Object.values(suggestion).includes(parameter)
        )
          suggestion[name] = parameter;
      }
      const keys = step.ignored.map((arg) => arg.name).join(", ");
      return [
        {
          message: Object.keys(suggestion).length
            ? `most keys are not MpiStep parameters (${keys}): this looks like a project format; suggested --key-map: ${JSON.stringify(suggestion)}`
            : `most keys are not MpiStep parameters (${keys}): this looks like a project format; map its keys with --key-map`,
        },
      ];
    },
  },
  MPI039: {
    severity: "info",
    title: "Script written by the notebook",
    explanation:
      "The step's script is written by a %%writefile cell of the same notebook (as Azure ML's sample notebooks do), so it counts as there for MpiStep's script check. A v2 job uploads its code folder when it is submitted: run those cells, and commit the folder, before submitting the converted job.",
    check: (step, context) => {
      const dir = literalOf(argValue(step, "source_directory"));
      const script = literalOf(argValue(step, "script_name"));
      if (typeof dir !== "string" || typeof script !== "string") return [];
      const file = path.resolve(context.baseDir, dir, script);
      return context.writtenByNotebook?.has(file)
        ? [
            {
              message: `script '${script}' is written by this notebook's %%writefile cell: run it, and commit '${dir}', before submitting`,
              at: at(step, "script_name"),
            },
          ]
        : [];
    },
  },
  MPI046: {
    kinds: ["PythonScriptStep", "CommandStep"],
    severity: "error",
    title: "A step around the MpiStep is not a valid call",
    explanation:
      "A PythonScriptStep or CommandStep of the pipeline is called in a way v1 rejects: a required parameter is missing (PythonScriptStep's script_name; a CommandStep's command, given directly or by its ScriptRunConfig), a parameter has the wrong type, or a keyword the class does not take is given (unlike MpiStep, these classes raise TypeError on unknown keywords). The step is left out of a converted pipeline, which keeps a TODO for it.",
    check: (step) => [
      ...STEP_KINDS[step.kind].parameters
        .filter((spec) => spec.required && !givenValue(step, spec.name) && !step.unresolvedMapping)
        .map((spec) => ({ message: `${step.kind} requires ${spec.name}` })),
      ...STEP_KINDS[step.kind].parameters.flatMap(({ name, shape }) => {
        const value = argValue(step, name);
        if (!shape || !value || !givenValue(step, name) || fitsShape(value, shape)) return [];
        return [{ message: `${name} must be a ${shape}`, at: at(step, name) }];
      }),
      ...step.ignored.map((arg) => ({
        message: `${step.kind} takes no keyword '${arg.name}' (TypeError in v1)`,
        at: arg.span,
      })),
      ...(step.kind === "CommandStep" && lacksCommand(step)
        ? [{ message: "command is required either from command directly or runconfig" }]
        : []),
    ],
  },
  MPI024: {
    severity: "warning",
    title: "Keyword mapping could not be resolved",
    explanation:
      "MpiStep is called with **mapping whose entries are not a dict literal or a name bound to one, so the tool cannot know which parameters it sets. The step is marked for manual work.",
    check: (step) =>
      step.unresolvedMapping ? [{ message: `cannot resolve **${step.unresolvedMapping}` }] : [],
  },
} as const satisfies Record<string, Rule>;

export type RuleCode = keyof typeof RULES;

/** Every rule's findings for one step (the rules of its kind), in source order. An entry
 * in a project's own format (MPI038) names its keys there, with the key map to read them:
 * they get no "ignored keyword" finding each (MPI012). */
export function validateStep(step: StepDefinition, context: ValidationContext): Diagnostic[] {
  const found = (Object.entries(RULES) as Array<[RuleCode, Rule]>)
    .filter(([, rule]) => (rule.kinds ?? ["MpiStep"]).includes(step.kind))
    .flatMap(([code, rule]) =>
      rule.check(step, context).map((finding): Diagnostic => ({
        code,
        severity: finding.severity ?? rule.severity,
        message: finding.message,
        line: (finding.at ?? step).line,
        column: (finding.at ?? step).column,
      })),
    )
    .sort(
      (a, b) =>
        a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    );
  const projectFormat = found.some((d) => d.code === "MPI038");
  return projectFormat ? found.filter((d) => d.code !== "MPI012") : found;
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
