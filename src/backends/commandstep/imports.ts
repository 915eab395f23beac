// Import bookkeeping for the in-place rewrite: picks the local name of each Azure ML name
// the new code uses (reusing existing imports, avoiding clashes), and produces the edits
// that add missing imports in the file's own style and drop MpiStep from its import when
// nothing uses it any more.

import { MPISTEP_MODULES } from "../../ir/step-kinds.js";
import type { ImportFact, PythonFacts } from "../../frontends/python/index.js";
import { uniqueName } from "../shared/names.js";
import type { SourceSpan, StepDefinition } from "../../ir/types.js";
import type { TextEdit } from "../shared/edits.js";

/** Where each name the rewrite uses is imported from. */
const NAME_MODULES = {
  CommandStep: "azureml.pipeline.steps",
  ScriptRunConfig: "azureml.core",
  Environment: "azureml.core",
  MpiConfiguration: "azureml.core.runconfig",
  DockerConfiguration: "azureml.core.runconfig",
  DEFAULT_CPU_IMAGE: "azureml.core.runconfig",
  DEFAULT_GPU_IMAGE: "azureml.core.runconfig",
  CondaDependencies: "azureml.core.conda_dependencies",
} as const;

export type AzureName = keyof typeof NAME_MODULES;

function existingLocal(facts: PythonFacts, name: AzureName): string | undefined {
  for (const fact of facts.imports) {
    if (fact.kind !== "from" || fact.module !== NAME_MODULES[name]) continue;
    for (const imported of fact.names)
      if (imported.name === name || imported.name === "*")
        return imported.name === "*" ? name : (imported.alias ?? name);
  }
  return undefined;
}

export class ImportPlanner {
  private readonly locals = new Map<AzureName, { local: string; existing: boolean }>();
  /** The names the rewrite has added. */
  private readonly added = new Set<string>();

  constructor(
    private readonly facts: PythonFacts,
    private readonly text: string,
    private readonly newline: string,
  ) {}

  /** Whether `name` would clash: the file writes it, or the rewrite added it. */
  private taken(name: string): boolean {
    return this.added.has(name) || this.facts.writes(name);
  }

  /** The local name to write for `name`, recording that the rewrite uses it. */
  use(name: AzureName): string {
    const known = this.locals.get(name);
    if (known) return known.local;
    const existing = existingLocal(this.facts, name);
    let local = existing;
    if (!local) {
      local = name;
      const prefix = /^[A-Z_]+$/.test(name) ? "AZUREML_" : "AzureML";
      for (let i = 2; this.taken(local); i++) local = `${prefix}${name}${i === 2 ? "" : i}`;
      this.added.add(local);
    }
    this.locals.set(name, { local, existing: !!existing });
    return local;
  }

  /** A fresh identifier for a generated variable. */
  fresh(base: string): string {
    const name = uniqueName(base, (n) => this.taken(n));
    this.added.add(name);
    return name;
  }

  private lineEnd(offset: number): number {
    const nl = this.text.indexOf("\n", offset);
    if (nl < 0) return this.text.length;
    return this.text[nl - 1] === "\r" ? nl - 1 : nl;
  }

  private importText(name: AzureName): string {
    const { local } = this.locals.get(name)!;
    return local === name ? name : `${name} as ${local}`;
  }

