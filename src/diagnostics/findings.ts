// The codes found outside validation, by whoever finds them: the engine (MPI000, MPI021,
// MPI027, MPI030-MPI032), io and frontends (MPI030, MPI031), and the backends (what a
// target cannot express). Validation rules keep their codes beside their checks in
// src/validate/rules.ts; src/validate/codes.ts joins both into the one code table.
// Codes are never renumbered.

export const FINDINGS = {
  MPI000: {
    severity: "warning",
    title: "MpiStep is deprecated",
    explanation:
      "azureml.pipeline.steps.MpiStep is deprecated in favour of CommandStep, and SDK v1 support ended on 2026-06-30. Convert the step with 'mpistep-migrate convert' (in place to CommandStep, or to v2 command jobs, pipelines or SDK v2 code with --target).",
  },
  MPI016: {
    severity: "warning",
    title: "Pipeline parameter at its default in a standalone job",
    explanation:
      "A standalone v2 command job has no pipeline to bind a PipelineParameter to, so a node or process count, or an AML_PARAMETER_ variable, that followed one takes the parameter's default: the job runs as the step did when the pipeline was submitted with that default, and a submission can set another value (az ml job create --set resources.instance_count=4). Use --target pipeline-yaml to keep it a parameter.",
  },
  MPI017: {
    severity: "warning",
    title: "use_docker=False cannot be carried over",
    explanation:
      "v2 command jobs always run in a container; a step that ran without Docker cannot keep that behaviour. The step is marked for manual review.",
  },
  MPI018: {
    severity: "warning",
    title: "Private image registry needs a registered environment",
    explanation:
      "image_registry_details (address, username, password of a private registry) cannot be written into an inline v2 environment. Register an environment that pulls from that registry and reference it; the step is marked for manual work.",
  },
  MPI019: {
    severity: "warning",
    title: "Input data produced outside the converted steps",
    explanation:
      "The step consumes PipelineData produced by a step this conversion does not emit (for example a PythonScriptStep), or whose producer is unknown. It is kept as an input without a path, marked TODO; bind it to the producing job's output or a data asset.",
  },
  MPI020: {
    severity: "warning",
    title: "Argument contains '${{'",
    explanation:
      "v2 reads '${{ ... }}' in a command as a binding expression, so a literal argument containing '${{' would be rewritten by Azure ML instead of being passed through. Review the argument.",
  },
  MPI021: {
    severity: "info",
    title: "Entry skipped: not an MpiStep",
    explanation:
      "A JSON entry whose type is not MpiStep (for example a PythonScriptStep) is skipped and reported; it is not converted.",
  },
  MPI022: {
    severity: "info",
    title: "Name changed for the target",
    explanation:
      "v2 job keys, component names, and input/output names must be identifiers and avoid reserved names (path, ld_library_path, user, logname, home, pwd, shell). The tool sanitises such a name and reports the change; display_name keeps the original step name.",
  },
  MPI023: {
    severity: "warning",
    title: "No statement to insert the environment before",
    explanation:
      "The CommandStep rewrite defines an Environment in statements placed just before the statement that holds the call. Inside a lambda or a comprehension no such place exists, so the step is marked for manual work.",
  },
  MPI025: {
    severity: "warning",
    title: "Value not expressible in the target",
    explanation:
      "A value (for example a params value that is a data object, or an input of an unsupported kind) has no field in the chosen target. It is kept as a TODO and the step is marked for manual work.",
  },
  MPI026: {
    severity: "info",
    title: "Default image assumed",
    explanation:
      "Without custom_docker_image, MpiStep used the SDK's DEFAULT_CPU_IMAGE or DEFAULT_GPU_IMAGE, whose value depended on the SDK build (newest: the openmpi4.1.0 Ubuntu 20.04 images; oldest: base:0.2.4). v2 needs an explicit image: the tool writes the set chosen with --default-images (latest or legacy) and reports it.",
  },
  MPI027: {
    severity: "warning",
    title: "File kind not converted by the target",
    explanation:
      "The chosen target does not take this kind of file (commandstep rewrites Python files and notebooks in place; JSON step definitions need a v2 target such as job-yaml). The file is reported and skipped; its steps still need converting.",
  },
  MPI030: {
    severity: "error",
    title: "File could not be parsed",
    explanation:
      "The file has a syntax error (Python), invalid JSON, or an invalid notebook. It is reported with the position of the first error and never rewritten.",
  },
  MPI031: {
    severity: "error",
    title: "File could not be read",
    explanation:
      "The file is unreadable, binary, not valid text in its declared encoding, or larger than the size limit. It is reported and skipped.",
  },
  MPI032: {
    severity: "error",
    title: "Output rejected by the Azure ML SDK",
    explanation:
      "convert --verify loaded this v2 output with the installed azure-ai-ml (load_job for YAML, running the SDK v2 module), validated it and serialised it as submission does, and the SDK refused it. The message is the SDK's own; the step is marked for manual work until the output passes.",
  },
  MPI033: {
    severity: "warning",
    title: "Pipeline parameter value holds a single quote",
    explanation:
      "Azure ML pastes a literal input's value into the command text before the shell reads it, so the tool writes each pipeline-parameter binding inside single quotes ('${{inputs.x}}'): a value with spaces or shell characters stays one argv item, as MpiStep passed it. A value that itself holds a single quote would end that quoting and change the argv; the step is marked for manual work.",
  },
  MPI034: {
    severity: "error",
    title: "Generated file edited since the tool wrote it",
    explanation:
      "The file the conversion would write already exists and was edited since mpistep-migrate generated it (its first line holds a hash of the content the tool wrote), or was not written by the tool at all. It is not replaced, so no hand edit is lost; compare it with the new output (convert without --write prints it) and rerun with --force to replace it.",
  },
  MPI035: {
    severity: "error",
    title: "Two inputs would write the same output",
    explanation:
      "Two inputs map to the same output file (for example a/pipe.py and b/pipe.py converted with --out-dir OUT both write OUT/pipe.py). Nothing is written in such a run; convert the inputs separately or from their common parent folder.",
  },
  MPI036: {
    severity: "info",
    title: "Python version assumed",
    explanation:
      "MpiStep built its conda environment from azureml-core's default one, whose Python was the SDK build's default (PYTHON_DEFAULT_VERSION: 3.8.13 in the newest builds; the oldest template said 3.6.2), not the submitting machine's. A v2 conda file without a Python lets conda pick the newest, which pinned packages may not support, so the tool pins the one of the SDK builds --default-images stands for (latest: 3.8.13, legacy: 3.6.2). Give --python-version to pin another.",
  },
  MPI037: {
    severity: "info",
    title: "Workspace default datastore assumed",
    explanation:
      "The data is on the workspace's default datastore (ws.get_default_datastore()). The tool cannot ask the workspace, so it takes it as workspaceblobstore, which every workspace's default is unless it was changed; check it before submitting.",
  },
  MPI040: {
    severity: "warning",
    title: "Step in code the parser misreads",
    explanation:
      "tree-sitter-python misreads part of this file, which CPython parses (valid Python it does not handle, such as a continuation line dedented below its block). The file's steps are found anyway; a step inside the misread part may have its arguments read wrong, so it is reported and not converted. Steps elsewhere in the file convert as usual, and CPython judges the rewritten file.",
  },
  MPI041: {
    severity: "warning",
    title: "Pipeline output leaves out a step of the source",
    explanation:
      "A pipeline output (pipeline-yaml, or sdk-v2) holds the MpiSteps of one source file; a step of that file it does not convert (another step type, such as a PythonScriptStep, or an invalid MpiStep) is missing from it. It is named in a TODO at the pipeline's jobs: add it before submitting. The MpiSteps keep their own status; the run exits 1.",
  },
  MPI042: {
    severity: "warning",
    title: "Symbolic link not followed",
    explanation:
      "A folder walk does not follow symbolic links (a link can lead outside the tree, or to a file the walk reads anyway), so a Python file, notebook or JSON file behind one is not read. Name the link or its target on the command line to read it; convert --write does not rewrite through a link.",
  },
} as const;
