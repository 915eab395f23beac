// Builds the target-neutral v2 command-job model (job-model.ts) of one step of any kind
// (docs/semantics.md, "v2 command jobs", "Whole pipelines" and "Field map"): argv with
// input/output bindings (a CommandStep's command split as shlex does), counts and
// distribution, compute, inputs, outputs, environment variables, reuse; the environment
// comes from job-environment.ts. The job-yaml, pipeline-yaml and sdk-v2 backends render
// this model; each thing v2 cannot express becomes a diagnostic with a TODO place.

import { isNumber, pythonNumberLiteral } from "../../ir/numbers.js";
import type { JobField } from "../../diagnostics/model.js";
import { diagnostic, type Code } from "../../codes/index.js";
import type { ConvertContext } from "../types.js";
import {
  argumentPipelineParameters,
  argValue,
  argvValue,
  givenArgument,
  givenValue,
  isOutputDataset,
  literalOf,
  pythonStr,
  shown,
  type ConstructedValue,
  type DataValue,
  type PipelineParameterValue,
  type Scalar,
  type StepDefinition,
  type Value,
} from "../../ir/types.js";
import { EnvironmentBuilder, type TodoDetail } from "./job-environment.js";
import type { CommandJob, Count, InputSpec, LiteralInputType, OutputSpec } from "./job-model.js";
import { amlParameterVariable, ioName } from "./names.js";
import { loadedRunConfig } from "./runconfig-file.js";
import { quoteShellWord, splitShellWords } from "./shell.js";

const DATA_INPUT_MODES: Record<string, "ro_mount" | "download" | "direct"> = {
  mount: "ro_mount",
  download: "download",
  direct: "direct",
};

/** Data another step writes: PipelineData and port references, and output datasets read
 * through `.as_input()` and the like. */
function producedElsewhere(data: DataValue): boolean {
  return (
    data.dataKind === "PipelineData" ||
    data.dataKind === "PortDataReference" ||
    (!!data.consumed && isOutputDataset(data))
  );
}

function literalType(value: Scalar | undefined): LiteralInputType {
  if (typeof value === "boolean") return "boolean";
  if (isNumber(value)) return value.type === "int" ? "integer" : "number";
  return "string";
}

class JobBuilder {
  readonly job: CommandJob;
  readonly environment: EnvironmentBuilder;
  private readonly names = new Set<string>();
  /** Input/output name given to each data object or parameter, so one object binds once. */
  private readonly bound = new Map<string, string>();
  private readonly outputData: Set<string>;

  constructor(
    private readonly step: StepDefinition,
    context: ConvertContext,
  ) {
    this.job = {
      command: "",
      ...(step.kind === "MpiStep" ? { distribution: "mpi" as const } : {}),
      inputs: new Map(),
      outputs: new Map(),
      environmentVariables: new Map(),
      parameterVariables: new Map(),
      environment: { kind: "unknown" },
      isDeterministic: literalOf(argValue(step, "allow_reuse")) !== false,
      diagnostics: [],
    };
    const outputs = argValue(step, "outputs");
    this.environment = new EnvironmentBuilder(this.job, step, context, this);
    this.outputData = new Set(
      outputs?.kind === "list"
        ? outputs.items.flatMap((i) => (i.kind === "data" && !i.consumed ? [i.name] : []))
        : [],
    );
  }

  /** Something the job cannot express, marked by a TODO where `field` (the input or
   * output `name`) is written; reported where the value `about` is written, if known,
   * else at the step. */
  todo(code: Code, message: string, field: JobField, { name, about }: TodoDetail = {}) {
    const todo = name === undefined ? { field } : { field, name };
    this.job.diagnostics.push(diagnostic(code, message, about?.span ?? this.step, { todo }));
  }

  /** A fact worth a report line that needs no action. */
  note(code: Code, message: string) {
    this.job.diagnostics.push(diagnostic(code, message, this.step, { severity: "info" }));
  }

  private name(wanted: string): string {
    const name = ioName(wanted, this.names);
    if (name !== wanted)
      this.note("MPI022", `'${wanted}' is named '${name}' in the job: refer to it by that name`);
    return name;
  }

  private isOutput(data: DataValue): boolean {
    return !data.consumed && (isOutputDataset(data) || this.outputData.has(data.name));
  }

