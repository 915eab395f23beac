// Builds the target-neutral v2 command-job model of one step (docs/semantics.md, "v2
// command jobs", "Whole pipelines" and "Field map"): argv with input/output bindings,
// counts and MPI distribution (MpiStep), compute, inputs, outputs, environment variables,
// environment (MpiStep's options, or a PythonScriptStep's run configuration), reuse. The job-yaml,
// pipeline-yaml and sdk-v2 backends render this model; each thing v2 cannot express
// becomes a diagnostic with a TODO place in the output.

import { isNumber, pythonNumberLiteral, type PyNumber } from "../../ir/numbers.js";
import type { Diagnostic, JobField } from "../../diagnostics/model.js";
import { diagnostic, type Code } from "../../codes/index.js";
import type { ConvertContext, DefaultImages } from "../types.js";
import {
  argumentPipelineParameters,
  argValue,
  argvValue,
  givenValue,
  literalOf,
  literalStrings,
  pythonStr,
  shown,
  type BuiltEnvironment,
  type CondaSpec,
  type ConstructedValue,
  type DataValue,
  type PipelineParameterValue,
  type Scalar,
  type StepDefinition,
  type Value,
} from "../../ir/types.js";
import {
  mergePipSpecs,
  planEnvironment,
  readRequirementsFile,
  requirementLines,
  type EnvironmentPlan,
} from "./environment.js";
import { amlParameterVariable, ioName } from "./names.js";
import { quoteShellWord, splitShellWords } from "./shell.js";

export type LiteralInputType = "integer" | "number" | "string" | "boolean";

export type InputSpec =
  | { kind: "literal"; type: LiteralInputType; value?: Scalar; parameter?: string }
  | {
      kind: "data";
      type: "uri_folder" | "uri_file" | "mltable";
      path?: string;
      mode?: "ro_mount" | "download" | "direct";
      data: DataValue;
    };

export interface OutputSpec {
  type: "uri_folder";
  mode?: "rw_mount" | "upload";
  path?: string;
  data: DataValue;
}

export interface Count {
  value: PyNumber;
  /** The pipeline parameter the count came from, if any. */
  parameter?: string;
}

export type JobEnvironment =
  | { kind: "reference"; uri: string }
  | { kind: "inline"; image: string; conda?: CondaFile }
  | { kind: "unknown" };

export interface CondaFile {
  channels: string[];
  dependencies: Array<string | { pip: string[] }>;
  /** A conda file of the repository, written as it is. */
  text?: string;
}

export interface CommandJob {
  displayName?: string;
  code?: string;
  command: string;
  compute?: string;
  /** How the job's processes are launched: MPI (MpiStep, or a CommandStep with an
   * MpiConfiguration), PyTorch (PyTorchConfiguration); none for one plain process. */
  distribution?: "mpi" | "pytorch";
  instanceCount?: Count;
  processCount?: Count;
  inputs: Map<string, InputSpec>;
  outputs: Map<string, OutputSpec>;
  environmentVariables: Map<string, string>;
  /** Variables whose value is a pipeline parameter's (AML_PARAMETER_ of a parameter in
   * the arguments, or a param that is one), with the parameter and its default. */
  parameterVariables: Map<string, { parameter: string; value: Scalar }>;
  environment: JobEnvironment;
  isDeterministic: boolean;
  version?: string;
  /** What the job cannot carry over (with TODO places) and facts worth a report line
   * that need no action (renames, assumed images). */
  diagnostics: Diagnostic[];
}

type BuiltEnvironmentPlan = Extract<EnvironmentPlan, { kind: "built" }>;

/** What MpiStep fell back to, by SDK generation (docs/semantics.md, "Environment"): the
 * default images, and the Python of azureml-core's default conda environment. */
const SDK_DEFAULTS: Record<DefaultImages, { cpu: string; gpu: string; python: string }> = {
  latest: {
    cpu: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest",
    gpu: "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.3-cudnn8-ubuntu20.04:latest",
    python: "3.8.13",
  },
  legacy: {
    cpu: "mcr.microsoft.com/azureml/base:0.2.4",
    gpu: "mcr.microsoft.com/azureml/base-gpu:0.2.4",
    python: "3.6.2",
  },
};

