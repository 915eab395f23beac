// Python frontend: finds the calls that resolve to Azure ML's MpiStep in a module and
// reads their arguments into the IR; also records the plain facts (imports, uses of the
// MpiStep name, bound names) that the in-place CommandStep backend needs, so that no
// backend reads syntax trees.

import type { Node } from "web-tree-sitter";
import { dataKey, stepData, type PipelineDeclaration } from "../../ir/graph.js";
import {
  kindParameter,
  OTHER_STEP_DATA,
  positionalParameters,
  STEP_KIND_NAMES,
  STEP_MODULES,
  type StepKind,
} from "../../ir/step-kinds.js";
import { lineIndex, type LineIndex } from "../../ir/positions.js";
import {
  argvValue,
  literalOf,
  walkValues,
  type DataValue,
  type SourceSpan,
  type StepArgument,
  type StepDefinition,
  type Value,
} from "../../ir/types.js";
import { InputError } from "../../diagnostics/model.js";
import type { FrontendResult, SkippedEntry } from "../types.js";
import { parsePython } from "./parser.js";
import { agreesWithScan, reducedInput, type ReducedInput } from "./reduce.js";
import { ScopeResolver } from "./scope.js";
import { identifiersNamed, matchesIn, writesWord, type ParsedText } from "./tokens.js";
import { firstInvalidity, firstSyntaxErrorAt } from "./validity.js";
import { Evaluator, calleeName, spanOf } from "./values.js";

export interface ImportFact {
  span: SourceSpan;
  kind: "from" | "import";
  module: string;
  names: Array<{ name: string; alias?: string; span: SourceSpan }>;
  /** Whether the statement is at module level (not inside a function or class). */
  topLevel: boolean;
  /** Indentation of the statement's line. */
  indent: string;
}

export interface PythonFacts {
  imports: ImportFact[];
  /** Every identifier occurrence that names MpiStep (callees and other uses). */
  mpiStepUses: SourceSpan[];
  /** Whether the file writes `word` anywhere (so it may bind that name), for choosing
   * names that do not clash. */
  writes(word: string): boolean;
}

export interface PythonResult extends FrontendResult {
  facts: PythonFacts;
  /** `shutil.copy`/`copy2`/`copyfile`/`copytree` calls whose two paths are strings. */
  copies?: FileCopy[];
  /** The string values of `PythonOptions.stringsAt`, by `${name}@${offset}`. */
  strings?: Map<string, string>;
}

/** Where the line holding `node` starts, and the text between that and the node. */
function lineBefore(
  node: Node,
  text: string,
  index: LineIndex,
): { lineStart: number; before: string } {
  const lineStart = index.lineStart(index.position(node.startIndex).line);
  return { lineStart, before: text.slice(lineStart, node.startIndex) };
}

function dotted(node: Node): string {
  return node.text.replace(/\s+/g, "");
}

/** Import statements, found from the `import` / `from` keywords in the text. */
function importStatements(root: Node, source: ParsedText): Node[] {
  const statements: Node[] = [];
  for (const match of matchesIn(source, /(?<![\w.])(import|from)(?![\w])/g)) {
    const keyword = root.descendantForIndex(match.index!, match.index! + match[1]!.length);
    const statement = keyword?.parent;
    if (
      statement &&
      (statement.type === "import_statement" || statement.type === "import_from_statement") &&
      statement.startIndex === match.index
    )
      statements.push(statement);
  }
  return statements;
}

function collectImports(root: Node, index: LineIndex, source: ParsedText): ImportFact[] {
  const { text } = source;
  const facts: ImportFact[] = [];
  for (const node of importStatements(root, source)) {
    const moduleNode = node.childForFieldName("module_name");
    const names: ImportFact["names"] = [];
    for (const child of node.namedChildren) {
      if (!child || child.id === moduleNode?.id) continue;
      if (child.type === "aliased_import")
        names.push({
          name: dotted(child.childForFieldName("name")!),
          alias: child.childForFieldName("alias")!.text,
          span: spanOf(child, index),
        });
      else if (child.type === "dotted_name")
        names.push({ name: dotted(child), span: spanOf(child, index) });
      else if (child.type === "wildcard_import")
        names.push({ name: "*", span: spanOf(child, index) });
    }
    facts.push({
      span: spanOf(node, index),
      kind: node.type === "import_statement" ? "import" : "from",
      module: moduleNode ? dotted(moduleNode) : "",
      names,
      topLevel: node.parent?.type === "module",
      indent: /^[ \t]*/.exec(lineBefore(node, text, index).before)![0],
    });
  }
  return facts;
}

