// Target commandstep: rewrites each valid MpiStep call in a Python file or notebook, in
// place, into the CommandStep + ScriptRunConfig + MpiConfiguration form the MpiStep
// documentation points to. Only the calls, the statements building their environments
// and the imports change; every other byte stays as it was.

import { isMigrated } from "../../ir/step-kinds.js";
import { replaceCellSources } from "../../frontends/notebook/index.js";
import type { PythonResult } from "../../frontends/python/index.js";
import type { StepDefinition } from "../../ir/types.js";
import { planEnvironment } from "../shared/environment.js";
import { applyEdits, newlineOf, type TextEdit } from "../shared/edits.js";
import type { Diagnostic } from "../../diagnostics/model.js";
import { diagnostic } from "../../codes/index.js";
import type { Backend, BackendOutput, ConvertContext } from "../types.js";
import { ImportPlanner } from "./imports.js";
import { commandStepTodos, renderCommandStep } from "./render.js";

/** One indentation level: from the first indented block in the file, else four spaces. */
function indentUnit(text: string): string {
  const match = /:[ \t]*(?:#[^\n]*)?\r?\n(?:[ \t]*\r?\n)*([ \t]+)\S/.exec(text);
  return match?.[1] ?? "    ";
}

/** Why a step cannot be rewritten in place, if it cannot (manual work). */
function blocker(step: StepDefinition): Diagnostic | undefined {
  if (step.unresolvedMapping)
    return diagnostic(
      "MPI024",
      `**${step.unresolvedMapping} cannot be resolved, so the call is left as it is`,
      step,
      { manual: true },
    );
  if (!step.statementInsert && planEnvironment(step).kind === "built")
    return diagnostic(
      "MPI023",
      "the environment needs statements before the call, but the call sits in a lambda or comprehension",
      step,
      { manual: true },
    );
  return undefined;
}

/** Edits rewriting `steps` in `text`; steps that cannot be rewritten get a manual Todo. */
function rewrite(
  text: string,
  facts: PythonResult["facts"],
  steps: StepDefinition[],
  context: ConvertContext,
  output: BackendOutput,
): TextEdit[] {
  const newline = newlineOf(text);
  const imports = new ImportPlanner(facts, text, newline);
  const edits: TextEdit[] = [];
  const converted: StepDefinition[] = [];
  for (const step of steps) {
    const blocked = blocker(step);
    if (blocked) {
      output.steps.set(step, { diagnostics: [blocked], dropped: [] });
      continue;
    }
    if (context.findingsOnly) {
      output.steps.set(step, { diagnostics: commandStepTodos(step, context), dropped: [] });
      continue;
    }
    const rendered = renderCommandStep(step, {
      imports,
      text,
      newline,
      indentUnit: indentUnit(text),
      readRequirements: context.readRequirements,
    });
    output.steps.set(step, { diagnostics: rendered.todos, dropped: [] });
    if (rendered.todos.length) continue;
    converted.push(step);
    edits.push({ start: step.callSpan!.start, end: step.callSpan!.end, text: rendered.call });
    if (rendered.statements.length) {
      const { offset, indent } = step.statementInsert!;
      edits.push({
        start: offset,
        end: offset,
        text: rendered.statements.map((s) => `${indent}${s}${newline}`).join(""),
      });
    }
  }
  if (converted.length) edits.push(...imports.edits(converted));
  return edits;
}

export const commandStepBackend: Backend = {
  convert(file, given, context): BackendOutput {
    const output: BackendOutput = { files: [], steps: new Map() };
    if (file.kind === "json") return output; // the registry never hands it JSON
    // Only MpiSteps are rewritten; the steps around them are already current v1 code.
    const steps = given.filter(isMigrated);
    if (file.kind === "python") {
      const edits = rewrite(file.text, file.parsed.facts, steps, context, output);
      if (edits.length) Object.assign(output, { rewritten: applyEdits(file.text, edits), edits });
      return output;
    }
    const notebook = file.parsed;
    const edits = rewrite(notebook.joinedText, notebook.facts, steps, context, output);
    if (!edits.length) return output;
    output.rewritten = replaceCellSources(file.text, notebook.cells, (cell) => {
      const inCell = edits.filter((e) => e.start >= cell.start && e.end <= cell.end);
      if (!inCell.length) return undefined;
      return applyEdits(
        notebook.joinedText.slice(cell.start, cell.end),
        inCell.map((e) => ({ ...e, start: e.start - cell.start, end: e.end - cell.start })),
      );
    });
    return output;
  },
};
