// Codes the run and its per-file stages raise about a file or step as a whole
// (src/stages/, src/run/, discovery in src/io/discover.ts). Codes are never renumbered.

import type { CodeText } from "../diagnostics/model.js";

export const ENGINE_CODES = {
  MPI000: {
    severity: "warning",
    title: "MpiStep is deprecated",
    explanation:
      "azureml.pipeline.steps.MpiStep is deprecated in favour of CommandStep, and SDK v1 support ended on 2026-06-30. Convert the step with 'mpistep-migrate convert' (in place to CommandStep, or to v2 command jobs, pipelines or SDK v2 code with --target).",
  },
  MPI021: {
    severity: "info",
    title: "Entry skipped: not an Azure ML step type",
    explanation:
      "A JSON entry whose type is not an Azure ML step type (a misspelt \"MPIStep\", a type of the project's own) is skipped and reported; it is not converted. Entries of other Azure ML step types (PythonScriptStep, ParallelRunStep, ...) are steps of the pipeline: they are listed in the JSON report's skipped entries, and a target that leaves one out of a pipeline says so (MPI041).",
  },
  MPI027: {
    severity: "warning",
    title: "File kind not converted by the target",
    explanation:
      "The chosen target does not take this kind of file (commandstep rewrites Python files and notebooks in place; JSON step definitions need a v2 target such as job-yaml). The file is reported and skipped; its steps still need converting.",
  },
  MPI032: {
    severity: "error",
    title: "Output rejected by the Azure ML SDK",
    explanation:
      "convert --verify loaded this v2 output with the installed azure-ai-ml (load_job for YAML, running the SDK v2 module), validated it and serialised it as submission does, and the SDK refused it. The message is the SDK's own; the step is marked for manual work until the output passes.",
  },
  MPI034: {
    severity: "warning",
    title: "Generated file edited since the tool wrote it",
    explanation:
      "The file the conversion would write already exists and was edited since mpistep-migrate generated it (its first line holds a hash of the content the tool wrote), or was not written by the tool at all: typically TODOs filled in by hand. It is kept as it is, so no hand edit is lost, the finding points at that file (line 1), and the run exits 1 (work the user owns) rather than failing; compare it with the new output (convert without --write prints it) and rerun with --force to replace it.",
  },
  MPI035: {
    severity: "error",
    title: "Two inputs would write the same output",
    explanation:
      "Two inputs map to the same output file (for example a/pipe.py and b/pipe.py converted with --out-dir OUT both write OUT/pipe.py). Nothing is written in such a run; convert the inputs separately or from their common parent folder.",
  },
  MPI040: {
    severity: "warning",
    title: "Step in code the parser misreads",
    explanation:
      "tree-sitter-python misreads part of this file, which CPython parses (valid Python it does not handle, such as a continuation line dedented below its block). The file's steps are found anyway; a step inside the misread part may have its arguments read wrong, so it is reported and not converted. Steps elsewhere in the file convert as usual, and CPython judges the rewritten file.",
  },
  MPI042: {
    severity: "warning",
    title: "Symbolic link not followed",
    explanation:
      "A folder walk does not follow symbolic links (a link can lead outside the tree, or to a file the walk reads anyway), so a Python file, notebook or JSON file behind one is not read. Name the link or its target on the command line to read it; convert --write does not rewrite through a link.",
  },
  MPI047: {
    severity: "info",
    title: "Value supplied by the user (--set)",
    explanation:
      "--set [STEP:]PARAM=VALUE supplies an MpiStep parameter that the source lacks or cannot evaluate (a compute target defined in the project's own code, a project-format JSON entry). The step is converted with that value, and this finding marks it as supplied by the user, not read from the source. Where the source gives the parameter a value the tool can read, --set is not used: a warning says so.",
  },
  MPI048: {
    severity: "warning",
    title: "Generated file no step converts to any more",
    explanation:
      "A file under the input's output folder says in its first line that mpistep-migrate generated it from this input with this target, but no step of the input converts to it now: the step was renamed or removed. It would otherwise stay beside the current outputs without a word, and could still be submitted. convert reports it at that file (line 1), saying whether it was edited since it was generated (then carry the edits over to the new output first), and exits 1; convert --write --force removes it (reported as info; --exit-non-zero-on-write, which the convert hook uses, counts a removal as a write, so the removal is reviewed and committed). It is looked for only when the input was read whole and no step of it is invalid, so a broken input never marks its outputs stale.",
  },
} as const satisfies Record<string, CodeText>;
