// What `check` parses of a Python module. The top-level `def` and `class` statements that
// cannot hold or feed an MpiStep call are left out of the parse: those that mention
// neither `Step` nor `azureml` go whole when nothing outside them names them, else only
// their bodies go (a `...` placeholder stands in, offsets kept). Step analysis reads
// names only through bindings in the scopes around a call (scope.ts), and a definition's
// body is a scope of its own, so nothing it reads is left out. The reduced parse is used
// only when it agrees with the scan (index.ts); otherwise the whole text is parsed.

import type { Node } from "web-tree-sitter";
import { topLevelStatements, type TopLevelStatement } from "./skeleton.js";

export interface TextRange {
  start: number;
  end: number;
}

export interface ReducedInput {
  /** The text the parser reads: the original with `...` over the first three
   * characters of each left-out body. */
  text: string;
  /** The parts of `text` the parser reads, in order (tree-sitter's included ranges). */
  ranges: TextRange[];
  /** The parts left out, in order. */
  leftOut: TextRange[];
  /** Where the top-level statements kept start (the parse must start statements there)
   * and where the body placeholders are. */
  statementStarts: number[];
  placeholders: number[];
}

const PLACEHOLDER = "...";
/** Text that keeps a definition in the parse: a step's type name or an Azure ML import. */
const RELEVANT = ["Step", "azureml"];
const WORD = /[A-Za-z_]\w*/g;

/** The input for a reduced parse of `text`, or undefined when nothing can be left out
 * (or the scan cannot follow the text). `extraNames`: names something else will look up
 * (a notebook's `%%writefile $folder/...`), so no definition of theirs goes whole. */
export function reducedInput(
  text: string,
  extraNames: Iterable<string> = [],
): ReducedInput | undefined {
  const statements = topLevelStatements(text);
  if (!statements) return undefined;
  const hits: number[] = [];
  for (const word of RELEVANT)
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) hits.push(at);
  const relevant = (start: number, end: number) => hits.some((at) => at >= start && at < end);
  /** Definitions whose body may go, and those of them that may go whole. */
  const bodies = new Set<TopLevelStatement>();
  const wholes = new Set<TopLevelStatement>();
  for (const statement of statements) {
    const bodyStart = statement.definition?.bodyStart;
    if (bodyStart === undefined || relevant(bodyStart, statement.end)) continue;
    const first = text.slice(bodyStart, bodyStart + PLACEHOLDER.length);
    if (first.includes("\n") || first.includes("\r")) continue;
    bodies.add(statement);
    if (
      statement.definition!.name &&
      !relevant(statement.start, bodyStart) &&
      !text.slice(statement.start, bodyStart).includes(":=")
    )
      wholes.add(statement);
  }
  if (!bodies.size) return undefined;
  // A definition goes whole only when nothing kept whole names it (a use there could
  // resolve to it); the headers of definitions whose bodies go are never read for names.
  const named = new Set(extraNames);
  for (const statement of statements)
    if (!bodies.has(statement))
      for (const [word] of text.slice(statement.start, statement.end).matchAll(WORD))
        named.add(word);
  for (const statement of wholes)
    if (named.has(statement.definition!.name!)) wholes.delete(statement);
  const leftOut: TextRange[] = [];
  const placeholders: number[] = [];
  const statementStarts: number[] = [];
  let parserText = "";
  let copied = 0;
  statements.forEach((statement, i) => {
    if (wholes.has(statement)) {
      // Consecutive statements are apart only by blank and comment lines: one range.
      const previous = statements[i - 1];
      const last = leftOut[leftOut.length - 1];
      if (previous && wholes.has(previous) && last?.end === previous.end) last.end = statement.end;
      else leftOut.push({ start: statement.start, end: statement.end });
      return;
    }
    statementStarts.push(statement.start);
    if (!bodies.has(statement)) return;
    const at = statement.definition!.bodyStart!;
    placeholders.push(at);
    parserText += text.slice(copied, at) + PLACEHOLDER;
    copied = at + PLACEHOLDER.length;
    leftOut.push({ start: copied, end: statement.end });
  });
  parserText += text.slice(copied);
  const ranges: TextRange[] = [];
  let from = 0;
  for (const range of leftOut) {
    if (range.start > from) ranges.push({ start: from, end: range.start });
    from = range.end;
  }
  if (from < text.length || !ranges.length) ranges.push({ start: from, end: text.length });
  return { text: parserText, ranges, leftOut, statementStarts, placeholders };
}

/** Whether a reduced parse reads the module as the scan did: no syntax error, a
 * top-level statement at every place the scan kept one, and each placeholder the whole
 * body of a top-level definition. */
export function agreesWithScan(root: Node, input: ReducedInput): boolean {
  if (root.hasError) return false;
  const starts = new Set<number>();
  for (const child of root.namedChildren) if (child) starts.add(child.startIndex);
  if (!input.statementStarts.every((start) => starts.has(start))) return false;
  return input.placeholders.every((at) => {
    const block = root.descendantForIndex(at, at + PLACEHOLDER.length)?.parent?.parent;
    let definition = block?.parent;
    if (definition?.parent?.type === "decorated_definition") definition = definition.parent;
    return (
      block?.type === "block" &&
      block.startIndex === at &&
      block.endIndex === at + PLACEHOLDER.length &&
      definition?.parent?.type === "module"
    );
  });
}