  /** Binds a data object as an input or output; returns the `${{...}}` expression. */
  bindData(data: DataValue): string {
    const output = this.isOutput(data);
    const key = `${output ? "out" : "in"}:${data.dataKind}:${data.name}`;
    const existing = this.bound.get(key);
    if (existing) return existing;
    const name = this.name(data.name);
    // PipelineData has no path in v2: where it lives does not matter there.
    if (data.defaultDatastore && data.dataKind !== "PipelineData")
      this.note(
        "MPI037",
        `'${data.name}' is on the workspace's default datastore, taken as ${data.datastore} (the default unless the workspace changed it): check the workspace's default datastore`,
      );
    const expression = `\${{${output ? "outputs" : "inputs"}.${name}}}`;
    this.bound.set(key, expression);
    if (output) this.job.outputs.set(name, this.outputSpec(data, name));
    else this.job.inputs.set(name, this.inputSpec(data, name));
    return expression;
  }

  private outputSpec(data: DataValue, name: string): OutputSpec {
    const spec: OutputSpec = { type: "uri_folder", data };
    if (data.dataKind !== "PipelineData") {
      if (data.datastore && data.path !== undefined)
        spec.path = `azureml://datastores/${data.datastore}/paths/${data.path.replace(/\{run-id\}/g, "${{name}}").replace(/\{output-name\}/g, "${{output_name}}")}`;
      else if (data.path !== undefined)
        this.todo(
          "MPI025",
          `output '${data.name}' wrote to '${data.path}' on an unknown datastore; set its path`,
          "outputs",
          { name },
        );
    }
    return spec;
  }

  private inputSpec(data: DataValue, name: string): InputSpec {
    if (producedElsewhere(data)) {
      this.todo(
        "MPI019",
        data.producer
          ? `'${data.name}' is produced by step '${data.producer}', which is not converted; bind it to that job's output or a data asset`
          : `'${data.name}' is pipeline data produced elsewhere; bind it to the producing job's output or a data asset`,
        "inputs",
        { name },
      );
      const mode = data.consumed ? DATA_INPUT_MODES[data.mode ?? "mount"] : undefined;
      return { kind: "data", type: "uri_folder", ...(mode ? { mode } : {}), data };
    }
    const mode = DATA_INPUT_MODES[data.mode ?? "mount"];
    if (!mode)
      this.todo(
        "MPI025",
        `input '${data.name}' has mode '${data.mode}', which has no v2 input mode`,
        "inputs",
        { name },
      );
    if (data.dataKind === "DataReference") {
      if (!data.datastore) {
        this.todo(
          "MPI025",
          `the datastore of data reference '${data.name}' is not known; set the input's path`,
          "inputs",
          { name },
        );
        return { kind: "data", type: "uri_folder", mode, data };
      }
      return {
        kind: "data",
        type: "uri_folder",
        path: `azureml://datastores/${data.datastore}/paths/${data.path ?? ""}`,
        mode,
        data,
      };
    }
    if (!data.path)
      this.todo(
        "MPI025",
        `dataset input '${data.name}' has no known registered name; set its path`,
        "inputs",
        { name },
      );
    else
      this.note(
        "MPI025",
        `dataset '${data.name}' is read as uri_folder; use mltable for a TabularDataset`,
      );
    return { kind: "data", type: "uri_folder", path: data.path, mode, data };
  }

  /** Binds a pipeline parameter as a literal input; returns the `${{inputs.x}}` expression. */
  bindParameter(param: PipelineParameterValue): string {
    const key = `param:${param.name}`;
    const existing = this.bound.get(key);
    if (existing) return existing;
    const name = this.name(param.name);
    const value = literalOf(param.default);
    if (value === undefined || value === null)
      this.todo("MPI025", `pipeline parameter '${param.name}' has no literal default`, "inputs", {
        name,
      });
    this.job.inputs.set(name, {
      kind: "literal",
      type: literalType(value ?? undefined),
      value: value ?? undefined,
      parameter: param.name,
    });
    const expression = `\${{inputs.${name}}}`;
    this.bound.set(key, expression);
    return expression;
  }

