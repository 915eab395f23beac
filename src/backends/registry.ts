// The target registry: a new target is one folder and one line here.

import { commandStepBackend } from "./commandstep/index.js";
import { jobYamlBackend } from "./job-yaml/index.js";
import { pipelineYamlBackend } from "./pipeline-yaml/index.js";
import { sdkV2Backend } from "./sdk-v2/index.js";
import type { Backend, SourceKind, TargetName } from "./types.js";

export const BACKENDS: Record<string, Backend> = {
  commandstep: commandStepBackend,
  "job-yaml": jobYamlBackend,
  "pipeline-yaml": pipelineYamlBackend,
  "sdk-v2": sdkV2Backend,
};

export const TARGET_NAMES = Object.keys(BACKENDS) as TargetName[];

/** The target used when none is given: in place for code, jobs for JSON. */
export function defaultTarget(kind: SourceKind): TargetName {
  return kind === "json" ? "job-yaml" : "commandstep";
}