  /** The edits for imports: called once, after every step was rendered. */
  edits(converted: StepDefinition[]): TextEdit[] {
    const edits: TextEdit[] = [];
    const missing = [...this.locals].filter(([, v]) => !v.existing).map(([name]) => name);
    const convertedCallees = new Set(converted.map((s) => s.callee!.span.start));
    const remainingUses = this.facts.mpiStepUses.filter(
      (span) => !convertedCallees.has(span.start),
    ).length;
    // The from-import that brought MpiStep in by name (the style to follow).
    const mpiImport = this.facts.imports.find(
      (f) =>
        f.kind === "from" &&
        MPISTEP_MODULES.includes(f.module) &&
        f.names.some((n) => n.name === "MpiStep"),
    );
    const mpiName = mpiImport?.names.find((n) => n.name === "MpiStep");
    const handled = new Set<AzureName>();
    const replacedStatements = new Set<ImportFact>();
    let extraLines: string[] = [];

    if (mpiImport && mpiName && remainingUses === 0 && converted.some((s) => !s.callee!.prefix)) {
      // MpiStep is no longer used: its name becomes CommandStep (same module) or goes.
      if (mpiImport.module === NAME_MODULES.CommandStep && missing.includes("CommandStep")) {
        edits.push({
          start: mpiName.span.start,
          end: mpiName.span.end,
          text: this.importText("CommandStep"),
        });
        handled.add("CommandStep");
      } else if (mpiImport.names.length === 1) {
        replacedStatements.add(mpiImport);
      } else {
        edits.push(this.removeName(mpiName.span));
      }
    } else if (
      mpiImport &&
      mpiName &&
      mpiImport.module === NAME_MODULES.CommandStep &&
      missing.includes("CommandStep")
    ) {
      edits.push({
        start: mpiName.span.end,
        end: mpiName.span.end,
        text: `, ${this.importText("CommandStep")}`,
      });
      handled.add("CommandStep");
    }

    const byModule = new Map<string, AzureName[]>();
    for (const name of missing) {
      if (handled.has(name)) continue;
      const module = NAME_MODULES[name];
      byModule.set(module, [...(byModule.get(module) ?? []), name]);
    }
    // Code-unit order: no collator to load, and the same order for these ASCII names.
    for (const [module, names] of [...byModule].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const list = names
        .sort()
        .map((n) => this.importText(n))
        .join(", ");
      const sameModule = this.facts.imports.find(
        (f) =>
          f.kind === "from" &&
          f.module === module &&
          f.topLevel &&
          !f.names.some((n) => n.name === "*") &&
          !replacedStatements.has(f),
      );
      if (sameModule)
        edits.push({
          start: sameModule.names.at(-1)!.span.end,
          end: sameModule.names.at(-1)!.span.end,
          text: `, ${list}`,
        });
      else extraLines.push(`from ${module} import ${list}`);
    }

    const anchor =
      mpiImport ??
      this.facts.imports.find((f) => f.topLevel && f.module.startsWith("azureml")) ??
      this.facts.imports.find((f) => f.topLevel);
    if (anchor && replacedStatements.has(anchor)) {
      const end = this.lineEnd(anchor.span.end);
      if (extraLines.length)
        edits.push({
          start: anchor.span.start,
          end: anchor.span.end,
          text: extraLines.join(this.newline + anchor.indent),
        });
      else edits.push(this.removeLine(anchor.span.start, end));
      extraLines = [];
    }
    if (extraLines.length) {
      if (anchor) {
        const end = this.lineEnd(anchor.span.end);
        edits.push({
          start: end,
          end,
          text: extraLines.map((l) => this.newline + anchor.indent + l).join(""),
        });
      } else
        edits.push({ start: 0, end: 0, text: extraLines.map((l) => l + this.newline).join("") });
    }
    return edits;
  }

  /** Removes one imported name and the comma that joins it to a neighbour. */
  private removeName(span: SourceSpan): TextEdit {
    const after = /^\s*,\s*/.exec(this.text.slice(span.end));
    if (after) return { start: span.start, end: span.end + after[0].length, text: "" };
    const before = /,\s*$/.exec(this.text.slice(0, span.start));
    return { start: before ? span.start - before[0].length : span.start, end: span.end, text: "" };
  }

  /** Removes a whole statement line (with its newline). */
  private removeLine(start: number, lineEnd: number): TextEdit {
    const lineStart = this.text.lastIndexOf("\n", start - 1) + 1;
    const next = this.text.slice(lineEnd, lineEnd + 2).startsWith("\r\n")
      ? lineEnd + 2
      : this.text[lineEnd] === "\n"
        ? lineEnd + 1
        : lineEnd;
    return { start: lineStart, end: next, text: "" };
  }
}
