// --key-map files: a project's own key names mapped to MpiStep parameter names. Kept
// apart from the JSON frontend so the CLI reads them without loading the parser.

import { isMpiStepParameter } from "../../ir/parameters.js";
import { InputError } from "../../diagnostics/model.js";

export type KeyMap = Record<string, string>;

/** Reads a --key-map file: a JSON object of project key -> MpiStep parameter name. */
export function parseKeyMap(text: string): KeyMap {
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new InputError(
      "MPI030",
      "a key map must be a JSON object of key -> MpiStep parameter name",
    );
  const map: KeyMap = {};
  for (const [key, target] of Object.entries(value)) {
    if (typeof target !== "string" || !isMpiStepParameter(target))
      throw new InputError(
        "MPI030",
        `key map entry '${key}' must name an MpiStep parameter, got ${JSON.stringify(target)}`,
      );
    map[key] = target;
  }
  return map;
}
