// Codes the target backends raise: what a target cannot express, or a fact about how it
// expressed it (src/backends/). Codes are never renumbered.

import type { CodeText } from "../diagnostics/model.js";

export const TARGET_CODES = {
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
      "The step consumes data another step writes (PipelineData, or an OutputFileDatasetConfig read with .as_input()) but the output does not hold that step: a standalone job (job-yaml), or a pipeline whose producer is of a type the tool does not convert or is unknown. It is kept as an input without a path, marked TODO; bind it to the producing job's output or a data asset. Use --target pipeline-yaml or sdk-v2 to carry the producing steps along.",
  },
  MPI020: {
    severity: "warning",
    title: "Argument contains '${{'",
    explanation:
      "v2 reads '${{ ... }}' in a command as a binding expression, so a literal argument containing '${{' would be rewritten by Azure ML instead of being passed through. Review the argument.",
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
      "A value (for example a params value that is a data object, or an input of an unsupported kind) has no field in the chosen target. It is kept as a TODO and the step is marked for manual work. An option the target has no field for and that can go without changing what runs (allow_reuse or version in a standalone job, version in SDK v2's anonymous components) is dropped instead: a warning, with the option in the report's dropped options.",
  },
  MPI026: {
    severity: "info",
    title: "Default image assumed",
    explanation:
      "Without custom_docker_image, MpiStep used the SDK's DEFAULT_CPU_IMAGE or DEFAULT_GPU_IMAGE, whose value depended on the SDK build (newest: the openmpi4.1.0 Ubuntu 20.04 images; oldest: base:0.2.4). v2 needs an explicit image: the tool writes the set chosen with --default-images (latest or legacy) and reports it.",
  },
  MPI033: {
    severity: "warning",
    title: "Pipeline parameter value holds a single quote",
    explanation:
      "Azure ML pastes a literal input's value into the command text before the shell reads it, so the tool writes each pipeline-parameter binding inside single quotes ('${{inputs.x}}'): a value with spaces or shell characters stays one argv item, as MpiStep passed it. A value that itself holds a single quote would end that quoting and change the argv; the step is marked for manual work.",
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
  MPI041: {
    severity: "warning",
    title: "Pipeline output leaves out a step of the source",
    explanation:
      "A pipeline output (pipeline-yaml, or sdk-v2) holds every step v1 would submit with the MpiStep: MpiSteps, PythonScriptSteps and CommandSteps. A step of that pipeline it cannot convert (a type the tool does not model, such as ParallelRunStep or HyperDriveStep, an invalid step, or a list item that is not a known step) is named in a TODO at the pipeline's jobs with the data that passes through it: add it before submitting. The pipeline's MpiSteps are then manual; the run exits 1.",
  },
  MPI043: {
    severity: "info",
    title: "Step without a run configuration gets v1's default environment",
    explanation:
      "A PythonScriptStep or CommandStep given no runconfig ran in what RunConfiguration() holds: Docker on, the SDK's default CPU image and the default conda file (the SDK build's Python and pip azureml-defaults). The converted node gets that image and conda file, written out; the message names the image assumed (as MPI026 does for an MpiStep), and MPI036 the Python.",
  },
  MPI044: {
    severity: "warning",
    title: "Order without data (run_after) is not carried over",
    explanation:
      "step.run_after(other) made v1 run one step after another without data passing between them. A v2 pipeline orders its nodes only by data: give the earlier node an output that the later one takes as an input (an empty uri_folder will do). The pipeline keeps a TODO at its jobs.",
  },
  MPI045: {
    severity: "info",
    title: "Files the notebook writes are written beside the output",
    explanation:
      "A notebook wrote a step's script (or another file of its source_directory) itself with %%writefile, so the folder may not exist until the notebook runs. The files are written, with the cells' text, into a code folder beside the converted output, and the output's code points there, so it can be submitted without running the notebook. They are listed in the report's outputs.",
  },
} as const satisfies Record<string, CodeText>;
