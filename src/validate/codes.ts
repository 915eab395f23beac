// The stable diagnostic codes: one row per code with its default severity, a title and
// the paragraph `mpistep-migrate explain CODE` prints. Rules, backends and the SARIF
// printer read this table; codes are never renumbered.

export type Severity = "error" | "warning" | "info";

export interface CodeInfo {
  code: string;
  severity: Severity;
  title: string;
  explanation: string;
}

export const CODES: readonly CodeInfo[] = [
  {
    code: "MPI000",
    severity: "warning",
    title: "MpiStep is deprecated",
    explanation:
      "azureml.pipeline.steps.MpiStep is deprecated in favour of CommandStep, and SDK v1 support ended on 2026-06-30. Convert the step with 'mpistep-migrate convert' (in place to CommandStep, or to v2 command jobs, pipelines or SDK v2 code with --target).",
  },
  {
    code: "MPI001",
    severity: "error",
    title: "Required MpiStep parameter missing",
    explanation:
      "MpiStep raises ValueError when any of name, source_directory, script_name, arguments, compute_target, node_count or process_count_per_node is None (an empty arguments list is accepted). The step never constructed, so it is reported invalid and not converted.",
  },
  {
    code: "MPI002",
    severity: "error",
    title: "Node or process count is not an integer of at least 1",
    explanation:
      "node_count and process_count_per_node must each be an integer >= 1 or a PipelineParameter (MpiStep raises 'Node count should be at least 1.' / 'Process count per node should be at least 1.'). A literal of another type or below 1 makes the step invalid.",
  },
  {
    code: "MPI003",
    severity: "error",
    title: "environment_definition combined with an environment option",
    explanation:
      "When environment_definition is given, MpiStep's estimator rejects pip_packages, pip_requirements_file_path, conda_packages, custom_docker_image, image_registry_details, use_gpu=True and user_managed=True ('If environment_definition parameter is specified, the following parameters cannot be specified'). use_docker is not in that list.",
  },
  {
    code: "MPI004",
    severity: "error",
    title: "use_docker=False with custom_docker_image",
    explanation:
      "MpiStep rejects a custom_docker_image when use_docker is False ('If use_docker parameter is set to false, custom_docker_image ... is not allowed').",
  },
  {
    code: "MPI005",
    severity: "error",
    title: "user_managed=True with packages",
    explanation:
      "With user_managed=True Azure ML does not build a Python environment, so MpiStep rejects conda_packages, pip_packages and pip_requirements_file_path alongside it.",
  },
  {
    code: "MPI006",
    severity: "error",
    title: "Compute target is not AmlCompute",
    explanation:
      "MpiStep only accepts an AmlCompute cluster ('AmlCompute is the only supported compute_target'). A compute target known to be of another type (ComputeInstance, RemoteCompute, Databricks, ...) makes the step invalid.",
  },
  {
    code: "MPI007",
    severity: "warning",
    title: "Compute target given as a plain string",
    explanation:
      "MpiStep's check reads compute_target.type, so a plain string fails at construction on some SDK builds. The tool treats the string as the cluster's name. In JSON step definitions a string is the normal form and is not reported.",
  },
  {
    code: "MPI008",
    severity: "error",
    title: "Param name collides with a pipeline parameter used in arguments",
    explanation:
      "PipelineParameters that appear in arguments are registered as step params under their own name. A params / environment_variables entry with the same name makes MpiStep raise 'Parameter name X is already in use'.",
  },
  {
    code: "MPI009",
    severity: "error",
    title: "pip requirements file not found under source_directory",
    explanation:
      "MpiStep resolves pip_requirements_file_path relative to source_directory and raises when the file does not exist ('The pip requirements file should be inside the project folder'). Checked only when source_directory exists on disk.",
  },
  {
    code: "MPI010",
    severity: "error",
    title: "script_name not found under source_directory",
    explanation:
      "The script MpiStep runs is source_directory/script_name. When source_directory exists on disk and the script is not in it, the step cannot run. Checked only when source_directory exists on disk.",
  },
  {
    code: "MPI011",
    severity: "warning",
    title: "Deprecated hash_paths dropped",
    explanation:
      "hash_paths is deprecated and has no effect: MpiStep only logs a warning and hashes the whole source_directory (minus .amlignore / .gitignore). CommandStep and v2 have no such parameter, so it is dropped and listed in the report.",
  },
  {
    code: "MPI012",
    severity: "warning",
    title: "Keyword ignored by MpiStep dropped",
    explanation:
      "MpiStep silently ignores keyword arguments it does not know (runconfig= is common in real code). They never had an effect, so the conversion drops them and lists them in the report.",
  },
  {
    code: "MPI013",
    severity: "warning",
    title: "params spelling: may have had no effect",
    explanation:
      "MpiStep documents params, but its last public source reads environment_variables and hands that on as the step's params; on such builds params had no effect. The tool treats both as the step's params (AML_PARAMETER_<name> environment variables); check that the run needs them.",
  },
  {
    code: "MPI014",
    severity: "warning",
    title: "Value could not be evaluated",
    explanation:
      "The expression is not a literal, a known Azure ML constructor or a name bound to one, so the tool keeps it as opaque source text. In-place CommandStep rewrites carry the text over unchanged; v2 targets cannot evaluate it and mark the step for manual work.",
  },
  {
    code: "MPI015",
    severity: "error",
    title: "Value has the wrong type",
    explanation:
      "A parameter holds a value of a type MpiStep cannot take (for example arguments that is not a list, a name that is not a string, allow_reuse that is not a boolean, or null where a list is required).",
  },
  {
    code: "MPI016",
    severity: "warning",
    title: "Pipeline-parameter count in a standalone job",
    explanation:
      "A standalone v2 command job has no pipeline to bind a PipelineParameter node or process count to, so the parameter's default is used. Use --target pipeline-yaml to keep it bindable.",
  },
  {
    code: "MPI017",
    severity: "warning",
    title: "use_docker=False cannot be carried over",
    explanation:
      "v2 command jobs always run in a container; a step that ran without Docker cannot keep that behaviour. The step is marked for manual review.",
  },
  {
    code: "MPI018",
    severity: "warning",
    title: "Private image registry needs a registered environment",
    explanation:
      "image_registry_details (address, username, password of a private registry) cannot be written into an inline v2 environment. Register an environment that pulls from that registry and reference it; the step is marked for manual work.",
  },
  {
    code: "MPI019",
    severity: "warning",
    title: "Input data produced outside the converted steps",
    explanation:
      "The step consumes PipelineData produced by a step this conversion does not emit (for example a PythonScriptStep), or whose producer is unknown. It is kept as an input without a path, marked TODO; bind it to the producing job's output or a data asset.",
  },
  {
    code: "MPI020",
    severity: "warning",
    title: "Argument contains '${{'",
    explanation:
      "v2 reads '${{ ... }}' in a command as a binding expression, so a literal argument containing '${{' would be rewritten by Azure ML instead of being passed through. Review the argument.",
  },
  {
    code: "MPI021",
    severity: "info",
    title: "Entry skipped: not an MpiStep",
    explanation:
      "A JSON entry whose type is not MpiStep (for example a PythonScriptStep) is skipped and reported; it is not converted.",
  },
  {
    code: "MPI022",
    severity: "info",
    title: "Name changed for the target",
    explanation:
      "v2 job keys, component names, and input/output names must be identifiers and avoid reserved names (path, ld_library_path, user, logname, home, pwd, shell). The tool sanitises such a name and reports the change; display_name keeps the original step name.",
  },
  {
    code: "MPI023",
    severity: "warning",
    title: "No statement to insert the environment before",
    explanation:
      "The CommandStep rewrite defines an Environment in statements placed just before the statement that holds the call. Inside a lambda or a comprehension no such place exists, so the step is marked for manual work.",
  },
  {
    code: "MPI024",
    severity: "warning",
    title: "Keyword mapping could not be resolved",
    explanation:
      "MpiStep is called with **mapping whose entries are not a dict literal or a name bound to one, so the tool cannot know which parameters it sets. The step is marked for manual work.",
  },
  {
    code: "MPI025",
    severity: "warning",
    title: "Value not expressible in the target",
    explanation:
      "A value (for example a params value that is a data object, or an input of an unsupported kind) has no field in the chosen target. It is kept as a TODO and the step is marked for manual work.",
  },
  {
    code: "MPI026",
    severity: "info",
    title: "Default image assumed",
    explanation:
      "Without custom_docker_image, MpiStep used the SDK's DEFAULT_CPU_IMAGE or DEFAULT_GPU_IMAGE, whose value depended on the SDK build (newest: the openmpi4.1.0 Ubuntu 20.04 images; oldest: base:0.2.4). v2 needs an explicit image: the tool writes the set chosen with --default-images (latest or legacy) and reports it.",
  },
  {
    code: "MPI027",
    severity: "warning",
    title: "File kind not converted by the target",
    explanation:
      "The chosen target does not take this kind of file (commandstep rewrites Python files and notebooks in place; JSON step definitions need a v2 target such as job-yaml). The file is reported and skipped; its steps still need converting.",
  },
  {
    code: "MPI030",
    severity: "error",
    title: "File could not be parsed",
    explanation:
      "The file has a syntax error (Python), invalid JSON, or an invalid notebook. It is reported with the position of the first error and never rewritten.",
  },
  {
    code: "MPI031",
    severity: "error",
    title: "File could not be read",
    explanation:
      "The file is unreadable, binary, not valid text in its declared encoding, or larger than the size limit. It is reported and skipped.",
  },
  {
    code: "MPI032",
    severity: "error",
    title: "Output rejected by the Azure ML SDK",
    explanation:
      "convert --verify loaded this v2 output with the installed azure-ai-ml (load_job for YAML, running the SDK v2 module), validated it and serialised it as submission does, and the SDK refused it. The message is the SDK's own; the step is marked for manual work until the output passes.",
  },
  {
    code: "MPI033",
    severity: "warning",
    title: "Pipeline parameter value holds a single quote",
    explanation:
      "Azure ML pastes a literal input's value into the command text before the shell reads it, so the tool writes each pipeline-parameter binding inside single quotes ('${{inputs.x}}'): a value with spaces or shell characters stays one argv item, as MpiStep passed it. A value that itself holds a single quote would end that quoting and change the argv; the step is marked for manual work.",
  },
];

const BY_CODE = new Map(CODES.map((info) => [info.code, info]));

export function codeInfo(code: string): CodeInfo | undefined {
  return BY_CODE.get(code.toUpperCase());
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
}