interface CalleeInfo {
  kind: StepKind;
  /** For `module.Kind`: the module the prefix names (azureml.pipeline.steps, ...). */
  module?: string;
  /** For `module.Kind`: the prefix text (`steps`, `azureml.pipeline.steps`). */
  prefix?: string;
}

/** Callee texts (whitespace removed) that resolve to a modelled step kind, each with its
 * kind and module prefix. */
function stepCallees(imports: ImportFact[]): Map<string, CalleeInfo> {
  const callees = new Map<string, CalleeInfo>();
  const addModule = (prefix: string, module: string) => {
    for (const kind of STEP_KIND_NAMES) callees.set(`${prefix}.${kind}`, { kind, module, prefix });
  };
  for (const fact of imports) {
    for (const { name, alias } of fact.names) {
      if (fact.kind === "from") {
        if (STEP_MODULES.includes(fact.module))
          for (const kind of STEP_KIND_NAMES)
            if (name === kind || name === "*")
              callees.set(name === "*" ? kind : (alias ?? kind), { kind });
        const full = `${fact.module}.${name}`;
        if (STEP_MODULES.includes(full)) addModule(alias ?? name, full);
      } else {
        if (alias && STEP_MODULES.includes(name)) addModule(alias, name);
        if (!alias)
          for (const module of STEP_MODULES)
            if (module === name || module.startsWith(`${name}.`)) addModule(module, module);
      }
    }
  }
  return callees;
}

const NO_STATEMENT_CONTEXTS = new Set([
  "lambda",
  "list_comprehension",
  "dictionary_comprehension",
  "set_comprehension",
  "generator_expression",
]);

/** Where statements can go before the statement holding `call`: the start of its line. */
function statementInsert(
  call: Node,
  text: string,
  index: LineIndex,
): StepDefinition["statementInsert"] {
  let node: Node | null = call;
  while (node && node.parent && node.parent.type !== "block" && node.parent.type !== "module") {
    if (NO_STATEMENT_CONTEXTS.has(node.type)) return undefined;
    node = node.parent;
  }
  if (!node || NO_STATEMENT_CONTEXTS.has(node.type)) return undefined;
  const { lineStart, before } = lineBefore(node, text, index);
  return /^[ \t]*$/.test(before) ? { offset: lineStart, indent: before } : undefined;
}

/** CPython rejects a call with a positional argument after a keyword one, or a keyword
 * given twice, though tree-sitter accepts it: such a file is not valid Python. */
function checkCallSyntax(call: Node, index: LineIndex) {
  const seen = new Set<string>();
  let keywordSeen = false;
  for (const node of call.childForFieldName("arguments")?.namedChildren ?? []) {
    if (!node || node.type === "comment") continue;
    const where = index.position(node.startIndex);
    if (node.type === "keyword_argument") {
      const name = node.childForFieldName("name")!.text;
      if (seen.has(name))
        throw new InputError(
          "MPI030",
          `syntax error: keyword argument repeated: ${name}`,
          where.line,
          where.column,
        );
      seen.add(name);
      keywordSeen = true;
    } else if (node.type === "dictionary_splat") keywordSeen = true;
    else if (node.type !== "list_splat" && keywordSeen)
      throw new InputError(
        "MPI030",
        "syntax error: positional argument follows keyword argument",
        where.line,
        where.column,
      );
  }
}