  /** One argv item as a shell word or binding. */
  argvWord(item: Value, index: number): string {
    switch (item.kind) {
      case "literal": {
        const text = pythonStr(item.value);
        if (text.includes("${{"))
          this.todo(
            "MPI020",
            `argument ${JSON.stringify(text)} contains '\${{', which v2 reads as a binding`,
            "command",
          );
        return quoteShellWord(text);
      }
      case "pipelineParameter": {
        // Azure ML pastes a literal input's value into the command text before the shell
        // reads it: single quotes keep a value with spaces or shell characters one argv
        // item, as it was for MpiStep. A value holding a single quote cannot be kept so.
        const value = literalOf(item.default);
        if (typeof value === "string" && value.includes("'"))
          this.todo(
            "MPI033",
            `pipeline parameter '${item.name}' has the value ${JSON.stringify(value)}, whose single quote would end the quoting around it in the command; pass it another way`,
            "command",
          );
        return `'${this.bindParameter(item)}'`;
      }
      case "data":
        return this.bindData(item);
      default: {
        const name = this.name(`argument_${index}`);
        this.job.inputs.set(name, { kind: "literal", type: "string" });
        this.todo(
          "MPI014",
          `argument ${index} is '${shown(item)}', which cannot be evaluated; give input '${name}' its value`,
          "inputs",
          { name, about: item },
        );
        return `\${{inputs.${name}}}`;
      }
    }
  }

  /** A CommandStep's command (its own, or its ScriptRunConfig's): a string split as
   * shlex.split does, or a list whose first item is split and whose other items are each
   * one argv item (docs/semantics.md, "CommandStep"). */
  buildCommandStepCommand(scriptRun: ConstructedValue | undefined) {
    const command = givenValue(this.step, "command") ?? scriptRun?.args.command;
    const [first, ...rest] = command?.kind === "list" ? command.items : command ? [command] : [];
    const words =
      first?.kind === "literal" && typeof first.value === "string"
        ? splitShellWords(first.value)
        : undefined;
    if (!words) {
      this.todo(
        "MPI014",
        `command '${shown(command)}' cannot be evaluated; write the command`,
        "command",
        { about: command },
      );
      return;
    }
    this.job.command = [
      ...words.map(quoteShellWord),
      ...rest.map((item, i) => this.argvWord(item, i + 1)),
    ].join(" ");
  }

  /** A CommandStep's ScriptRunConfig distributed_job_config, with the counts its
   * runconfig_pipeline_params bind to pipeline parameters. */
  buildDistribution(config: Value | undefined) {
    if (!config || (config.kind === "literal" && config.value === null)) return;
    const bound = givenValue(this.step, "runconfig_pipeline_params");
    const parameter = (key: string) =>
      bound?.kind === "dict" ? bound.entries.find((e) => e.key === key)?.value : undefined;
    const count = (value: Value | undefined, key: string | undefined, field: JobField) =>
      this.countOf(
        (key ? parameter(key) : undefined) ??
          value ?? { kind: "literal", value: pythonNumberLiteral("1")! },
        field,
      );
    if (config.kind === "constructed" && config.type === "MpiConfiguration") {
      this.job.distribution = "mpi";
      this.job.instanceCount = count(config.args.node_count, "NodeCount", "instance_count");
      this.job.processCount = count(
        config.args.process_count_per_node,
        "MpiProcessCountPerNode",
        "process_count",
      );
      return;
    }
    if (config.kind === "constructed" && config.type === "PyTorchConfiguration") {
      this.job.distribution = "pytorch";
      this.job.instanceCount = count(config.args.node_count, undefined, "instance_count");
      const total = literalOf(config.args.process_count);
      const nodes = this.job.instanceCount?.value;
      if (config.args.process_count === undefined) return;
      if (isNumber(total) && nodes && Number(total.str) % Number(nodes.str) === 0)
        this.job.processCount = {
          value: pythonNumberLiteral(String(Number(total.str) / Number(nodes.str)))!,
        };
      else
        this.todo(
          "MPI025",
          `PyTorchConfiguration(process_count=${shown(config.args.process_count)}) counts processes over all nodes; set process_count_per_instance`,
          "process_count",
        );
      return;
    }
    this.todo(
      "MPI025",
      `distributed_job_config '${shown(config)}' has no v2 distribution this tool writes; set the distribution`,
      "process_count",
    );
  }

  /** A count: a number, or a pipeline parameter's default (kept bindable). */
  countOf(value: Value, field: JobField): Count | undefined {
    if (value.kind === "literal" && isNumber(value.value)) return { value: value.value };
    if (value.kind === "pipelineParameter") {
      const def = literalOf(value.default);
      if (isNumber(def)) return { value: def, parameter: value.name };
    }
    this.todo("MPI014", `${field} '${shown(value)}' cannot be evaluated; set it`, field, {
      about: value,
    });
    return undefined;
  }

