// Loads the tree-sitter Python grammar (WASM, no native build) once per process and
// parses text (or the parts of it given) into syntax trees; reports the first syntax
// error's position.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Node, Parser, Point, Range, Tree } from "web-tree-sitter";
import type { TextRange } from "./reduce.js";

let parserPromise: Promise<Parser> | undefined;

/** The grammar: shipped beside the bundle (scripts/bundle.mjs), else, when running from
 * the sources, in the tree-sitter-python package. */
function grammarFile(): string {
  const beside = fileURLToPath(new URL("./tree-sitter-python.wasm", import.meta.url));
  if (existsSync(beside)) return beside;
  return createRequire(import.meta.url).resolve("tree-sitter-python/tree-sitter-python.wasm");
}

async function loadParser(): Promise<Parser> {
  const { Language, Parser } = await import("web-tree-sitter");
  await Parser.init();
  const parser = new Parser();
  // Given bytes, not a path: web-tree-sitter would load fs/promises to read it.
  parser.setLanguage(await Language.load(readFileSync(grammarFile())));
  return parser;
}

/** The parser, loaded once (the first call starts loading it). */
export function pythonParser(): Promise<Parser> {
  parserPromise ??= loadParser();
  return parserPromise;
}

/** Parses `text`, or with `ranges` only those parts of it (tree-sitter's included ranges,
 * in order): the rest is never read, not even copied into the parser. */
export async function parsePython(text: string, ranges?: readonly TextRange[]): Promise<Tree> {
  const parser = await pythonParser();
  const tree = ranges
    ? parser.parse(readingOnly(text, ranges), null, {
        includedRanges: includedRanges(text, ranges),
      })
    : parser.parse(text);
  if (!tree) throw new Error("tree-sitter returned no tree");
  return tree;
}

/** The parser's input callback for `ranges`: the text from an offset to the end of the
 * range (or gap) holding it, so a jump to the next range copies nothing left out. */
function readingOnly(text: string, ranges: readonly TextRange[]): (index: number) => string {
  const bounds = ranges.flatMap((range) => [range.start, range.end]);
  return (index) => {
    const next = bounds.find((bound) => bound > index) ?? text.length;
    return text.slice(index, next);
  };
}

/** tree-sitter's ranges: offsets with their points, counted as tree-sitter counts them
 * (a row ends at each LF; columns in UTF-16 code units). */
function includedRanges(text: string, ranges: readonly TextRange[]): Range[] {
  let row = 0;
  let lineStart = 0;
  let scanned = 0;
  const point = (offset: number): Point => {
    for (
      let lf = text.indexOf("\n", scanned);
      lf !== -1 && lf < offset;
      lf = text.indexOf("\n", lf + 1)
    ) {
      row++;
      lineStart = lf + 1;
    }
    scanned = offset;
    return { row, column: offset - lineStart };
  };
  return ranges.map((range) => ({
    startIndex: range.start,
    startPosition: point(range.start),
    endIndex: range.end,
    endPosition: point(range.end),
  }));
}

/** The first ERROR or MISSING node in document order, if the tree has any. */
export function firstSyntaxError(root: Node): Node | undefined {
  if (!root.hasError) return undefined;
  const cursor = root.walk();
  for (;;) {
    const node = cursor.currentNode;
    if (node.isMissing || node.type === "ERROR") return node;
    if (node.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return root;
    }
  }
}