/** Reads the arguments of one step call into named step arguments (by its kind's table). */
function readArguments(call: Node, evaluator: Evaluator, index: LineIndex, step: StepDefinition) {
  let position = 0;
  const positional = positionalParameters(step.kind);
  const put = (arg: StepArgument) =>
    kindParameter(step.kind, arg.name) ? step.args.set(arg.name, arg) : step.ignored.push(arg);
  for (const node of call.childForFieldName("arguments")?.namedChildren ?? []) {
    if (!node || node.type === "comment") continue;
    const span = spanOf(node, index);
    if (node.type === "keyword_argument") {
      put({
        name: node.childForFieldName("name")!.text,
        value: evaluator.evaluate(node.childForFieldName("value")!),
        span,
        via: "keyword",
      });
    } else if (node.type === "dictionary_splat") {
      const expr = node.namedChildren.find((c) => c?.type !== "comment")!;
      const mapping = evaluator.evaluate(expr);
      if (mapping.kind !== "dict") {
        step.unresolvedMapping = expr.text;
        continue;
      }
      for (const entry of mapping.entries) {
        // Through a name, `cfg["key"]` is exactly what `**cfg` passed; inline, the entry's own text is.
        const text =
          expr.type === "dictionary"
            ? entry.value.text
            : `${expr.text}[${JSON.stringify(entry.key)}]`;
        put({ name: entry.key, value: { ...entry.value, text } as Value, span, via: "mapping" });
      }
    } else if (node.type === "list_splat") {
      step.unresolvedMapping = node.text;
    } else {
      const name = positional[position++];
      if (name) put({ name, value: evaluator.evaluate(node), span, via: "positional" });
      else step.unresolvedMapping = node.text;
    }
  }
}

/** The call whose callee is `fn` (an identifier, or the attribute holding it), if any. */
function callOf(fn: Node): Node | undefined {
  const parent = fn.parent;
  return parent?.type === "call" && parent.childForFieldName("function")?.id === fn.id
    ? parent
    : undefined;
}

/** `id` itself, or the attribute it is the last part of (`steps.MpiStep`). */
function calleeNode(id: Node): Node {
  const parent = id.parent;
  return parent?.type === "attribute" && parent.childForFieldName("attribute")?.id === id.id
    ? parent
    : id;
}

