// Where a syntax tree says the text is not valid Python. tree-sitter's grammar recovers
// from errors (ERROR and MISSING nodes) and also accepts some text CPython rejects: a
// block with no statements, statements indented where no block starts or out of line
// with their block, a trailing comma in an import without parentheses, a line break in a
// single-quoted string (f-strings included), and an annotation on a chained or tuple
// assignment. A file the tool may rewrite must pass CPython's rules, so these count as
// syntax errors too. One pass with a tree cursor: no node objects are made on the way.

import type { Node, TreeCursor } from "web-tree-sitter";
import { firstSyntaxError } from "./parser.js";

export interface Invalidity {
  offset: number;
  message: string;
}

interface Frame {
  type: string;
  /** Indentation of the line this node starts, when it starts it; else its parent's. */
  lineIndent: string | undefined;
  /** module / block: the indentation every statement starting a line must have. */
  expected?: string;
  /** block: the indentation of the statement that owns it. */
  owner?: string;
  statements: number;
  /** assignment: the type of its left side, and whether it is the right side of another. */
  leftType?: string;
  chained?: boolean;
}

const ANNOTATABLE = new Set(["identifier", "attribute", "subscript"]);

function invalid(offset: number, message: string): Invalidity {
  return { offset, message: `syntax error: ${message}` };
}

const INDENT_CHARS = " \t\f";

/** The leading whitespace before `offset` when nothing else precedes it on its line.
 * It looks back only over whitespace: a node in the middle of a long line costs as
 * little as one at its start, so the check stays linear in the file's size. */
function indentBefore(text: string, offset: number): string | undefined {
  let start = offset;
  while (start > 0 && INDENT_CHARS.includes(text[start - 1]!)) start--;
  if (start > 0 && text[start - 1] !== "\n" && text[start - 1] !== "\r") return undefined;
  return text.slice(start, offset);
}

function checkString(text: string, start: number, end: number): Invalidity | undefined {
  const literal = text.slice(start, end);
  if (!/[\r\n]/.test(literal)) return undefined;
  const quote = /^[a-zA-Z]*("""|'''|"|')/.exec(literal)?.[1];
  // A line break is allowed only right after an odd number of backslashes. Python 3.12
  // also allows one inside an f-string's expressions; refusing those too keeps every file
  // the tool writes valid for the Python versions v1 pipelines ran on.
  if (quote && quote.length === 1 && /(^|[^\\])(\\\\)*[\r\n]/.test(literal.replace(/\r\n/g, "\n")))
    return invalid(start, "unterminated string literal");
  return undefined;
}

/** Checks one node as the cursor enters it, against its parent's frame. */
function enter(
  cursor: TreeCursor,
  text: string,
  parent: Frame | undefined,
): { frame: Frame; problem?: Invalidity } {
  const type = cursor.nodeType;
  const start = cursor.startIndex;
  const own = indentBefore(text, start);
  const frame: Frame = { type, lineIndent: own ?? parent?.lineIndent, statements: 0 };
  if (type === "module") frame.expected = "";
  if (type === "block") frame.owner = parent?.lineIndent;
  if (
    parent &&
    (parent.type === "module" || parent.type === "block") &&
    cursor.nodeIsNamed &&
    type !== "comment"
  ) {
    parent.statements++;
    if (own !== undefined) {
      if (parent.expected === undefined) {
        if (
          parent.owner !== undefined &&
          !(own.length > parent.owner.length && own.startsWith(parent.owner))
        )
          return { frame, problem: invalid(start, "expected an indented block") };
        parent.expected = own;
      } else if (own !== parent.expected)
        return {
          frame,
          problem: invalid(
            start,
            own.length > parent.expected.length
              ? "unexpected indent"
              : "unindent does not match any outer indentation level",
          ),
        };
    }
  }
  if (type === "string") return { frame, problem: checkString(text, start, cursor.endIndex) };
  if (type === "import_from_statement") {
    const statement = text.slice(start, cursor.endIndex);
    if (
      !statement.includes("(") &&
      (statement.trimEnd().endsWith(",") || /^[ \t]*,/.test(text.slice(cursor.endIndex)))
    )
      return {
        frame,
        problem: invalid(start, "trailing comma not allowed without surrounding parentheses"),
      };
  }
  if (parent?.type === "assignment") {
    const field = cursor.currentFieldName;
    if (field === "left") parent.leftType = type;
    if (field === "type" && (parent.chained || !ANNOTATABLE.has(parent.leftType ?? "")))
      return { frame, problem: invalid(start, "only a single target can be annotated") };
  }
  if (type === "assignment" && parent?.type === "assignment") frame.chained = true;
  return { frame };
}

/** The first error tree-sitter's grammar itself found, if any. */
export function firstSyntaxErrorAt(root: Node): Invalidity | undefined {
  const error = firstSyntaxError(root);
  return (
    error &&
    invalid(error.startIndex, error.isMissing ? `expected '${error.type}'` : "invalid syntax")
  );
}

/** The first place the text is not valid Python, if any. */
export function firstInvalidity(root: Node, text: string): Invalidity | undefined {
  const error = firstSyntaxErrorAt(root);
  if (error) return error;
  const cursor = root.walk();
  const frames: Frame[] = [];
  try {
    for (;;) {
      const { frame, problem } = enter(cursor, text, frames[frames.length - 1]);
      if (problem) return problem;
      frames.push(frame);
      if (cursor.gotoFirstChild()) continue;
      for (;;) {
        const done = frames.pop()!;
        if (done.type === "block" && done.statements === 0)
          return invalid(cursor.startIndex, "expected an indented block");
        if (cursor.gotoNextSibling()) break;
        if (!cursor.gotoParent()) return undefined;
      }
    }
  } finally {
    cursor.delete();
  }
}
