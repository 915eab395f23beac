// How MpiStep's environment options combine into one environment (docs/semantics.md,
// "Environment"), as a plan both the CommandStep and the v2 backends render. Values stay IR values so each
// backend can print source text (v1) or literal values (v2).

import {
  argValue,
  givenValue,
  literalOf,
  shown,
  type StepDefinition,
  type Value,
} from "../../ir/types.js";
import type { ConvertContext } from "../types.js";

export type EnvironmentPlan =
  /** No environment option: the default environment (DEFAULT_CPU_IMAGE, default conda). */
  | { kind: "default" }
  /** environment_definition given: used as-is. */
  | { kind: "given"; value: Value }
  /** Built from the options, as MpiStep's estimator did. */
  | {
      kind: "built";
      /** use_gpu value (literal or expression); undefined when not given. */
      useGpu?: Value;
      customImage?: Value;
      registry?: Value;
      userManaged?: Value;
      condaPackages?: Value;
      pipPackages?: Value;
      requirementsFile?: Value;
    };

export function planEnvironment(step: StepDefinition): EnvironmentPlan {
  const given = givenValue(step, "environment_definition");
  if (given) return { kind: "given", value: given };
  const plan = {
    kind: "built" as const,
    useGpu:
      literalOf(argValue(step, "use_gpu")) === false ? undefined : givenValue(step, "use_gpu"),
    customImage: givenValue(step, "custom_docker_image"),
    registry: givenValue(step, "image_registry_details"),
    userManaged:
      literalOf(argValue(step, "user_managed")) === false
        ? undefined
        : givenValue(step, "user_managed"),
    condaPackages: givenValue(step, "conda_packages"),
    pipPackages: givenValue(step, "pip_packages"),
    requirementsFile: givenValue(step, "pip_requirements_file_path"),
  };
  return Object.entries(plan).some(([key, value]) => key !== "kind" && value !== undefined)
    ? plan
    : { kind: "default" };
}

/** The package name of a pip requirement spec (`torch==2.0` -> `torch`), normalised. */
function pipPackageName(spec: string): string {
  return (
    /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec)?.[1]?.toLowerCase().replace(/[._]+/g, "-") ??
    spec.trim()
  );
}

/** The pip list MpiStep built: azureml-defaults first, then the requirements file's lines,
 * then pip_packages; a package named twice is one entry, at its first place, with the
 * later spec (derived: docs/semantics.md, "Environment"). */
export function mergePipSpecs(requirementLines: string[], pipPackages: string[]): string[] {
  const order: string[] = [];
  const specs = new Map<string, string>();
  for (const spec of ["azureml-defaults", ...requirementLines, ...pipPackages]) {
    const name = pipPackageName(spec);
    if (!specs.has(name)) order.push(name);
    specs.set(name, spec.trim());
  }
  return order.map((name) => specs.get(name)!);
}

/** The requirement lines of a requirements file: blank lines and comments removed. */
export function requirementLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, "").trim())
    .filter((line) => line !== "");
}

/** The lines of the requirements file `file` names (relative to the step's
 * source_directory, as MpiStep read it), or why they cannot be had. */
export function readRequirementsFile(
  step: StepDefinition,
  file: Value,
  context: Pick<ConvertContext, "readRequirements">,
): { lines: string[] } | { error: string } {
  const name = literalOf(file);
  return typeof name === "string"
    ? context.readRequirements(step, name)
    : { error: `'${shown(file)}' cannot be evaluated` };
}