  buildCommand() {
    const script = argValue(this.step, "script_name");
    const words = ["python"];
    if (script?.kind === "literal" && typeof script.value === "string")
      words.push(quoteShellWord(script.value));
    else {
      const name = this.name("script_name");
      this.job.inputs.set(name, { kind: "literal", type: "string" });
      this.todo(
        "MPI014",
        `script_name '${shown(script)}' cannot be evaluated; give input '${name}' its value`,
        "inputs",
        { name, about: script },
      );
      words.push(`\${{inputs.${name}}}`);
    }
    const args = argValue(this.step, "arguments");
    if (args?.kind === "list")
      args.items.forEach((item, i) => words.push(this.argvWord(item, i + 1)));
    else if (args)
      this.todo(
        "MPI014",
        `arguments '${shown(args)}' cannot be evaluated; write them into the command`,
        "command",
        { about: args },
      );
    this.job.command = words.join(" ");
  }

  buildCount(name: "node_count" | "process_count_per_node", field: JobField): Count | undefined {
    const value = argValue(this.step, name);
    if (value) return this.countOf(value, field);
    this.todo("MPI014", `${name} '${shown(value)}' cannot be evaluated; set it`, field);
    return undefined;
  }

  buildDataLists() {
    for (const name of ["inputs", "outputs"] as const) {
      const list = argValue(this.step, name);
      if (!list || (list.kind === "literal" && list.value === null)) continue;
      if (list.kind !== "list") {
        this.todo("MPI014", `${name} '${shown(list)}' cannot be evaluated; list them`, name, {
          about: list,
        });
        continue;
      }
      for (const item of list.items) {
        if (item.kind === "data") this.bindData(item);
        else
          this.todo("MPI014", `${name} item '${shown(item)}' cannot be evaluated; add it`, name, {
            about: item,
          });
      }
    }
  }

  buildEnvironmentVariables() {
    const entries: Array<{ key: string; value: Value }> = [];
    for (const name of ["environment_variables", "params"] as const) {
      const value = argValue(this.step, name);
      if (!value || (value.kind === "literal" && value.value === null)) continue;
      if (value.kind === "dict") entries.push(...value.entries);
      else
        this.todo(
          "MPI014",
          `${name} '${shown(value)}' cannot be evaluated; list the variables`,
          "environment_variables",
        );
    }
    for (const { key, value } of entries) {
      const variable = amlParameterVariable(key);
      if (value.kind === "literal")
        this.job.environmentVariables.set(variable, pythonStr(value.value));
      else if (value.kind === "pipelineParameter" && literalOf(value.default) !== undefined) {
        this.parameterVariable(variable, value.name, literalOf(value.default)!);
      } else
        this.todo(
          "MPI025",
          `param '${key}' is '${shown(value)}', which has no environment variable value`,
          "environment_variables",
        );
    }
    const args = argvValue(this.step);
    for (const name of argumentPipelineParameters(this.step)) {
      const param = args && findParameter(args, name);
      const def = literalOf(param?.default);
      if (def !== undefined) this.parameterVariable(amlParameterVariable(name), name, def);
    }
  }

  /** A variable whose value is a pipeline parameter's: its default here; a pipeline binds
   * it to the parameter's input. */
  private parameterVariable(variable: string, parameter: string, value: Scalar) {
    this.job.environmentVariables.set(variable, pythonStr(value));
    this.job.parameterVariables.set(variable, { parameter, value });
  }

  /** runconfig_pipeline_params: a CommandStep's MPI counts bound to pipeline parameters
   * are carried (buildDistribution); any other binding is not. */
  checkRunConfigPipelineParams() {
    const bound = givenValue(this.step, "runconfig_pipeline_params");
    if (!bound) return;
    const carried = this.job.distribution === "mpi" ? ["NodeCount", "MpiProcessCountPerNode"] : [];
    const keys = bound.kind === "dict" ? bound.entries.map((e) => e.key) : [shown(bound)];
    const others = keys.filter((key) => !carried.includes(key));
    if (others.length)
      this.todo(
        "MPI025",
        `runconfig_pipeline_params binds ${others.join(", ")} to pipeline parameters; bind those fields to pipeline inputs`,
        "environment",
      );
  }

