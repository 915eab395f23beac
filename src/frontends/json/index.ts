// JSON frontend: step definition files (one step object, an array of them, or an object
// mapping step ids to step objects) into the IR. Tagged objects carry the non-literal
// values; see README "JSON input" and schema/step-definitions.schema.json.

import { jsonNumber } from "../../ir/numbers.js";
import {
  findNodeAtLocation,
  getNodeValue,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
} from "jsonc-parser";
import type { PipelineDeclaration } from "../../ir/graph.js";
import { isMpiStepParameter } from "../../ir/parameters.js";
import { lineIndex, type LineIndex } from "../../ir/positions.js";
import type { DataKind, SourceSpan, StepArgument, StepDefinition, Value } from "../../ir/types.js";
import { InputError } from "../../diagnostics/model.js";
import type { FrontendResult, SkippedEntry } from "../types.js";

import type { KeyMap } from "./key-map.js";

export interface JsonOptions {
  keyMap?: KeyMap;
  /** Discovery mode, for a file found by walking (it may be any JSON): only entries typed
   * MpiStep, or untyped entries shaped like one (`isStepShaped`), are steps. */
  requireExplicitType?: boolean;
}

/** Tagged object key -> how it becomes a data value. */
const DATA_TAGS: Record<string, DataKind> = {
  data_reference: "DataReference",
  pipeline_data: "PipelineData",
  dataset: "Dataset",
  output_dataset: "OutputFileDatasetConfig",
};

function spanOf(node: Node, index: LineIndex): SourceSpan {
  return { start: node.offset, end: node.offset + node.length, ...index.position(node.offset) };
}

function property(node: Node, key: string): Node | undefined {
  return node.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1];
}

function stringProp(node: Node, key: string): string | undefined {
  const v = property(node, key);
  return v?.type === "string" ? (v.value as string) : undefined;
}

/** The node's text as written. */
function sourceOf(node: Node, index: LineIndex): string {
  return index.text.slice(node.offset, node.offset + node.length);
}

/** How deep values are read; deeper ones stay opaque (no step parameter nests so deep,
 * and the reading recurses). */
const MAX_DEPTH = 64;

function toValue(node: Node, index: LineIndex, depth = 0): Value {
  const span = spanOf(node, index);
  if (depth > MAX_DEPTH) return { kind: "opaque", text: sourceOf(node, index), span };
  switch (node.type) {
    case "number":
      // Python's json module reads the number from its text (an int of any size).
      return {
        kind: "literal",
        value: jsonNumber(sourceOf(node, index)),
        span,
      };
    case "string":
    case "boolean":
    case "null":
      return { kind: "literal", value: node.value as string | boolean | null, span };
    case "array":
      return {
        kind: "list",
        items: (node.children ?? []).map((c) => toValue(c, index, depth + 1)),
        span,
      };
    case "object":
      return taggedValue(node, index, span, depth);
    default:
      return { kind: "opaque", text: JSON.stringify(getNodeValue(node)), span };
  }
}

function taggedValue(node: Node, index: LineIndex, span: SourceSpan, depth: number): Value {
  const pp = stringProp(node, "pipeline_parameter");
  if (pp !== undefined) {
    const def = property(node, "default");
    return {
      kind: "pipelineParameter",
      name: pp,
      default: def && toValue(def, index, depth + 1),
      span,
    };
  }
  for (const [tag, dataKind] of Object.entries(DATA_TAGS)) {
    const name = stringProp(node, tag);
    if (name === undefined) continue;
    return {
      kind: "data",
      dataKind,
      name,
      datastore: stringProp(node, "datastore"),
      path: stringProp(node, "path"),
      mode: stringProp(node, "mode"),
      producer: stringProp(node, "producer"),
      span,
    };
  }
  const compute = stringProp(node, "compute");
  if (compute !== undefined)
    return { kind: "compute", name: compute, computeType: stringProp(node, "type"), span };
  const environment = stringProp(node, "environment");
  if (environment !== undefined) {
    const version = property(node, "version");
    return {
      kind: "environment",
      name: environment,
      version:
        version === undefined
          ? undefined
          : version.type === "number"
            ? jsonNumber(sourceOf(version, index)).str
            : String(version.value),
      span,
    };
  }
  const expression = stringProp(node, "expression");
  if (expression !== undefined) return { kind: "opaque", text: expression, span };
  return {
    kind: "dict",
    entries: (node.children ?? []).map((p) => ({
      key: String(p.children![0]!.value),
      value: toValue(p.children![1]!, index, depth + 1),
    })),
    span,
  };
}

function firstDuplicateKey(root: Node): Node | undefined {
  // Depth first with a stack of its own: any nesting depth, in document order.
  const pending: Node[] = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.type === "object") {
      const seen = new Set<string>();
      for (const p of node.children ?? []) {
        const key = p.children![0]!;
        if (seen.has(key.value)) return key;
        seen.add(key.value);
      }
    }
    for (let i = (node.children?.length ?? 0) - 1; i >= 0; i--) pending.push(node.children![i]!);
  }
  return undefined;
}

/** Whether an object node is meant as a step (typed, or holding MpiStep parameter keys). */
function looksLikeStep(node: Node, keyMap: KeyMap): boolean {
  if (node.type !== "object") return false;
  return (node.children ?? []).some((p) => {
    const key = String(p.children![0]!.value);
    return key === "type" || isMpiStepParameter(keyMap[key] ?? key);
  });
}

