// The work on one file that may hold steps: parse (with CPython's outline where
// tree-sitter misreads), validate, convert and verify the outputs. Loaded on the first
// such file, so a run that finds none (a pre-commit check of unrelated files) never
// loads a parser, the rules or a backend.

import { readFileSync } from "node:fs";
import path from "node:path";
import { BACKENDS, defaultTarget, type TargetName } from "../backends/registry.js";
import { requirementLines } from "../backends/shared/environment.js";
import type {
  BackendOutput,
  ConvertContext,
  SourceFile,
  StepConversion,
} from "../backends/types.js";
import { InputError, type Diagnostic } from "../diagnostics/model.js";
import type { SourceKind } from "../frontends/types.js";
import { argValue, literalOf, type StepDefinition } from "../ir/types.js";
import { AZURE_STEP_TYPES, isMigrated } from "../ir/step-kinds.js";
import { decodeSource, encodeSource } from "../io/decode.js";
import { stamped } from "../io/stamp.js";
import type { NodeStatus, PipelineRecord, StepRecord } from "../report/model.js";
import { buildPipelines, nodeLabel, nodeType, where } from "../ir/graph.js";
import { diagnostic } from "../codes/index.js";
import { droppedOptions, validateStep, type ValidationContext } from "../validate/rules.js";
import {
  judgeEarly,
  JUDGED_EARLY_ABOVE,
  parseWithOutline,
  type EarlyJudgement,
} from "./cpython.js";
import {
  displayPath,
  emptyOutcome,
  isStepFile,
  type FileInput,
  type FileOutcome,
  type ProcessOptions,
} from "./outcome.js";
import { editedStatements, verifyText } from "./verify.js";
import { staleOutputs } from "./stale.js";
import { notebookDisk } from "./notebook-disk.js";
import { applySupplied } from "./supplied.js";

/** What backends may ask while converting the steps of `sourceFile`. */
function conversionContext(options: ProcessOptions, sourceFile: string): ConvertContext {
  /** A file named relative to the input's folder (as path.resolve joins `parts`), or
   * undefined when it cannot be read. */
  const read = (...parts: string[]): string | undefined => {
    try {
      return readFileSync(path.resolve(path.dirname(sourceFile), ...parts), "utf8");
    } catch {
      return undefined;
    }
  };
  return {
    defaultImages: options.defaultImages,
    pythonVersion: options.pythonVersion,
    findingsOnly: options.command === "check",
    readRequirements(step, file) {
      const dir = literalOf(argValue(step, "source_directory"));
      if (typeof dir !== "string") return { error: "source_directory is not known" };
      const text = read(dir, file);
      return text === undefined
        ? { error: `'${file}' could not be read under '${dir}'` }
        : { lines: requirementLines(text) };
    },
    readSourceFile(file) {
      const text = read(file);
      return text === undefined
        ? { error: `'${file}' could not be read beside ${path.basename(sourceFile)}` }
        : { text };
    },
  };
}

/** Where the validation rules look on disk (the input's folder): for a notebook, with
 * what its cells write and copy there. */
function validationContext(source: SourceFile): ValidationContext {
  const baseDir = path.dirname(source.path);
  const notebook = source.kind === "notebook" ? source.parsed : undefined;
  const disk = notebookDisk(baseDir, notebook?.writtenFiles ?? [], notebook?.copies ?? []);
  return {
    frontend: source.kind,
    baseDir,
    isDirectory: disk.isDirectory,
    isFile: disk.isFile,
    writtenByNotebook: disk.written,
  };
}

/** The input's path without its extension: where its generated files go. A name that is
 * only dots before the extension (`...json`) would name a folder above: its dots become
 * underscores. */
function outputStemOf(relative: string): string {
  const { dir, name, base } = path.parse(relative);
  return path.join(dir, /^\.*$/.test(name) ? base.replace(/\./g, "_") : name);
}

/** Parses, validates, converts and verifies one file that may hold steps. */
export async function analyse(
  input: FileInput,
  kind: SourceKind,
  bytes: Buffer,
  options: ProcessOptions,
): Promise<FileOutcome> {
  const early =
    kind === "python" && options.command === "convert" && bytes.length > JUDGED_EARLY_ABOVE
      ? judgeEarly(bytes)
      : undefined;
  try {
    return await analyseWith(input, kind, bytes, options, early);
  } finally {
    early?.abandon();
  }
}

