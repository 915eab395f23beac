// The environment a converted step runs in (docs/semantics.md, "Environment" and "Run
// configurations"): what MpiStep built from its options, what a PythonScriptStep's run
// configuration or a CommandStep's ScriptRunConfig held, or v1's default; as an image
// plus conda file, or a registered environment. What v2 cannot carry is a finding with
// a TODO place, made through the job's builder.

import type { Code } from "../../codes/index.js";
import type { JobField } from "../../diagnostics/model.js";
import {
  argValue,
  givenArgument,
  literalOf,
  literalStrings,
  pythonStr,
  shown,
  type BuiltEnvironment,
  type CondaSpec,
  type ConstructedValue,
  type StepDefinition,
  type Value,
} from "../../ir/types.js";
import type { ConvertContext, DefaultImages } from "../types.js";
import {
  mergePipSpecs,
  planEnvironment,
  readRequirementsFile,
  requirementLines,
  type EnvironmentPlan,
} from "./environment.js";
import type { CommandJob, CondaFile } from "./job-model.js";
import { loadedRunConfig } from "./runconfig-file.js";

function stringList(value: Value | undefined): string[] | undefined {
  return value ? literalStrings(value) : [];
}

/** Which input or output of a TODO's field it is about, and the value it concerns (the
 * finding is reported where that value is written). */
export interface TodoDetail {
  name?: string;
  about?: Value;
}

/** Where a job's findings go. */
export interface JobFindings {
  todo(code: Code, message: string, field: JobField, detail?: TodoDetail): void;
  note(code: Code, message: string): void;
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

export class EnvironmentBuilder {
  constructor(
    private readonly job: CommandJob,
    private readonly step: StepDefinition,
    private readonly context: ConvertContext,
    private readonly findings: JobFindings,
  ) {}

  private todo(code: Code, message: string, field: JobField, detail?: TodoDetail) {
    this.findings.todo(code, message, field, detail);
  }

  private note(code: Code, message: string) {
    this.findings.note(code, message);
  }

  /** The environment MpiStep ran in (docs/semantics.md, "Environment"). */
  buildMpiStepEnvironment() {
    this.checkDocker();
    const plan = planEnvironment(this.step);
    if (plan.kind === "given") this.referenceEnvironment(plan.value);
    else if (plan.kind === "default") {
      const image = SDK_DEFAULTS[this.context.defaultImages].cpu;
      this.noteImage(image);
      this.job.environment = { kind: "inline", image, conda: this.condaFile([], [], []) };
    } else this.builtEnvironment(plan);
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
      if (givenArgument(scriptRun, option))
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
    this.buildRunConfigEnvironment(givenArgument(scriptRun, "run_config"));
  }

  /** The environment a PythonScriptStep or CommandStep ran in: its run configuration's,
   * or without one the default of RunConfiguration() (docs/semantics.md, "Run
   * configurations"). */
  buildRunConfigEnvironment(runConfig: Value | undefined) {
    if (runConfig?.kind === "runConfig") runConfig = loadedRunConfig(runConfig, this.context);
    if (!runConfig) {
      const image = SDK_DEFAULTS[this.context.defaultImages].cpu;
      this.note(
        "MPI043",
        `the step has no runconfig: v1 gave it RunConfiguration()'s default environment, whose image is taken as ${image} (${IMAGE_CHOICE})`,
      );
      this.job.environment = { kind: "inline", image, conda: this.condaFile([], [], []) };
      return;
    }
    if (runConfig.kind !== "runConfig") {
      this.todo(
        "MPI014",
        `runconfig '${shown(runConfig)}' cannot be evaluated; set the environment`,
        "environment",
        { about: runConfig },
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
          { about: value },
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
  referenceEnvironment(env: Value) {
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
        { about: plan.userManaged },
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
        { about: plan.customImage },
      );
      return undefined;
    }
    const gpu = plan.useGpu ? literalOf(plan.useGpu) : false;
    if (typeof gpu !== "boolean") {
      this.todo(
        "MPI014",
        `use_gpu '${shown(plan.useGpu)}' cannot be evaluated; choose the image`,
        "environment",
        { about: plan.useGpu },
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
    this.note("MPI026", `the default image is taken as ${image} (${IMAGE_CHOICE})`);
  }
}

/** What the user can do about an assumed default image. */
const IMAGE_CHOICE =
  "the exact default depended on the SDK build that submitted the step; --default-images legacy takes the oldest builds'";

/** A statement's text as a message quotes it: on one line, shortened. */
function shownText(text: string): string {
  return shown({ kind: "opaque", text });
}
