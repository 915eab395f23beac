// Target job-yaml: one v2 command-job YAML per valid step (and its conda file), following
// docs/semantics.md ("v2 command jobs", "Field map"). Standalone jobs cannot bind
// pipeline parameters or reuse.

import path from "node:path";
import type { Diagnostic } from "../../diagnostics/model.js";
import { argValue, shownScalar, type StepDefinition } from "../../ir/types.js";
import { diagnostic } from "../../codes/index.js";
import { buildCommandJob } from "../shared/command-job.js";
import type { CommandJob } from "../shared/job-model.js";
import {
  COMMAND_JOB_SCHEMA,
  commandFields,
  condaFile,
  todoComment,
  withTodo,
} from "../shared/job-document.js";
import { jobKey } from "../shared/names.js";
import { CodeFolders } from "../shared/notebook-code.js";
import { isMigrated } from "../../ir/step-kinds.js";
import { toYaml } from "../shared/yaml.js";
import type { Backend, BackendOutput, StepConversion } from "../types.js";
import { dropOption } from "../shared/dropped.js";

/** What only a standalone job has: counts and AML_PARAMETER_ variables fixed at a
 * pipeline parameter's default. The job runs as the step did under that default, and a
 * submission can set another (`--set resources.instance_count=4`): reported, not a TODO. */
function standaloneNotes(step: StepDefinition, job: CommandJob): Diagnostic[] {
  const counts = [
    ["node count", job.instanceCount, "resources.instance_count"],
    ["process count", job.processCount, "distribution.process_count_per_instance"],
  ] as const;
  return [
    ...counts.flatMap(([what, count, field]) =>
      count?.parameter
        ? [
            diagnostic(
              "MPI016",
              `${what} is pipeline parameter '${count.parameter}'; the standalone job uses its default ${count.value.str} ('az ml job create --set ${field}=N' changes it; --target pipeline-yaml keeps the parameter)`,
              step,
            ),
          ]
        : [],
    ),
    ...[...job.parameterVariables].map(([variable, { parameter, value }]) =>
      diagnostic(
        "MPI016",
        `${variable} takes pipeline parameter '${parameter}' at its default ${shownScalar(value)} (--target pipeline-yaml binds it)`,
        step,
      ),
    ),
  ];
}

/** Drops the options a standalone job has no field for. */
function dropStandaloneOptions(step: StepDefinition, conversion: StepConversion): StepConversion {
  if (step.args.has("allow_reuse"))
    dropOption(
      conversion,
      step,
      "allow_reuse",
      "a standalone command job has no reuse; use --target pipeline-yaml to keep it",
    );
  if (argValue(step, "version"))
    dropOption(
      conversion,
      step,
      "version",
      "a standalone command job has no component version; use --target pipeline-yaml to keep it",
    );
  return conversion;
}

export const jobYamlBackend: Backend = {
  convert(file, steps, context): BackendOutput {
    const output: BackendOutput = { files: [], steps: new Map() };
    const keys = new Set<string>();
    const folders = new CodeFolders(file, file.outputStem);
    // One job per MpiStep: the steps around it need a pipeline target.
    for (const step of steps.filter(isMigrated)) {
      const job = buildCommandJob(step, context);
      const key = jobKey(step.label, keys);
      const docPath = path.join(file.outputStem, `${key}.job.yaml`);
      const diagnostics = [...job.diagnostics, ...standaloneNotes(step, job)];
      const document = {
        $schema: COMMAND_JOB_SCHEMA,
        type: "command",
        ...commandFields(job, {
          code: folders.codeOf(step, job.code),
          key,
        }),
      };
      const header = ` Converted by mpistep-migrate from MpiStep '${step.label}' (${path.basename(file.path)}:${step.line}).`;
      output.files.push({
        path: docPath,
        text: toYaml(
          document,
          withTodo(diagnostics).map((finding) => todoComment(finding)),
          header,
        ),
        steps: [step],
      });
      const conda = condaFile(job, key, file.outputStem);
      if (conda) output.files.push(conda);
      output.steps.set(
        step,
        dropStandaloneOptions(step, { diagnostics: [...diagnostics], dropped: [] }),
      );
    }
    output.files.push(...folders.files);
    output.diagnostics = folders.diagnostics;
    return output;
  },
};