async function analyseWith(
  input: FileInput,
  kind: SourceKind,
  bytes: Buffer,
  options: ProcessOptions,
  early: EarlyJudgement | undefined,
): Promise<FileOutcome> {
  const outcome = emptyOutcome(input);
  const { record } = outcome;
  const stepFile = isStepFile(kind, input, options);
  const decoded = await decodeSource(bytes, kind === "python");
  const { parse, tolerant } = await parseWithOutline(kind, decoded.text, input.outline, {
    strict: options.command === "convert",
    leaveOutUnrelated: options.command === "check" && !options.fullParse,
    keyMap: options.keyMap,
    requireExplicitType: kind === "json" && !stepFile,
  });
  const { steps, skipped } = parse.parsed;
  record.skipped = skipped;
  // An entry of another Azure ML step type is the pipeline's (MPI041 says when a target
  // leaves it out); an entry of a type nobody knows may be a misspelt MpiStep.
  record.diagnostics.push(
    ...skipped
      .filter((entry) => !AZURE_STEP_TYPES.has(entry.type))
      .map((entry) =>
        diagnostic(
          "MPI021",
          `skipped '${entry.label}': type '${entry.type}' is not an Azure ML step type (only MpiStep entries are converted)`,
          entry,
        ),
      ),
  );
  if (kind === "json" && !stepFile && !steps.length) outcome.skippedJson = true;
  const target = options.target ?? defaultTarget(kind);
  const backend = BACKENDS[target];
  const relative = path.relative(input.root, input.path);
  const outputRoot = options.outputRoot ?? input.root;
  const source: SourceFile = {
    ...parse,
    path: input.path,
    text: decoded.text,
    outputStem: path.join(outputRoot, outputStemOf(relative)),
  };
  const context = validationContext(source);
  // What the user supplies (--set) is there before validation; a misread step's
  // arguments are unknown: nothing to validate.
  const validation = new Map(
    steps.map((step): [StepDefinition, Diagnostic[]] => {
      if (step.misread) return [step, []];
      const supplied =
        isMigrated(step) && options.supplied ? applySupplied(step, options.supplied) : [];
      return [step, [...validateStep(step, context), ...supplied]];
    }),
  );
  const valid = steps.filter(
    (step) => !step.misread && !validation.get(step)!.some((d) => d.severity === "error"),
  );
  const migrated = steps.filter(isMigrated);
  // The steps around the MpiSteps matter to targets that carry whole pipelines: what is
  // wrong with them is the file's finding there.
  if ("wholePipelines" in backend)
    record.diagnostics.push(
      ...steps.filter((step) => !isMigrated(step)).flatMap((step) => validation.get(step)!),
    );
  const takes = (backend.inputs as readonly SourceKind[]).includes(kind);
  if (!takes)
    record.diagnostics.push(
      diagnostic("MPI027", `target ${target} does not convert ${kind} files; skipped`, {
        line: 1,
        column: 1,
      }),
    );
  const output: BackendOutput = takes
    ? (await backend.load()).convert(source, valid, conversionContext(options, input.path))
    : { files: [], steps: new Map() };
  record.diagnostics.push(...(output.diagnostics ?? []));
  // check never writes: it skips re-parsing what convert would write.
  const verified = options.command === "check" ? {} : await verifyOutputs(source, output, tolerant);
  // A target that writes the notebook's own files beside its output (MPI045) leaves
  // nothing to run and commit first: what MPI039 asks is done.
  const scriptsWritten = output.diagnostics?.some((d) => d.code === "MPI045");
  const findings = (step: StepDefinition) =>
    validation.get(step)!.filter((d) => !(scriptsWritten && d.code === "MPI039"));
  for (const step of migrated)
    record.steps.push(
      stepRecord(step, target, findings(step), output.steps.get(step), verified.problem),
    );
  const pipelines = pipelineRecords(source, (step) => {
    if (isMigrated(step)) {
      const status = record.steps[migrated.indexOf(step)]!.status;
      return status === "invalid" ? "left out" : status;
    }
    return output.nodes?.get(step) ?? ("wholePipelines" in backend ? "left out" : "not converted");
  });
  if (pipelines.length) record.pipelines = pipelines;
  if (options.command === "check" || verified.problem) return outcome;
  for (const file of output.files) {
    record.outputs.push(displayPath(file.path));
    outcome.writes.push({
      path: file.path,
      root: outputRoot,
      bytes: Buffer.from(
        file.verbatim ? file.text : stamped(file.text, file.path, { source: input.path, target }),
        "utf8",
      ),
      steps: file.steps?.flatMap((step) => (isMigrated(step) ? [migrated.indexOf(step)] : [])),
      generated: true,
    });
  }
  if (output.rewritten !== undefined && output.rewritten !== decoded.text) {
    // Standard input's rewrite goes to standard output, never to a file.
    const destination = path.join(outputRoot, relative);
    record.outputs.push(input.stdin ? "-" : displayPath(destination));
    const encoded = await encodeSource(decoded, output.rewritten);
    if (!input.stdin)
      outcome.writes.push({
        path: destination,
        root: outputRoot,
        bytes: encoded,
        original: options.outputRoot ? undefined : bytes,
      });
    const notebook = source.kind === "notebook";
    // CPython reads a Python file's bytes, as it would import it.
    const programs = {
      before: notebook ? source.parsed.maskedText : bytes,
      after: notebook
        ? verified.program!
        : verified.program === output.rewritten
          ? encoded
          : await encodeSource(decoded, verified.program!),
    };
    const verdicts = await early?.rewrite(programs.after);
    outcome.rewrite = {
      before: decoded.text,
      after: output.rewritten,
      programs,
      ...(verdicts ? { verdicts } : {}),
    };
  }
  // Files generated earlier from this input that nothing converts to now, looked for only
  // when the whole input was read and converted (a broken input says nothing about them).
  const complete =
    !input.stdin &&
    !record.diagnostics.some((d) => d.severity === "error") &&
    !record.steps.some((step) => step.status === "invalid");
  if (complete && !("inPlace" in backend)) {
    const planned = new Set(outcome.writes.map((write) => path.resolve(write.path)));
    const from = { source: path.resolve(input.path), target };
    const stale = staleOutputs(source.outputStem, from, planned);
    if (stale.length) outcome.stale = { files: stale, target };
  }
  return outcome;
}