/** An untyped entry that reads as an MpiStep definition: its script (`script_name`) and
 * at least one of its counts. */
function isStepShaped(node: Node, keyMap: KeyMap): boolean {
  const keys = new Set(
    (node.children ?? []).map((p) => {
      const key = String(p.children![0]!.value);
      return keyMap[key] ?? key;
    }),
  );
  return keys.has("script_name") && (keys.has("node_count") || keys.has("process_count_per_node"));
}

/** A JSON Schema (this project ships one for its step definitions): it names every
 * parameter, but defines no step. */
function isJsonSchema(root: Node): boolean {
  return root.type === "object" && /json-schema\.org/.test(stringProp(root, "$schema") ?? "");
}

/** A key map (`--key-map`): project key names mapped to MpiStep parameter names, no key
 * itself a parameter. */
function isKeyMap(root: Node): boolean {
  const entries = root.type === "object" ? (root.children ?? []) : [];
  return (
    entries.length > 0 &&
    entries.every((p) => {
      const [key, value] = [p.children![0]!.value, p.children![1]];
      return (
        !isMpiStepParameter(String(key)) &&
        value?.type === "string" &&
        isMpiStepParameter(String(value.value))
      );
    })
  );
}

/** The step objects of a document with their ids (for a map of step id -> step). */
function stepNodes(root: Node, keyMap: KeyMap): Array<{ id?: string; node: Node }> {
  if (root.type === "array") return (root.children ?? []).map((node) => ({ node }));
  if (root.type === "object" && !looksLikeStep(root, keyMap)) {
    return (root.children ?? []).map((p) => ({
      id: String(p.children![0]!.value),
      node: p.children![1]!,
    }));
  }
  return [{ node: root }];
}

function readStep(
  node: Node,
  id: string | undefined,
  index: LineIndex,
  keyMap: KeyMap,
): StepDefinition {
  const args = new Map<string, StepArgument>();
  const ignored: StepArgument[] = [];
  for (const p of node.children ?? []) {
    const rawKey = String(p.children![0]!.value);
    if (rawKey === "type") continue;
    const name = keyMap[rawKey] ?? rawKey;
    const arg: StepArgument = {
      name,
      value: toValue(p.children![1]!, index),
      span: spanOf(p, index),
      via: "keyword",
    };
    if (isMpiStepParameter(name)) args.set(name, arg);
    else ignored.push(arg);
  }
  const nameValue = args.get("name")?.value;
  const label =
    nameValue?.kind === "literal" && typeof nameValue.value === "string"
      ? nameValue.value
      : (id ?? "(unnamed)");
  return { kind: "MpiStep", label, ...index.position(node.offset), args, ignored };
}

/** `ValueExpected` -> `value expected`. */
export function describeParseError(error: ParseError): string {
  return printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
}

export function parseJsonSteps(text: string, options: JsonOptions = {}): FrontendResult {
  const keyMap = options.keyMap ?? {};
  const index = lineIndex(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false });
  if (errors.length > 0 || !root) {
    const first = errors[0];
    const where = index.position(first?.offset ?? 0);
    throw new InputError(
      "MPI030",
      `invalid JSON: ${first ? describeParseError(first) : "empty document"}`,
      where.line,
      where.column,
    );
  }
  const duplicate = firstDuplicateKey(root);
  if (duplicate) {
    const where = index.position(duplicate.offset);
    throw new InputError(
      "MPI030",
      `duplicate key ${JSON.stringify(duplicate.value)}`,
      where.line,
      where.column,
    );
  }
  const steps: StepDefinition[] = [];
  const skipped: SkippedEntry[] = [];
  if (options.requireExplicitType && (isJsonSchema(root) || isKeyMap(root)))
    return { steps, skipped };
  for (const { id, node } of stepNodes(root, keyMap)) {
    if (node.type !== "object") {
      const where = index.position(node.offset);
      throw new InputError(
        "MPI030",
        `a step definition must be a JSON object${id ? ` (entry '${id}')` : ""}`,
        where.line,
        where.column,
      );
    }
    const typeNode = findNodeAtLocation(node, ["type"]);
    const type = typeNode?.value;
    if (typeNode && type !== "MpiStep") {
      const where = index.position(node.offset);
      skipped.push({
        label: stringProp(node, "name") ?? id ?? "(unnamed)",
        type: String(type),
        ...where,
        at: node.offset,
      });
      continue;
    }
    if (options.requireExplicitType && type !== "MpiStep" && !isStepShaped(node, keyMap)) continue;
    steps.push({ ...readStep(node, id, index, keyMap), at: node.offset });
  }
  // The entries of a file are the steps of one pipeline.
  const entries = [...steps, ...skipped].sort((a, b) => a.at! - b.at!);
  const pipelines: PipelineDeclaration[] = entries.length
    ? [
        {
          label: "the file's steps",
          ...index.position(root.offset),
          steps: { kind: "list", items: entries.map((entry) => ({ kind: "step", at: entry.at! })) },
          implicit: true,
        },
      ]
    : [];
  return { steps, skipped, pipelines };
}