/** Calls of other `...Step(...)` constructors, found from the text. */
function otherStepCalls(root: Node, source: ParsedText): Node[] {
  const calls: Node[] = [];
  for (const match of matchesIn(source, /(?<![\w])([A-Za-z_]\w*Step)\s*\(/g)) {
    const id = root.descendantForIndex(match.index!, match.index! + match[1]!.length);
    const call = id?.type === "identifier" ? callOf(calleeNode(id)) : undefined;
    if (call) calls.push(call);
  }
  return calls;
}

/** The data values among the keywords `names` of a call. */
function dataOf(call: Node, names: readonly string[], evaluator: Evaluator): DataValue[] {
  const found: DataValue[] = [];
  for (const arg of call.childForFieldName("arguments")?.namedChildren ?? []) {
    if (arg?.type !== "keyword_argument" || !names.includes(arg.childForFieldName("name")!.text))
      continue;
    for (const value of walkValues(evaluator.evaluate(arg.childForFieldName("value")!)))
      if (value.kind === "data") found.push(value);
  }
  return found;
}

/** The steps of types the tool does not model (`...Step(...)` calls that are not a
 * modelled kind), each with the data it reads and writes. */
function otherSteps(calls: Node[], evaluator: Evaluator, index: LineIndex): SkippedEntry[] {
  const skipped: SkippedEntry[] = [];
  for (const call of calls) {
    const type = calleeName(call.childForFieldName("function"))!;
    // A call named MpiStep that does not resolve to Azure ML's is not another step type.
    if (type === "MpiStep") continue;
    let label = type;
    for (const arg of call.childForFieldName("arguments")?.namedChildren ?? [])
      if (arg?.type === "keyword_argument" && arg.childForFieldName("name")!.text === "name") {
        const v = evaluator.evaluate(arg.childForFieldName("value")!);
        if (v.kind === "literal" && typeof v.value === "string") label = v.value;
      }
    skipped.push({
      label,
      type,
      ...index.position(call.startIndex),
      at: call.startIndex,
      consumes: dataOf(call, OTHER_STEP_DATA.consumes, evaluator),
      produces: dataOf(call, OTHER_STEP_DATA.produces, evaluator),
    });
  }
  return skipped;
}

/** The names a step call is written with: `MpiStep`, an alias, the last part of
 * `steps.MpiStep`. */
function lastParts(callees: Map<string, unknown>): Set<string> {
  return new Set([...callees.keys()].map((key) => key.split(".").pop()!));
}

const IMPORT_CONTEXTS = new Set([
  "aliased_import",
  "dotted_name",
  "import_from_statement",
  "import_statement",
]);

/** Every place a step kind is named through one of `callees` (calls and other uses). */
function stepUses(root: Node, source: ParsedText, callees: Map<string, unknown>): Node[] {
  const uses: Node[] = [];
  for (const part of lastParts(callees))
    for (const id of identifiersNamed(root, source, part)) {
      const node = calleeNode(id);
      if (callees.has(dotted(node)) && !IMPORT_CONTEXTS.has(node.parent?.type ?? ""))
        uses.push(node);
    }
  return uses.sort((a, b) => a.startIndex - b.startIndex);
}

export interface PythonOptions {
  /** Also apply the rules CPython adds to tree-sitter's grammar (validity.ts). They walk
   * the whole tree, so only runs that may write (convert) pay for them. */
  strict?: boolean;
  /** Names whose string value is wanted at an offset of the text (a notebook's
   * `%%writefile $folder/x.py`): the result's `strings` holds those that resolve. */
  stringsAt?: Array<{ name: string; offset: number }>;
  /** Leave out of the parse the top-level definitions that cannot matter to a step
   * (reduce.ts): `check` does; a syntax error inside them then goes unreported. */
  leaveOutUnrelated?: boolean;
  /** Find the `shutil` copies (a notebook's cells: what they put on disk). */
  copies?: boolean;
}

/** Where tree-sitter's reading of `text` starts to go wrong: the offsets of its ERROR
 * and MISSING nodes (empty when it reads the whole text). */
export async function misreadOffsets(text: string): Promise<number[]> {
  const tree = await parsePython(text);
  try {
    const offsets: number[] = [];
    const visit = (node: Node) => {
      if (node.type === "ERROR" || node.isMissing) offsets.push(node.startIndex);
      else if (node.hasError) for (const child of node.children) if (child) visit(child);
    };
    visit(tree.rootNode);
    return offsets;
  } finally {
    tree.delete();
  }
}

export async function parsePythonSteps(
  text: string,
  options: PythonOptions = {},
): Promise<PythonResult> {
  const looksUp = options.stringsAt?.map(({ name }) => name);
  const input =
    options.leaveOutUnrelated && !options.strict ? reducedInput(text, looksUp) : undefined;
  const inLeftOut = (offset: number) =>
    input!.leftOut.some((range) => offset >= range.start && offset < range.end);
  if (input && !options.stringsAt?.some(({ offset }) => inLeftOut(offset))) {
    const tree = await parsePython(input.text, input.ranges);
    try {
      if (agreesWithScan(tree.rootNode, input)) {
        const result = stepsOf(
          tree.rootNode,
          { text: input.text, ranges: input.ranges },
          text,
          options,
        );
        if (!aliasLeftOut(result.facts.imports, input)) return result;
      }
    } finally {
      tree.delete();
    }
  }
  const tree = await parsePython(text);
  try {
    return stepsOf(tree.rootNode, { text }, text, options);
  } finally {
    tree.delete();
  }
}

/** Whether MpiStep is imported under another name that the left-out text writes: then a
 * definition left out may use it, and the whole text must be parsed. */
function aliasLeftOut(imports: ImportFact[], input: ReducedInput): boolean {
  const aliases = [...lastParts(stepCallees(imports))].filter(
    (name) => !(STEP_KIND_NAMES as string[]).includes(name),
  );
  return aliases.some((alias) =>
    input.leftOut.some(({ start, end }) => writesWord(input.text.slice(start, end), alias)),
  );
}

/** The steps and facts of a module from its syntax tree (read from `source`); `text` is
 * the whole module. */
function stepsOf(
  root: Node,
  source: ParsedText,
  text: string,
  options: PythonOptions,
): PythonResult {
  const index = lineIndex(text);
  const invalid = options.strict ? firstInvalidity(root, text) : firstSyntaxErrorAt(root);
  if (invalid) {
    const where = index.position(invalid.offset);
    throw new InputError("MPI030", invalid.message, where.line, where.column);
  }
  const imports = collectImports(root, index, source);
  const callees = stepCallees(imports);
  const uses = stepUses(root, source, callees);
  const kindOf = (node: Node) => callees.get(dotted(node))!;
  const facts: PythonFacts = {
    imports,
    mpiStepUses: uses
      .filter((node) => kindOf(node).kind === "MpiStep")
      .map((node) => spanOf(node, index)),
    writes: (word) => writesWord(text, word),
  };
  const stepCalls = uses.map(callOf).filter((call): call is Node => !!call);
  const stepCallIds = new Set(stepCalls.map((call) => call.id));
  const otherCalls = otherStepCalls(root, source).filter((call) => !stepCallIds.has(call.id));
  const evaluator = new Evaluator({
    scope: new ScopeResolver(root, source),
    index,
    stepCalls: new Set([...stepCalls, ...otherCalls].map((call) => call.startIndex)),
  });
  const skipped = otherSteps(otherCalls, evaluator, index);
  const steps: StepDefinition[] = [];
  for (const call of stepCalls) {
    checkCallSyntax(call, index);
    const fn = call.childForFieldName("function")!;
    const { kind, ...callee } = kindOf(fn);
    const where = index.position(call.startIndex);
    const step: StepDefinition = {
      kind,
      label: "",
      ...where,
      at: call.startIndex,
      args: new Map(),
      ignored: [],
      callSpan: spanOf(call, index),
      callee: { span: spanOf(fn, index), text: fn.text, ...callee },
      statementInsert: statementInsert(call, text, index),
      comments: call
        .childForFieldName("arguments")!
        .descendantsOfType("comment")
        .flatMap((c) => (c ? [{ span: spanOf(c, index), text: c.text.replace(/\r$/, "") }] : [])),
      multilineStrings: call
        .childForFieldName("arguments")!
        .descendantsOfType("string")
        .flatMap((s) => (s && s.text.includes("\n") ? [spanOf(s, index)] : [])),
      lineIndent: /^[ \t]*/.exec(lineBefore(call, text, index).before)![0],
    };
    evaluator.horizon = call.startIndex;
    readArguments(call, evaluator, index, step);
    evaluator.horizon = undefined;
    step.label = stepLabel(step, where.line);
    steps.push(step);
  }
  markProducers(steps, skipped);
  const pipelines = pipelineDeclarations(root, source, evaluator, index);
  orderings(root, source, evaluator, steps);
  const strings = new Map<string, string>();
  for (const { name, offset } of options.stringsAt ?? []) {
    const at = root.descendantForIndex(offset, offset);
    const bound = at ? evaluator.stringNamed(name, at) : undefined;
    if (bound !== undefined) strings.set(`${name}@${offset}`, bound);
  }
  const copies = options.copies ? fileCopies(root, source, evaluator) : [];
  return {
    steps,
    skipped,
    pipelines,
    facts,
    ...(strings.size ? { strings } : {}),
    ...(copies.length ? { copies } : {}),
  };
}

/** The step's literal `name`; a PythonScriptStep without one is named by its script, as
 * v1 names it. */
function stepLabel(step: StepDefinition, line: number): string {
  for (const key of step.kind === "PythonScriptStep" ? ["name", "script_name"] : ["name"]) {
    const value = step.args.get(key)?.value;
    if (value?.kind === "literal" && typeof value.value === "string") return value.value;
  }
  return `${step.kind} at line ${line}`;
}

/** Names, on each data object a step reads, the other step that writes it (on every
 * place the step passes it: inputs, arguments). */
function markProducers(steps: StepDefinition[], others: SkippedEntry[]) {
  const data = new Map(steps.map((step) => [step, stepData(step)]));
  const producers = new Map<string, string>();
  for (const step of steps)
    for (const item of data.get(step)!.produces) producers.set(dataKey(item), step.label);
  for (const other of others)
    for (const item of other.produces ?? []) producers.set(dataKey(item), other.label);
  for (const step of steps) {
    const read = new Set(data.get(step)!.consumes.map(dataKey));
    for (const value of [step.args.get("inputs")?.value, argvValue(step)]) {
      for (const item of value ? walkValues(value) : [])
        if (item.kind === "data" && read.has(dataKey(item))) {
          const producer = producers.get(dataKey(item));
          if (producer !== undefined && producer !== step.label) item.producer = producer;
        }
    }
  }
}

/** The `Pipeline(workspace, steps=[...])` calls of the module. */
function pipelineDeclarations(
  root: Node,
  source: ParsedText,
  evaluator: Evaluator,
  index: LineIndex,
): PipelineDeclaration[] {
  const declarations: PipelineDeclaration[] = [];
  for (const match of matchesIn(source, /(?<![\w])Pipeline\s*\(/g)) {
    const id = root.descendantForIndex(match.index!, match.index! + "Pipeline".length);
    const call = id?.type === "identifier" ? callOf(calleeNode(id)) : undefined;
    if (!call) continue;
    const args = (call.childForFieldName("arguments")?.namedChildren ?? []).filter(
      (n): n is Node => !!n && n.type !== "comment",
    );
    const stepsNode =
      args
        .find((n) => n.type === "keyword_argument" && n.childForFieldName("name")!.text === "steps")
        ?.childForFieldName("value") ?? args.filter((n) => n.type !== "keyword_argument")[1];
    if (!stepsNode) continue;
    const where = index.position(call.startIndex);
    const holder = call.parent;
    const variable =
      holder?.type === "assignment" && holder.childForFieldName("left")?.type === "identifier"
        ? holder.childForFieldName("left")!.text
        : undefined;
    evaluator.horizon = call.startIndex;
    const steps = evaluator.evaluate(stepsNode);
    evaluator.horizon = undefined;
    declarations.push({ label: variable ?? `pipeline at line ${where.line}`, ...where, steps });
  }
  return declarations;
}

/** A copy the code makes: a file (`copy`, `copy2`: to a file or into a folder;
 * `copyfile`: to a file) or a folder's tree (`copytree`), paths as written. */
export interface FileCopy {
  kind: "file" | "into" | "tree";
  from: string;
  to: string;
}

const COPY_KINDS: Record<string, FileCopy["kind"]> = {
  copy: "into",
  copy2: "into",
  copyfile: "file",
  copytree: "tree",
};

/** The `shutil.copy...(from, to)` calls whose paths evaluate to strings. */
function fileCopies(root: Node, source: ParsedText, evaluator: Evaluator): FileCopy[] {
  const copies: FileCopy[] = [];
  for (const match of matchesIn(source, /\bshutil\s*\.\s*(copy(?:2|file|tree)?)\s*\(/g)) {
    const start = match.index! + match[0].lastIndexOf(match[1]!);
    const id = root.descendantForIndex(start, start + match[1]!.length);
    const call = id?.type === "identifier" ? callOf(calleeNode(id)) : undefined;
    const args = (call?.childForFieldName("arguments")?.namedChildren ?? []).filter(
      (n): n is Node => !!n && n.type !== "comment" && n.type !== "keyword_argument",
    );
    const [from, to] = args.slice(0, 2).map((n) => literalOf(evaluator.evaluate(n)));
    if (typeof from === "string" && typeof to === "string")
      copies.push({ kind: COPY_KINDS[match[1]!]!, from, to });
  }
  return copies;
}

/** `after.run_after(before)` calls: the order they add between two steps. */
function orderings(root: Node, source: ParsedText, evaluator: Evaluator, steps: StepDefinition[]) {
  const byOffset = new Map(steps.map((step) => [step.at!, step]));
  for (const match of matchesIn(source, /\.\s*run_after\s*\(/g)) {
    const start = match.index! + match[0].indexOf("run_after");
    const id = root.descendantForIndex(start, start + "run_after".length);
    const call = id && callOf(calleeNode(id));
    const object = call?.childForFieldName("function")?.childForFieldName("object");
    const argument = call
      ?.childForFieldName("arguments")
      ?.namedChildren.find((n) => n && n.type !== "comment");
    if (!object || !argument) continue;
    const after = evaluator.evaluate(object);
    const before = evaluator.evaluate(argument);
    if (after.kind !== "step" || before.kind !== "step") continue;
    const step = byOffset.get(after.at);
    if (step) (step.runAfter ??= []).push(before.at);
  }
}
