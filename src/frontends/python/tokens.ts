// Finds the syntax nodes of a name by searching the text first: the frontend looks only
// at the places a name is written instead of walking whole syntax trees, so its cost
// follows the number of relevant tokens, not the size of the file. After a reduced parse
// (reduce.ts) searches look only at the parts the parser read.

import type { Node } from "web-tree-sitter";
import type { TextRange } from "./reduce.js";

/** The text a syntax tree was read from and, when the parser read only parts of it, those
 * parts. */
export interface ParsedText {
  text: string;
  ranges?: readonly TextRange[];
}

/** The pattern of `word` written as a word of its own. */
function wordPattern(word: string): RegExp {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\w])${escaped}(?![\\w])`, "g");
}

/** The matches of a global `pattern` in the parts of the text the parser read, with
 * their offsets in the whole text. */
export function* matchesIn(source: ParsedText, pattern: RegExp): Generator<RegExpMatchArray> {
  if (!source.ranges) {
    yield* source.text.matchAll(pattern);
    return;
  }
  for (const { start, end } of source.ranges)
    for (const match of source.text.slice(start, end).matchAll(pattern)) {
      match.index! += start;
      yield match;
    }
}

/** Identifier nodes spelled `name`, in text order (occurrences in strings and comments
 * are not identifiers and are left out). */
export function identifiersNamed(root: Node, source: ParsedText, name: string): Node[] {
  const nodes: Node[] = [];
  for (const match of matchesIn(source, wordPattern(name))) {
    const node = root.descendantForIndex(match.index!, match.index! + name.length);
    if (node?.type === "identifier" && node.startIndex === match.index && node.text === name)
      nodes.push(node);
  }
  return nodes;
}

/** Whether `word` is written in the text as a word of its own (in code, strings or
 * comments): a file that does not write it binds no such name. */
export function writesWord(text: string, word: string): boolean {
  return wordPattern(word).test(text);
}
