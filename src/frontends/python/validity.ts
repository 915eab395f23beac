// Where a syntax tree says the text is not valid Python. tree-sitter's grammar recovers
// from errors (ERROR and MISSING nodes) and also accepts some text CPython rejects: a
// block with no statements, statements indented where no block starts or out of line
// with their block, a trailing comma in an import without parentheses, a line break in a
// single-quoted string (f-strings included), and an annotation on a chained or tuple assignment. A file the
// tool may rewrite must pass CPython's rules, so these count as syntax errors too.

import type { Node } from "web-tree-sitter";
import { firstSyntaxError } from "./parser.js";

export interface Invalidity {
  offset: number;
  message: string;
}

/** Node types whose children can be statements or blocks (expressions are not walked). */
const STRUCTURE = /(^module$|^block$|_statement$|_clause$|_definition$)/;

function lineStartOf(text: string, offset: number): number {
  return Math.max(text.lastIndexOf("\n", offset - 1), text.lastIndexOf("\r", offset - 1)) + 1;
}

/** The indentation of `node` when it starts its line, else undefined. */
function ownIndent(node: Node, text: string): string | undefined {
  const before = text.slice(lineStartOf(text, node.startIndex), node.startIndex);
  return /^[ \t\f]*$/.test(before) ? before : undefined;
}

function checkStatements(
  container: Node,
  text: string,
  ownerIndent: string | undefined,
): Invalidity | undefined {
  const statements = container.namedChildren.filter((c): c is Node => !!c && c.type !== "comment");
  if (container.type === "block" && statements.length === 0)
    return { offset: container.startIndex, message: "syntax error: expected an indented block" };
  let expected: string | undefined = container.type === "module" ? "" : undefined;
  for (const statement of statements) {
    const indent = ownIndent(statement, text);
    if (indent === undefined) continue;
    if (expected === undefined) {
      if (
        ownerIndent !== undefined &&
        !(indent.length > ownerIndent.length && indent.startsWith(ownerIndent))
      )
        return {
          offset: statement.startIndex,
          message: "syntax error: expected an indented block",
        };
      expected = indent;
    } else if (indent !== expected) {
      return {
        offset: statement.startIndex,
        message:
          indent.length > expected.length
            ? "syntax error: unexpected indent"
            : "syntax error: unindent does not match any outer indentation level",
      };
    }
  }
  return undefined;
}

function importTrailingComma(node: Node, text: string): Invalidity | undefined {
  if (node.type !== "import_from_statement" || node.text.includes("(")) return undefined;
  const rest = text.slice(node.endIndex);
  return node.text.trimEnd().endsWith(",") || /^[ \t]*,/.test(rest)
    ? {
        offset: node.startIndex,
        message: "syntax error: trailing comma not allowed without surrounding parentheses",
      }
    : undefined;
}

function walk(node: Node, text: string, ownerIndent: string | undefined): Invalidity | undefined {
  if (node.type === "module" || node.type === "block") {
    const problem = checkStatements(node, text, ownerIndent);
    if (problem) return problem;
  }
  const problem = importTrailingComma(node, text);
  if (problem) return problem;
  const indent =
    node.type === "module" || node.type === "block"
      ? ownerIndent
      : (ownIndent(node, text) ?? ownerIndent);
  for (const child of node.namedChildren) {
    if (!child || !STRUCTURE.test(child.type)) continue;
    const found = walk(child, text, indent);
    if (found) return found;
  }
  return undefined;
}

function stringLineBreak(root: Node): Invalidity | undefined {
  for (const string of root.descendantsOfType("string")) {
    if (!string || !/[\r\n]/.test(string.text)) continue;
    const quote = /^[a-zA-Z]*("""|'''|"|')/.exec(string.text)?.[1];
    if (!quote || quote.length === 3) continue;
    // A line break is allowed only right after an odd number of backslashes. Python 3.12
    // also allows one inside an f-string's expressions; refusing those too keeps every
    // file the tool writes valid for the Python versions v1 pipelines ran on.
    if (/(^|[^\\])(\\\\)*[\r\n]/.test(string.text.replace(/\r\n/g, "\n")))
      return { offset: string.startIndex, message: "syntax error: unterminated string literal" };
  }
  return undefined;
}

function annotatedAssignment(root: Node): Invalidity | undefined {
  for (const assignment of root.descendantsOfType("assignment")) {
    if (!assignment?.childForFieldName("type")) continue;
    const chained = assignment.parent?.type === "assignment";
    const left = assignment.childForFieldName("left");
    if (chained || !left || !["identifier", "attribute", "subscript"].includes(left.type))
      return {
        offset: assignment.startIndex,
        message: "syntax error: only a single target can be annotated",
      };
  }
  return undefined;
}

/** The first place the text is not valid Python, if any. */
export function firstInvalidity(root: Node, text: string): Invalidity | undefined {
  const error = firstSyntaxError(root);
  if (error)
    return {
      offset: error.startIndex,
      message: error.isMissing ? `syntax error: expected '${error.type}'` : "syntax error",
    };
  return walk(root, text, undefined) ?? stringLineBreak(root) ?? annotatedAssignment(root);
}
