// Checks that text about to be written parses, with the same parsers the tool reads
// with: Python (tree-sitter), notebooks (JSON, then their code cells), JSON and YAML.

// Parsers are loaded on first use, like everywhere else.

import { InputError } from "../frontends/types.js";
import { lineIndex } from "../ir/positions.js";

/** A short description of the first problem, or undefined when `text` parses. */
export async function verifyText(extension: string, text: string): Promise<string | undefined> {
  try {
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
      case ".ipynb":
        JSON.parse(text);
        await (
          await import("../frontends/notebook/index.js")
        ).parseNotebookSteps(text, { strict: true });
        return undefined;
      case ".json":
        JSON.parse(text);
        return undefined;
      case ".yaml":
      case ".yml":
        (await import("../backends/shared/yaml.js")).parseYaml(text);
        return undefined;
      default:
        return undefined;
    }
  } catch (error) {
    if (
      error instanceof InputError ||
      error instanceof SyntaxError ||
      (error as Error).name === "YAMLParseError"
    )
      return (error as Error).message;
    throw error;
  }
}