/** Checks that every output parses: the problem when one does not (then nothing of the
 * file is written), and the Python program of the rewritten file CPython is to judge (for
 * a notebook, its code cells with magics masked; for a Python file, the top-level
 * statements the edits touched, the rest blanked). */
async function verifyOutputs(
  source: SourceFile,
  output: BackendOutput,
  tolerant: boolean,
): Promise<{ problem?: string; program?: string }> {
  for (const file of output.files) {
    const problem = await verifyText(path.extname(file.path), file.text);
    if (problem)
      return {
        problem: `generated ${path.basename(file.path)} would not parse (${problem}); nothing written`,
      };
  }
  if (output.rewritten === undefined) return {};
  const rewrittenProblem = (problem: string) => ({
    problem: `the rewritten file would not parse (${problem}); nothing written`,
  });
  if (source.kind !== "notebook") {
    // The original parsed whole: what the edits touched is what needs checking (and what
    // CPython, which judges the original whole, is given of the rewrite).
    const program =
      (output.edits && editedStatements(output.rewritten, output.edits)) ?? output.rewritten;
    // tree-sitter misreads the original too: CPython, which accepted it, judges the
    // rewrite (cpython.ts, askCPython).
    const problem = tolerant ? undefined : await verifyText(".py", program);
    return problem ? rewrittenProblem(problem) : { program };
  }
  try {
    const { parseNotebookSteps } = await import("../frontends/notebook/index.js");
    return { program: (await parseNotebookSteps(output.rewritten, { strict: true })).maskedText };
  } catch (error) {
    if (error instanceof InputError) return rewrittenProblem(error.message);
    throw error;
  }
}

/** The source pipelines around the file's MpiSteps, each node with what became of it. */
function pipelineRecords(
  source: SourceFile,
  statusOf: (step: StepDefinition) => NodeStatus,
): PipelineRecord[] {
  const { steps, skipped, pipelines } = source.parsed;
  const withMpiStep = buildPipelines(steps, skipped, pipelines ?? []).filter((graph) =>
    graph.nodes.some((node) => node.kind === "step" && isMigrated(node.step)),
  );
  return withMpiStep.map((graph) => ({
    name: graph.label,
    line: graph.line,
    nodes: graph.nodes.map((node) => ({
      name: nodeLabel(node),
      type: nodeType(node),
      line: where(node).line,
      status: node.kind === "step" ? statusOf(node.step) : "left out",
    })),
    edges: graph.edges.map((edge) => ({
      from: graph.nodes.indexOf(edge.from),
      to: graph.nodes.indexOf(edge.to),
      data: edge.data.name,
    })),
  }));
}

/** The step's findings in source order, each said once: validation's and the
 * conversion's. A conversion's finding replaces validation's of the same code at the same
 * place, since it says what the target made of it (MPI014: kept as text, or a TODO). */
function stepFindings(
  validation: Diagnostic[],
  conversion: StepConversion | undefined,
): Diagnostic[] {
  const found = conversion?.diagnostics ?? [];
  const place = (d: Diagnostic) => `${d.code}:${d.line}:${d.column}`;
  const replaced = new Set(found.map(place));
  const said = new Set<string>();
  return [...validation.filter((d) => !replaced.has(place(d))), ...found]
    .filter((d) => {
      const key = `${place(d)}:${d.message}`;
      return !said.has(key) && said.add(key);
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

function stepRecord(
  step: StepDefinition,
  target: TargetName,
  validation: Diagnostic[],
  conversion: StepConversion | undefined,
  verifyProblem: string | undefined,
): StepRecord {
  const invalid = validation.some((d) => d.severity === "error");
  const diagnostics = stepFindings(validation, conversion);
  if (step.misread)
    diagnostics.push(
      diagnostic(
        "MPI040",
        "tree-sitter misreads the top-level statement holding this step (CPython accepts the file): its arguments cannot be read, so it is not converted or rewritten",
        step,
        { manual: true },
      ),
    );
  if (verifyProblem && !invalid)
    diagnostics.push(
      diagnostic("MPI030", verifyProblem, step, { severity: "error", manual: true }),
    );
  const manual = diagnostics.some((d) => d.manual);
  const dropped = [...droppedOptions(step), ...(conversion?.dropped ?? [])];
  return {
    name: step.label,
    line: step.line,
    column: step.column,
    ...(step.cell ? { cell: step.cell } : {}),
    status: invalid ? "invalid" : manual || !conversion ? "manual" : "converted",
    target,
    diagnostics,
    dropped,
  };
}
