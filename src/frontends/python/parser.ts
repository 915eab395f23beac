// Loads the tree-sitter Python grammar (WASM, no native build) once per process and
// parses text into syntax trees; reports the first syntax error's position.

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Node, Parser, Tree } from "web-tree-sitter";

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
  parser.setLanguage(await Language.load(grammarFile()));
  return parser;
}

function pythonParser(): Promise<Parser> {
  parserPromise ??= loadParser();
  return parserPromise;
}

export async function parsePython(text: string): Promise<Tree> {
  const tree = (await pythonParser()).parse(text);
  if (!tree) throw new Error("tree-sitter returned no tree");
  return tree;
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