  /** A PythonScriptStep runs on the run configuration's node_count nodes (1 unless set). */
  checkNodeCount(runConfig: Value | undefined) {
    const count = runConfig?.kind === "runConfig" ? runConfig.nodeCount : undefined;
    const value = literalOf(count);
    if (count && !(isNumber(value) && value.str === "1"))
      this.todo(
        "MPI025",
        `the run configuration's node_count is '${shown(count)}'; set resources.instance_count and how the nodes share the work`,
        "instance_count",
      );
  }
}

function findParameter(value: Value, name: string): PipelineParameterValue | undefined {
  if (value.kind === "pipelineParameter" && value.name === name) return value;
  if (value.kind === "list")
    for (const item of value.items) {
      const found = findParameter(item, name);
      if (found) return found;
    }
  return undefined;
}

/** The run configuration a PythonScriptStep or CommandStep was given, and a
 * CommandStep's ScriptRunConfig (whose fields stand in for those the step leaves out). */
function runConfigurationOf(step: StepDefinition, context: ConvertContext) {
  const given = step.kind === "MpiStep" ? undefined : givenValue(step, "runconfig");
  // A run configuration loaded from a file is what the file says.
  const runConfig = given?.kind === "runConfig" ? loadedRunConfig(given, context) : given;
  const scriptRun =
    step.kind === "CommandStep" &&
    runConfig?.kind === "constructed" &&
    runConfig.type === "ScriptRunConfig"
      ? runConfig
      : undefined;
  return { runConfig, scriptRun };
}

/** v1's name of a step given none: a PythonScriptStep is named after its script, a
 * CommandStep `CommandStep_` and the first word of its command. */
function defaultName(step: StepDefinition, scriptRun: ConstructedValue | undefined) {
  if (step.kind === "PythonScriptStep") {
    const script = literalOf(argValue(step, "script_name"));
    return typeof script === "string" ? script : undefined;
  }
  if (step.kind === "CommandStep") {
    const command = givenValue(step, "command") ?? scriptRun?.args.command;
    const first = literalOf(command?.kind === "list" ? command.items[0] : command);
    const word = typeof first === "string" ? splitShellWords(first)?.[0] : undefined;
    return word === undefined ? undefined : `CommandStep_${word}`;
  }
  return undefined;
}

export function buildCommandJob(step: StepDefinition, context: ConvertContext): CommandJob {
  const builder = new JobBuilder(step, context);
  const { job } = builder;
  const { runConfig, scriptRun } = runConfigurationOf(step, context);
  // A CommandStep's own arguments first, then its ScriptRunConfig's.
  const given = (name: string) =>
    givenValue(step, name) ?? (scriptRun ? givenArgument(scriptRun, name) : undefined);
  const name = literalOf(argValue(step, "name"));
  if (typeof name === "string") job.displayName = name;
  else if (name === undefined || name === null) job.displayName = defaultName(step, scriptRun);
  const code = literalOf(given("source_directory"));
  if (typeof code === "string") job.code = code;
  else if (code === undefined || code === null)
    builder.todo(
      "MPI014",
      "the step gives no source_directory; set code to the folder holding its script",
      "code",
    );
  else
    builder.todo("MPI014", "source_directory cannot be evaluated; set code", "code", {
      about: given("source_directory"),
    });
  if (step.kind === "CommandStep") builder.buildCommandStepCommand(scriptRun);
  else builder.buildCommand();
  const compute =
    given("compute_target") ?? (runConfig?.kind === "runConfig" ? runConfig.target : undefined);
  if (compute?.kind === "compute") job.compute = compute.name;
  else if (compute?.kind === "literal" && typeof compute.value === "string")
    job.compute = compute.value;
  else
    builder.todo(
      "MPI014",
      `compute_target '${shown(compute)}' cannot be evaluated; set compute`,
      "compute",
      { about: compute },
    );
  if (step.kind === "MpiStep") {
    job.instanceCount = builder.buildCount("node_count", "instance_count");
    job.processCount = builder.buildCount("process_count_per_node", "process_count");
  } else if (scriptRun) builder.buildDistribution(scriptRun.args.distributed_job_config);
  else builder.checkNodeCount(runConfig);
  builder.buildDataLists();
  builder.buildEnvironmentVariables();
  if (step.kind === "MpiStep") builder.environment.buildMpiStepEnvironment();
  else if (scriptRun) builder.environment.buildScriptRunEnvironment(scriptRun);
  else builder.environment.buildRunConfigEnvironment(runConfig);
  builder.checkRunConfigPipelineParams();
  const version = literalOf(argValue(step, "version"));
  if (version !== undefined && version !== null) job.version = pythonStr(version);
  return job;
}
