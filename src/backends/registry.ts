// The target registry: a new target is one folder and one entry here; `TargetName` and
// the CLI's --target choices follow from it. Backends are loaded on first use (YAML
// writing, for one, is only loaded by the targets that write YAML).

import type { SourceKind } from "../frontends/types.js";
import type { Backend } from "./types.js";

interface Target {
  /** The kinds of input the target converts. */
  inputs: readonly SourceKind[];
  /** The target writes every step v1 would submit with an MpiStep, not only MpiSteps. */
  wholePipelines?: true;
  /** The target rewrites its inputs and generates no files of its own. */
  inPlace?: true;
  load(): Promise<Backend>;
}

export const BACKENDS = {
  commandstep: {
    inputs: ["python", "notebook"],
    inPlace: true,
    load: async () => (await import("./commandstep/index.js")).commandStepBackend,
  },
  "job-yaml": {
    inputs: ["python", "notebook", "json"],
    load: async () => (await import("./job-yaml/index.js")).jobYamlBackend,
  },
  "pipeline-yaml": {
    inputs: ["python", "notebook", "json"],
    wholePipelines: true,
    load: async () => (await import("./pipeline-yaml/index.js")).pipelineYamlBackend,
  },
  "sdk-v2": {
    inputs: ["python", "notebook", "json"],
    wholePipelines: true,
    load: async () => (await import("./sdk-v2/index.js")).sdkV2Backend,
  },
} as const satisfies Record<string, Target>;

export type TargetName = keyof typeof BACKENDS;

export const TARGET_NAMES = Object.keys(BACKENDS) as TargetName[];

/** The target used when none is given: in place for code, jobs for JSON. */
export function defaultTarget(kind: SourceKind): TargetName {
  return kind === "json" ? "job-yaml" : "commandstep";
}
