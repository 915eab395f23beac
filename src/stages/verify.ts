// Checks that text about to be written parses, with the same parsers the tool reads
// with: Python (tree-sitter, with CPython's extra rules) and YAML. Parsers are loaded on
// first use, like everywhere else. A kind of file with no parser here is a bug.

import { lineIndex } from "../ir/positions.js";

/** A short description of the first problem, or undefined when `text` parses. */
export async function verifyText(extension: string, text: string): Promise<string | undefined> {
  switch (extension) {
    case ".py": {
      const { parsePython } = await import("../frontends/python/parser.js");
      const { firstInvalidity } = await import("../frontends/python/validity.js");
      const tree = await parsePython(text);
      const invalid = firstInvalidity(tree.rootNode, text);
      tree.delete();
      return (
        invalid && `${invalid.message} at line ${lineIndex(text).position(invalid.offset).line}`
      );
    }
    case ".yaml":
      try {
        (await import("../backends/shared/yaml.js")).parseYaml(text);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    default:
      throw new Error(`no parser to verify ${extension} files before writing them`);
  }
}
