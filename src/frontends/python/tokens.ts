// Finds the syntax nodes of a name by searching the text first: the frontend looks only
// at the places a name is written instead of walking whole syntax trees, so its cost
// follows the number of relevant tokens, not the size of the file.

import type { Node } from "web-tree-sitter";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Identifier nodes spelled `name`, in text order (occurrences in strings and comments
 * are not identifiers and are left out). */
export function identifiersNamed(root: Node, text: string, name: string): Node[] {
  const nodes: Node[] = [];
  const pattern = new RegExp(`(?<![\\w])${escapeRegExp(name)}(?![\\w])`, "g");
  for (const match of text.matchAll(pattern)) {
    const node = root.descendantForIndex(match.index!, match.index! + name.length);
    if (node?.type === "identifier" && node.startIndex === match.index && node.text === name)
      nodes.push(node);
  }
  return nodes;
}

/** Every identifier-like word in the text: a superset of the names the file binds. */
export function wordsOf(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z_]\w*/g) ?? []);
}
