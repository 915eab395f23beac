// Target job-yaml: one v2 command-job YAML per valid step (and its conda file), following
// reference sections 3 and 4. Standalone jobs cannot bind pipeline parameters or reuse.

import path from "node:path";
import { argValue, type StepDefinition } from "../../ir/types.js";
import { buildCommandJob, type CommandJob, type Todo } from "../shared/command-job.js";
import {
  COMMAND_JOB_SCHEMA,
  commandFields,
  condaFile,
  todoComment,
} from "../shared/job-document.js";
import { jobKey } from "../shared/names.js";
import { codePath } from "../shared/paths.js";
import { toYaml } from "../shared/yaml.js";
import type { Backend, BackendOutput, Dropped } from "../types.js";

/** TODOs that only a standalone job has: counts fixed at a pipeline parameter's default. */
function standaloneTodos(job: CommandJob): Todo[] {
  const counts = [
    ["node count", job.instanceCount, ["resources", "instance_count"]],
    ["process count", job.processCount, ["distribution", "process_count_per_instance"]],
  ] as const;
  return counts.flatMap(([what, count, at]) =>
    count?.parameter
      ? [
          {
            code: "MPI016",
            message: `${what} is pipeline parameter '${count.parameter}'; a standalone job uses its default ${count.value}`,
            at: [...at],
            manual: false,
          },
        ]
      : [],
  );
}

/** Options a standalone job has no field for. */
function standaloneDropped(step: StepDefinition): Dropped[] {
  const dropped: Dropped[] = [];
  if (step.args.has("allow_reuse"))
    dropped.push({
      option: "allow_reuse",
      reason: "a standalone command job has no reuse; use --target pipeline-yaml to keep it",
    });
  if (argValue(step, "version"))
    dropped.push({
      option: "version",
      reason:
        "a standalone command job has no component version; use --target pipeline-yaml to keep it",
    });
  return dropped;
}

export const jobYamlBackend: Backend = {
  name: "job-yaml",
  convert(file, steps, context): BackendOutput {
    const output: BackendOutput = { files: [], steps: new Map() };
    const keys = new Set<string>();
    for (const step of steps) {
      const job = buildCommandJob(step, context);
      const key = jobKey(step.label, keys);
      const docPath = path.join(file.outputStem, `${key}.job.yaml`);
      const todos = [...job.todos, ...standaloneTodos(job)];
      const document = {
        $schema: COMMAND_JOB_SCHEMA,
        type: "command",
        ...commandFields(job, {
          code: codePath(file.path, job.code, path.dirname(docPath)),
          key,
        }),
      };
      const header = ` Converted by mpistep-migrate from MpiStep '${step.label}' (${path.basename(file.path)}:${step.line}).`;
      output.files.push({
        path: docPath,
        text: toYaml(document, todos.map(todoComment), header),
        steps: [step],
      });
      const conda = condaFile(job, key, file.outputStem);
      if (conda) output.files.push(conda);
      output.steps.set(step, { todos, notes: job.notes, dropped: standaloneDropped(step) });
    }
    return output;
  },
};