const DATA_INPUT_MODES: Record<string, "ro_mount" | "download" | "direct"> = {
  mount: "ro_mount",
  download: "download",
  direct: "direct",
};

const OUTPUT_KINDS = new Set(["OutputFileDatasetConfig", "OutputDatasetConfig"]);

/** Data another step writes: PipelineData and port references, and output datasets read
 * through `.as_input()` and the like. */
function producedElsewhere(data: DataValue): boolean {
  return (
    data.dataKind === "PipelineData" ||
    data.dataKind === "PortDataReference" ||
    (!!data.consumed && OUTPUT_KINDS.has(data.dataKind))
  );
}

function literalType(value: Scalar | undefined): LiteralInputType {
  if (typeof value === "boolean") return "boolean";
  if (isNumber(value)) return value.type === "int" ? "integer" : "number";
  return "string";
}

function stringList(value: Value | undefined): string[] | undefined {
  return value ? literalStrings(value) : [];
}

class JobBuilder {
  readonly job: CommandJob;
  private readonly names = new Set<string>();
  /** Input/output name given to each data object or parameter, so one object binds once. */
  private readonly bound = new Map<string, string>();
  private readonly outputData: Set<string>;

  constructor(
    private readonly step: StepDefinition,
    private readonly context: ConvertContext,
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
    this.outputData = new Set(
      outputs?.kind === "list"
        ? outputs.items.flatMap((i) => (i.kind === "data" && !i.consumed ? [i.name] : []))
        : [],
    );
  }

  /** Something the job cannot express, marked by a TODO where `field` (the input or
   * output `name`) is written. */
  todo(code: Code, message: string, field: JobField, name?: string) {
    const todo = name === undefined ? { field } : { field, name };
    this.job.diagnostics.push(diagnostic(code, message, this.step, { todo }));
  }

  /** A fact worth a report line that needs no action. */
  note(code: Code, message: string) {
    this.job.diagnostics.push(diagnostic(code, message, this.step, { severity: "info" }));
  }

  private name(wanted: string): string {
    const name = ioName(wanted, this.names);
    if (name !== wanted) this.note("MPI022", `'${wanted}' is named '${name}' in the job`);
    return name;
  }

