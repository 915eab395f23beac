// The top-level statements of a Python module, found without parsing: one pass over the
// text that follows strings, comments, brackets and line continuations as Python's
// tokenizer does. `check` uses them to leave out of the parse the function and class
// definitions that cannot matter to its steps (reduce.ts).

/** A top-level statement: from its first character (a decorator's `@` for a decorated
 * definition) to the end of its last logical line (the line break excluded). */
export interface TopLevelStatement {
  start: number;
  end: number;
  /** For `def` / `class` (`async def`): its name (ASCII names only), and where its
   * indented body starts when the header ends its line (`def f():` then a block). */
  definition?: { name?: string; bodyStart?: number };
}

const NEWLINE = 10;
const RETURN = 13;
const isLineBreak = (ch: number) => ch === NEWLINE || ch === RETURN;

/** The characters that matter inside a logical line (a lookup table by char code). */
const SIGNIFICANT = new Uint8Array(128);
for (const ch of `"'#\\\r\n()[]{}:`) SIGNIFICANT[ch.charCodeAt(0)] = 1;

/** A clause that continues a compound statement from column 0. */
const CLAUSE = /^(?:else|elif|except|finally)(?![\w])/;
const DEFINITION = /^(?:async[ \t]+)?(?:def|class)[ \t]+(?:([A-Za-z_]\w*)(?![^\s(:]))?/;

/** The offset just past the string literal whose quote is at `at`, or -1 when it does not
 * end (a single-quoted string cut by a line break, or the text ends). A backslash takes
 * the next character as it is. */
function stringEnd(text: string, at: number): number {
  const quote = text.charCodeAt(at);
  const triple = text.charCodeAt(at + 1) === quote && text.charCodeAt(at + 2) === quote;
  const n = text.length;
  for (let i = at + (triple ? 3 : 1); i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 92) i++;
    else if (ch === quote) {
      if (!triple) return i + 1;
      if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) return i + 3;
    } else if (!triple && isLineBreak(ch)) return -1;
  }
  return -1;
}

/** Where the line holding `i` ends (its line break, or the end of the text). */
function lineEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n && !isLineBreak(text.charCodeAt(i))) i++;
  return i;
}

/** The width of the line break at `i` (CRLF counts as one). */
const breakWidth = (text: string, i: number) =>
  text.charCodeAt(i) === RETURN && text.charCodeAt(i + 1) === NEWLINE ? 2 : 1;

/** The module's top-level statements in text order; undefined when the scan cannot follow
 * the text (an unterminated string, a form feed in indentation): parse it whole then. */
export function topLevelStatements(text: string): TopLevelStatement[] | undefined {
  const statements: TopLevelStatement[] = [];
  const n = text.length;
  let current: TopLevelStatement | undefined;
  /** Where the last logical line ended (its line break). */
  let lastLineEnd = n;
  let depth = 0;
  let atLogicalStart = true;
  /** The statement so far is only decorators: its `def` / `class` line is still to come. */
  let decorating = false;
  /** Reading a definition's header: the first `:` outside brackets ends it. */
  let inHeader = false;
  let headerColon = -1;
  /** The header ended its line: the next logical line starts the body. */
  let awaitingBody = false;
  let i = 0;
  while (i < n) {
    if (atLogicalStart) {
      let j = i;
      for (
        let ch = text.charCodeAt(j);
        ch === 32 || ch === 9 || ch === 12;
        ch = text.charCodeAt(++j)
      )
        if (ch === 12) return undefined;
      if (j >= n) break;
      const ch = text.charCodeAt(j);
      if (isLineBreak(ch) || ch === 35 /* # */) {
        // A blank or comment-only line starts nothing.
        const end = lineEnd(text, j);
        i = end + breakWidth(text, end);
        continue;
      }
      atLogicalStart = false;
      if (j === i && CLAUSE.test(text.slice(j, j + 8))) {
        // `else:`, `except ...:` and the like go on the statement before.
        awaitingBody = inHeader = decorating = false;
      } else if (j === i) {
        // Column 0: a new statement, unless decorators came before.
        if (!decorating) {
          if (current) statements.push({ ...current, end: lastLineEnd });
          current = { start: j, end: -1 };
        }
        awaitingBody = false;
        decorating = ch === 64; /* @ */
        const definition = decorating ? null : DEFINITION.exec(text.slice(j, j + 80));
        inHeader = !!definition;
        headerColon = -1;
        if (definition) current!.definition = { name: definition[1] };
      } else if (awaitingBody) {
        current!.definition!.bodyStart = j;
        awaitingBody = false;
      }
      i = j;
      continue;
    }
    let ch = text.charCodeAt(i);
    while (i < n && (ch >= 128 || !SIGNIFICANT[ch])) ch = text.charCodeAt(++i);
    if (i >= n) break;
    if (ch === 34 || ch === 39 /* quotes */) {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      i = end;
    } else if (ch === 35 /* # */) {
      i = lineEnd(text, i);
    } else if (ch === 92 /* backslash */) {
      // A line continuation: the logical line goes on.
      i += isLineBreak(text.charCodeAt(i + 1)) ? 1 + breakWidth(text, i + 1) : 1;
    } else if (isLineBreak(ch)) {
      if (depth === 0) {
        // The logical line ends here.
        if (inHeader)
          awaitingBody =
            headerColon >= 0 && /^[ \t]*(?:#.*)?$/.test(text.slice(headerColon + 1, i));
        inHeader = false;
        lastLineEnd = i;
        atLogicalStart = true;
      }
      i += breakWidth(text, i);
    } else {
      if (ch === 40 || ch === 91 || ch === 123) depth++;
      else if ((ch === 41 || ch === 93 || ch === 125) && depth > 0) depth--;
      else if (ch === 58 /* : */ && depth === 0 && inHeader && headerColon < 0) headerColon = i;
      i++;
    }
  }
  if (current) statements.push({ ...current, end: atLogicalStart ? lastLineEnd : n });
  return statements;
}