  private isOutput(data: DataValue): boolean {
    return !data.consumed && (OUTPUT_KINDS.has(data.dataKind) || this.outputData.has(data.name));
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
        `'${data.name}' is on the workspace's default datastore, taken as ${data.datastore} (the default unless the workspace changed it)`,
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
          name,
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
        name,
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
        name,
      );
    if (data.dataKind === "DataReference") {
      if (!data.datastore) {
        this.todo(
          "MPI025",
          `the datastore of data reference '${data.name}' is not known; set the input's path`,
          "inputs",
          name,
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
        name,
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
      this.todo(
        "MPI025",
        `pipeline parameter '${param.name}' has no literal default`,
        "inputs",
        name,
      );
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
          name,
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
    this.todo("MPI014", `${field} '${shown(value)}' cannot be evaluated; set it`, field);
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
        name,
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
        this.todo("MPI014", `${name} '${shown(list)}' cannot be evaluated; list them`, name);
        continue;
      }
      for (const item of list.items) {
        if (item.kind === "data") this.bindData(item);
        else this.todo("MPI014", `${name} item '${shown(item)}' cannot be evaluated; add it`, name);
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

  /** The environment MpiStep ran in (docs/semantics.md, "Environment"). */
  buildEnvironment() {
    this.checkDocker();
    const plan = planEnvironment(this.step);
    if (plan.kind === "given") this.referenceEnvironment(plan.value);
    else if (plan.kind === "default") {
      const image = SDK_DEFAULTS[this.context.defaultImages].cpu;
      this.noteImage(image);
      this.job.environment = { kind: "inline", image, conda: this.condaFile([], [], []) };
    } else this.builtEnvironment(plan);
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

  /** The environment of a CommandStep's ScriptRunConfig: its environment (or its
   * run_config's), else the default; its Docker setting; what it sets that v2 has no
   * field for. */
  buildScriptRunEnvironment(scriptRun: ConstructedValue) {
    for (const text of scriptRun.unevaluated)
      this.todo(
        "MPI014",
        `the ScriptRunConfig statement '${shownText(text)}' cannot be followed; carry it over`,
        "environment",
      );
    const docker = scriptRun.args.docker_runtime_config;
    const useDocker =
      docker?.kind === "constructed" ? literalOf(docker.args.use_docker) : undefined;
    if (docker && useDocker !== true)
      this.todo(
        "MPI017",
        useDocker === false || useDocker === undefined
          ? "the ScriptRunConfig runs without Docker (DockerConfiguration(use_docker=False)); v2 always runs in a container"
          : `docker_runtime_config is '${shown(docker)}'`,
        "environment",
      );
    for (const option of ["resume_from", "max_run_duration_seconds", "arguments", "script"])
      if (givenValue({ ...this.step, args: argsOf(scriptRun) }, option))
        this.todo(
          "MPI025",
          `the ScriptRunConfig sets ${option}, which this tool does not carry over; set it on the job`,
          "command",
        );
    const env = scriptRun.args.environment;
    if (env && !(env.kind === "literal" && env.value === null)) {
      if (env.kind === "environment" && env.built) this.builtRunConfigEnvironment(env.built);
      else this.referenceEnvironment(env);
      return;
    }
    this.buildRunConfigEnvironment(
      givenValue({ ...this.step, args: argsOf(scriptRun) }, "run_config"),
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

  /** The environment a PythonScriptStep or CommandStep ran in: its run configuration's,
   * or without one the default of RunConfiguration() (docs/semantics.md, "Run
   * configurations"). */
  buildRunConfigEnvironment(runConfig: Value | undefined) {
    if (!runConfig) {
      this.note(
        "MPI043",
        "the step has no runconfig: v1 gave it RunConfiguration()'s default environment (the default image and conda file)",
      );
      const image = SDK_DEFAULTS[this.context.defaultImages].cpu;
      this.noteImage(image);
      this.job.environment = { kind: "inline", image, conda: this.condaFile([], [], []) };
      return;
    }
    if (runConfig.kind !== "runConfig") {
      this.todo(
        "MPI014",
        `runconfig '${shown(runConfig)}' cannot be evaluated; set the environment`,
        "environment",
      );
      return;
    }
    for (const text of runConfig.unevaluated)
      this.todo(
        "MPI014",
        `the run configuration statement '${shownText(text)}' cannot be followed; carry it over`,
        "environment",
      );
    if (runConfig.environment) this.referenceEnvironment(runConfig.environment);
    else if (runConfig.built) this.builtRunConfigEnvironment(runConfig.built);
  }

  private builtRunConfigEnvironment(env: BuiltEnvironment) {
    for (const text of env.unevaluated)
      this.todo(
        "MPI014",
        `the environment statement '${shownText(text)}' cannot be followed; carry it over`,
        "environment",
      );
    if (env.dockerEnabled === false)
      this.todo(
        "MPI017",
        "the run configuration disables Docker (docker.enabled = False); v2 always runs in a container",
        "environment",
      );
    if (env.baseDockerfile !== undefined)
      this.todo(
        "MPI025",
        "the environment is built from a Dockerfile (docker.base_dockerfile); give it a build context folder",
        "environment",
      );
    if (env.interpreterPath !== undefined)
      this.todo(
        "MPI025",
        `the environment runs the interpreter '${env.interpreterPath}' (python.interpreter_path); v2 runs 'python' from the PATH`,
        "environment",
      );
    for (const { key, value } of env.variables) {
      if (value.kind === "literal") this.job.environmentVariables.set(key, pythonStr(value.value));
      else
        this.todo(
          "MPI014",
          `environment variable '${key}' is '${shown(value)}', which cannot be evaluated`,
          "environment_variables",
        );
    }
    let image = env.baseImage;
    if (image === undefined) {
      image = SDK_DEFAULTS[this.context.defaultImages].cpu;
      this.noteImage(image);
    }
    if (env.userManaged || !env.conda) {
      this.job.environment = { kind: "inline", image };
      return;
    }
    this.job.environment = { kind: "inline", image, conda: this.condaSpecFile(env.conda) };
  }

  /** The conda file of a CondaDependencies built in code (or the repository file it
   * was read from). */
  private condaSpecFile(spec: CondaSpec): CondaFile | undefined {
    if (spec.file !== undefined) {
      const read = this.context.readSourceFile(spec.file);
      if ("text" in read) return { channels: [], dependencies: [], text: read.text };
      this.todo("MPI025", `conda file: ${read.error}; write the conda file`, "environment");
      return undefined;
    }
    let pip = spec.pipPackages;
    if (spec.requirementsFile !== undefined) {
      const read = this.context.readSourceFile(spec.requirementsFile);
      if ("text" in read) pip = requirementLines(read.text);
      else
        this.todo(
          "MPI025",
          `pip requirements file: ${read.error}; add its packages to the conda file`,
          "environment",
        );
    }
    for (const name of spec.pinnedToSdk ?? [])
      this.note(
        "MPI036",
        `CondaDependencies.create pinned '${name}' to the version of the SDK that submitted the step (~=<version>); pin it to keep that`,
      );
    const python = spec.python ?? this.defaultPython();
    return {
      channels: ["conda-forge", ...spec.channels.filter((c) => c !== "conda-forge")],
      dependencies: [
        `python=${python}`,
        "pip",
        ...spec.condaPackages,
        { pip: [...spec.pipOptions, ...pip] },
      ],
    };
  }

  /** v2 always runs in a container: a step without Docker cannot keep that. */
  private checkDocker() {
    const useDocker = argValue(this.step, "use_docker");
    if (useDocker && literalOf(useDocker) !== true)
      this.todo(
        "MPI017",
        literalOf(useDocker) === false
          ? "the step ran without Docker (use_docker=False); v2 always runs in a container"
          : `use_docker is '${shown(useDocker)}'`,
        "environment",
      );
  }

  /** environment_definition: a registered environment is referenced; one built in code
   * must be registered first. */
  private referenceEnvironment(env: Value) {
    if (env.kind === "environment" && !env.constructed)
      this.job.environment = {
        kind: "reference",
        uri: env.version ? `azureml:${env.name}:${env.version}` : `azureml:${env.name}@latest`,
      };
    else
      this.todo(
        "MPI025",
        `environment_definition '${shown(env)}' is built in code; register it and reference it here`,
        "environment",
      );
  }

  /** The environment MpiStep built from its options: image plus conda file. */
  private builtEnvironment(plan: BuiltEnvironmentPlan) {
    const image = this.baseImage(plan);
    if (plan.registry)
      this.todo(
        "MPI018",
        "the image comes from a private registry (image_registry_details); register an environment with its credentials",
        "environment",
      );
    const userManaged = plan.userManaged ? literalOf(plan.userManaged) : false;
    if (typeof userManaged !== "boolean")
      this.todo(
        "MPI014",
        `user_managed '${shown(plan.userManaged)}' cannot be evaluated`,
        "environment",
      );
    if (image === undefined) return;
    this.job.environment =
      userManaged === true
        ? { kind: "inline", image }
        : { kind: "inline", image, conda: this.conda(plan) };
  }

  /** custom_docker_image, else the default CPU or GPU image. */
  private baseImage(plan: BuiltEnvironmentPlan): string | undefined {
    if (plan.customImage) {
      const custom = literalOf(plan.customImage);
      if (typeof custom === "string") return custom;
      this.todo(
        "MPI014",
        `custom_docker_image '${shown(plan.customImage)}' cannot be evaluated`,
        "environment",
      );
      return undefined;
    }
    const gpu = plan.useGpu ? literalOf(plan.useGpu) : false;
    if (typeof gpu !== "boolean") {
      this.todo(
        "MPI014",
        `use_gpu '${shown(plan.useGpu)}' cannot be evaluated; choose the image`,
        "environment",
      );
      return undefined;
    }
    const images = SDK_DEFAULTS[this.context.defaultImages];
    const image = gpu ? images.gpu : images.cpu;
    this.noteImage(image);
    return image;
  }

  /** The conda file of the pip list and conda packages MpiStep installed. */
  private conda(plan: BuiltEnvironmentPlan): CondaFile {
    const conda = stringList(plan.condaPackages);
    const pip = stringList(plan.pipPackages);
    let requirements: string[] = [];
    if (plan.requirementsFile) {
      const read = readRequirementsFile(this.step, plan.requirementsFile, this.context);
      if ("error" in read)
        this.todo(
          "MPI025",
          `pip requirements file: ${read.error}; add its packages to the conda file`,
          "environment",
        );
      else requirements = read.lines;
    }
    if (!conda || !pip)
      this.todo(
        "MPI014",
        "conda_packages or pip_packages cannot be evaluated; complete the conda file",
        "environment",
      );
    return this.condaFile(conda ?? [], requirements, pip ?? []);
  }

  /** MpiStep's conda environment: its Python, pip (holding azureml-defaults, the
   * requirements file's lines and pip_packages), then the conda packages. */
  private condaFile(condaPackages: string[], requirements: string[], pip: string[]): CondaFile {
    const python = this.defaultPython();
    return {
      channels: ["conda-forge"],
      dependencies: [
        `python=${python}`,
        "pip",
        ...condaPackages,
        { pip: mergePipSpecs(requirements, pip) },
      ],
    };
  }

  /** The Python v1's default conda file pinned: --python-version, else the SDK default. */
  private defaultPython(): string {
    let python = this.context.pythonVersion;
    if (!python) {
      python = SDK_DEFAULTS[this.context.defaultImages].python;
      this.note(
        "MPI036",
        `Python is pinned to ${python}, the default of the SDK builds --default-images ${this.context.defaultImages} stands for; give --python-version to pin another`,
      );
    }
    return python;
  }

  private noteImage(image: string) {
    this.note(
      "MPI026",
      `the default image is taken as ${image}; the exact default depended on the SDK build that submitted the step`,
    );
  }
}

/** A constructed object's arguments in the form a step holds its own. */
function argsOf(object: ConstructedValue): StepDefinition["args"] {
  return new Map(
    Object.entries(object.args).map(([name, value]) => [name, { name, value, via: "keyword" }]),
  );
}

/** A statement's text as a message quotes it: on one line, shortened. */
function shownText(text: string): string {
  return shown({ kind: "opaque", text });
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
function runConfigurationOf(step: StepDefinition) {
  const runConfig = step.kind === "MpiStep" ? undefined : givenValue(step, "runconfig");
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
  const { runConfig, scriptRun } = runConfigurationOf(step);
  // A CommandStep's own arguments first, then its ScriptRunConfig's.
  const given = (name: string) => {
    const own = givenValue(step, name);
    const fromScriptRun = scriptRun?.args[name];
    return own ?? (literalOf(fromScriptRun) === null ? undefined : fromScriptRun);
  };
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
  else builder.todo("MPI014", "source_directory cannot be evaluated; set code", "code");
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
    );
  if (step.kind === "MpiStep") {
    job.instanceCount = builder.buildCount("node_count", "instance_count");
    job.processCount = builder.buildCount("process_count_per_node", "process_count");
  } else if (scriptRun) builder.buildDistribution(scriptRun.args.distributed_job_config);
  else builder.checkNodeCount(runConfig);
  builder.buildDataLists();
  builder.buildEnvironmentVariables();
  if (step.kind === "MpiStep") builder.buildEnvironment();
  else if (scriptRun) builder.buildScriptRunEnvironment(scriptRun);
  else builder.buildRunConfigEnvironment(runConfig);
  builder.checkRunConfigPipelineParams();
  const version = literalOf(argValue(step, "version"));
  if (version !== undefined && version !== null) job.version = pythonStr(version);
  return job;
}
