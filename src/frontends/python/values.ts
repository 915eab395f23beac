// Evaluates Python expressions into IR values without running anything: literals,
// known Azure ML constructors (PipelineParameter, DataReference, PipelineData, datasets,
// compute targets, environments, run configurations: objects.ts), steps, and names bound
// to them. Everything else is opaque, keeping its exact source text.

import type { Node } from "web-tree-sitter";
import type { LineIndex } from "../../ir/positions.js";
import { isNumber, negated, pythonNumberLiteral } from "../../ir/numbers.js";
import { pythonStr, type DataKind, type SourceSpan, type Value } from "../../ir/types.js";
import { constructedObject, isChangeable, withChanges, type ObjectEvaluation } from "./objects.js";
import type { ScopeResolver } from "./scope.js";
import { decodePythonString } from "./strings.js";

export interface EvalContext {
  scope: ScopeResolver;
  index: LineIndex;
  /** The offsets of the step calls of the module: such a call evaluates to a reference
   * to its step. */
  stepCalls?: ReadonlySet<number>;
}

/** How a consumer reads a data object another step writes, by the method it calls. */
const CONSUMING_MODES: Record<string, string> = {
  as_input: "mount",
  as_mount: "mount",
  as_download: "download",
  as_direct: "direct",
};

export function spanOf(node: Node, index: LineIndex): SourceSpan {
  return { start: node.startIndex, end: node.endIndex, ...index.position(node.startIndex) };
}

/** Last identifier of a callee: `PipelineParameter`, `pc.PipelineParameter` -> "PipelineParameter". */
export function calleeName(callee: Node | null): string | undefined {
  if (!callee) return undefined;
  if (callee.type === "identifier") return callee.text;
  if (callee.type === "attribute") return callee.childForFieldName("attribute")?.text;
  return undefined;
}

/** The workspace's default datastore unless the workspace changed it. */
const DEFAULT_DATASTORE = "workspaceblobstore";

interface DatastoreName {
  name: string;
  /** Taken from `ws.get_default_datastore()`: assumed to be the default's default. */
  isDefault?: boolean;
}

/** Call arguments split into positional values and keyword values. */
function callArguments(call: Node): { positional: Node[]; keywords: Map<string, Node> } {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  for (const arg of call.childForFieldName("arguments")?.namedChildren ?? []) {
    if (!arg || arg.type === "comment") continue;
    if (arg.type === "keyword_argument")
      keywords.set(arg.childForFieldName("name")!.text, arg.childForFieldName("value")!);
    else if (arg.type !== "list_splat" && arg.type !== "dictionary_splat") positional.push(arg);
  }
  return { positional, keywords };
}

function argument(call: Node, position: number, keyword: string): Node | undefined {
  const { positional, keywords } = callArguments(call);
  return keywords.get(keyword) ?? positional[position];
}

export class Evaluator {
  /** Changes to an object made before this offset count (the step call being read). */
  horizon?: number;
  private readonly objects: ObjectEvaluation;

  constructor(private readonly context: EvalContext) {
    this.objects = {
      evaluate: (node) => this.evaluate(node),
      string: (node) => this.stringOf(node, 0),
      argument,
    };
  }

  /** The value of `node`, with `text` and `span` of the expression as written. */
  evaluate(node: Node): Value {
    const value = this.evaluateInner(node, 0);
    return { ...value, text: node.text, span: spanOf(node, this.context.index) };
  }

  /** The string `name` is bound to at `at`, if it is one. */
  stringNamed(name: string, at: Node): string | undefined {
    const bound = this.context.scope.resolve(name, at);
    const value = bound && this.evaluateInner(bound, 0);
    return value?.kind === "literal" && typeof value.value === "string" ? value.value : undefined;
  }

  private opaque(node: Node): Value {
    return { kind: "opaque", text: node.text, span: spanOf(node, this.context.index) };
  }

  private stringOf(node: Node | undefined, depth: number): string | undefined {
    if (!node) return undefined;
    const v = this.evaluateInner(node, depth + 1);
    return v.kind === "literal" && typeof v.value === "string" ? v.value : undefined;
  }

  private evaluateInner(node: Node, depth: number): Value {
    if (depth > 25) return this.opaque(node);
    const span = spanOf(node, this.context.index);
    const withText = (v: Value): Value => ({ ...v, text: node.text, span });
    switch (node.type) {
      case "string":
      case "concatenated_string": {
        const value = decodePythonString(node);
        return value === undefined ? this.opaque(node) : { kind: "literal", value, span };
      }
      case "integer":
      case "float": {
        const value = pythonNumberLiteral(node.text);
        return value === undefined ? this.opaque(node) : { kind: "literal", value, span };
      }
      case "true":
        return { kind: "literal", value: true, span };
      case "false":
        return { kind: "literal", value: false, span };
      case "none":
        return { kind: "literal", value: null, span };
      case "parenthesized_expression": {
        const inner = node.namedChildren.find((c) => c?.type !== "comment");
        return inner ? this.evaluateInner(inner, depth + 1) : this.opaque(node);
      }
      case "unary_operator": {
        const operand = node.childForFieldName("argument");
        const op = node.childForFieldName("operator")?.text;
        const v = operand && this.evaluateInner(operand, depth + 1);
        if (v?.kind === "literal" && isNumber(v.value) && (op === "-" || op === "+"))
          return { kind: "literal", value: op === "-" ? negated(v.value) : v.value, span };
        return this.opaque(node);
      }
      case "binary_operator": {
        const left = this.evaluateInner(node.childForFieldName("left")!, depth + 1);
        const right = this.evaluateInner(node.childForFieldName("right")!, depth + 1);
        if (
          node.childForFieldName("operator")?.text === "+" &&
          left.kind === "literal" &&
          right.kind === "literal" &&
          typeof left.value === "string" &&
          typeof right.value === "string"
        )
          return { kind: "literal", value: left.value + right.value, span };
        return this.opaque(node);
      }
      case "list":
      case "tuple": {
        const items = node.namedChildren.filter((c): c is Node => !!c && c.type !== "comment");
        if (items.some((c) => c.type === "list_splat")) return this.opaque(node);
        return {
          kind: "list",
          items: items.map((c) => ({
            ...this.evaluateInner(c, depth + 1),
            text: c.text,
            span: spanOf(c, this.context.index),
          })),
          span,
        };
      }
      case "dictionary":
        return this.dictionary(node, depth) ?? this.opaque(node);
      case "identifier": {
        const bound = this.context.scope.resolve(node.text, node);
        if (bound) {
          const value = this.evaluateInner(bound, depth + 1);
          if (!isChangeable(value)) return withText(value);
          // An object later statements may change: apply them, up to the step being read.
          const uses = this.context.scope.usesAfterBinding(
            node.text,
            node,
            this.horizon ?? node.startIndex,
          );
          return withText(
            uses
              ? withChanges(value, uses, this.objects, (n) => this.context.scope.inBranch(n))
              : value,
          );
        }
        return this.agreedCompute(node, depth) ?? this.opaque(node);
      }
      case "call":
        return this.call(node, depth) ?? this.opaque(node);
      case "subscript":
        return this.subscript(node, depth) ?? this.opaque(node);
      default:
        return this.opaque(node);
    }
  }

  /** A dict literal with string keys; undefined when a key is not a known string. */
  dictionary(node: Node, depth = 0): Value | undefined {
    const entries: Array<{ key: string; value: Value }> = [];
    for (const pair of node.namedChildren) {
      if (!pair || pair.type === "comment") continue;
      if (pair.type !== "pair") return undefined;
      const key = this.stringOf(pair.childForFieldName("key")!, depth);
      if (key === undefined) return undefined;
      const valueNode = pair.childForFieldName("value")!;
      entries.push({
        key,
        value: {
          ...this.evaluateInner(valueNode, depth + 1),
          text: valueNode.text,
          span: spanOf(valueNode, this.context.index),
        },
      });
    }
    return { kind: "dict", entries, span: spanOf(node, this.context.index) };
  }

  /** `ws.compute_targets["name"]`, `ws.datastores["name"]` (the latter only as a name). */
  private subscript(node: Node, depth: number): Value | undefined {
    const base = node.childForFieldName("value");
    if (
      base?.type !== "attribute" ||
      base.childForFieldName("attribute")?.text !== "compute_targets"
    )
      return undefined;
    const name = this.stringOf(node.childForFieldName("subscript") ?? undefined, depth);
    return name === undefined ? undefined : { kind: "compute", name };
  }

  private call(node: Node, depth: number): Value | undefined {
    const callee = node.childForFieldName("function");
    const name = calleeName(callee);
    const owner =
      callee?.type === "attribute" ? calleeName(callee.childForFieldName("object")) : undefined;
    const str = (position: number, keyword: string) =>
      this.stringOf(argument(node, position, keyword), depth);
    if (this.context.stepCalls?.has(node.startIndex)) return { kind: "step", at: node.startIndex };
    const object = name && constructedObject(name, owner, node, this.objects);
    if (object) return object;
    switch (name) {
      case "StepSequence": {
        const steps = argument(node, 0, "steps");
        return steps ? this.evaluateInner(steps, depth + 1) : undefined;
      }
      case "as_input":
      case "as_direct":
        return this.consumed(node, CONSUMING_MODES[name]!, depth);
      case "PipelineParameter": {
        const paramName = str(0, "name");
        if (paramName === undefined) return undefined;
        const def = argument(node, 1, "default_value");
        return {
          kind: "pipelineParameter",
          name: paramName,
          default: def && { ...this.evaluateInner(def, depth + 1), text: def.text },
        };
      }
      case "DataReference":
        return this.data(
          node,
          "DataReference",
          str(1, "data_reference_name"),
          str(2, "path_on_datastore"),
          str(3, "mode") ?? "mount",
          this.datastoreName(argument(node, 0, "datastore"), depth),
        );
      case "PipelineData":
        return this.data(
          node,
          "PipelineData",
          str(0, "name"),
          undefined,
          undefined,
          this.datastoreName(argument(node, 1, "datastore"), depth),
        );
      case "OutputFileDatasetConfig":
      case "OutputDatasetConfig":
        return this.outputDataset(node, name, depth);
      case "as_mount":
      case "as_download":
        return (
          this.namedInput(node, CONSUMING_MODES[name]!, depth) ??
          this.consumed(node, CONSUMING_MODES[name]!, depth)
        );
      case "AmlCompute":
      case "ComputeInstance":
      case "RemoteCompute":
      case "DatabricksCompute":
      case "HDInsightCompute":
      case "AksCompute":
      case "ComputeTarget": {
        if (owner === undefined || owner === "compute" || owner === "core") {
          const computeName = str(1, "name");
          return computeName === undefined
            ? undefined
            : {
                kind: "compute",
                name: computeName,
                computeType: name === "ComputeTarget" ? undefined : name,
              };
        }
        return undefined;
      }
      case "create":
        return owner === "ComputeTarget" ? this.computeCreate(node, depth) : undefined;
      case "get":
        if (owner !== "Environment") return undefined;
        return this.environment(str(1, "name"), argument(node, 2, "version"), depth);
      default:
        return undefined;
    }
  }

  /** `Environment.get(ws, name, version)`: a registered environment. (`Environment(name)`
   * built in code is objects.ts's.) */
  private environment(
    name: string | undefined,
    versionNode: Node | undefined,
    depth: number,
  ): Value | undefined {
    if (name === undefined) return undefined;
    const version = versionNode && this.evaluateInner(versionNode, depth + 1);
    if (
      version &&
      !(
        version.kind === "literal" &&
        (typeof version.value === "string" || isNumber(version.value) || version.value === null)
      )
    )
      return undefined;
    return {
      kind: "environment",
      name,
      version:
        version?.kind === "literal" && version.value !== null
          ? pythonStr(version.value)
          : undefined,
    };
  }

  private computeCreate(node: Node, depth: number): Value | undefined {
    const computeName = this.stringOf(argument(node, 1, "name"), depth);
    if (computeName === undefined) return undefined;
    const config = argument(node, 2, "provisioning_configuration");
    const resolved =
      config?.type === "identifier" ? this.context.scope.resolve(config.text, config) : config;
    const configOwner =
      resolved?.type === "call"
        ? calleeName(resolved.childForFieldName("function")?.childForFieldName("object") ?? null)
        : undefined;
    return { kind: "compute", name: computeName, computeType: configOwner };
  }

  /** A compute target bound differently on each path of an `if` or `try` (the samples'
   * "get the cluster, or create it"), when every path binds one of the same name. */
  private agreedCompute(node: Node, depth: number): Value | undefined {
    const values = this.context.scope
      .branchValues(node.text, node)
      ?.map((value) => this.evaluateInner(value, depth + 1));
    if (!values?.length || !values.every((v) => v.kind === "compute")) return undefined;
    const computes = values as Array<Extract<Value, { kind: "compute" }>>;
    if (new Set(computes.map((c) => c.name)).size !== 1) return undefined;
    const types = new Set(computes.flatMap((c) => (c.computeType ? [c.computeType] : [])));
    if (types.size > 1) return undefined;
    return { kind: "compute", name: computes[0]!.name, computeType: [...types][0] };
  }

  /** Datastore name from `Datastore(ws, "x")`, `Datastore.get(ws, "x")`,
   * `Datastore.register_azure_blob_container(ws, "x", ...)` (and the other `register_*`),
   * `ws.datastores["x"]`, or the workspace default (`ws.get_default_datastore()`). */
  private datastoreName(node: Node | undefined, depth: number): DatastoreName | undefined {
    if (!node) return undefined;
    let target: Node | undefined = node;
    for (let i = 0; target?.type === "identifier" && i < 10; i++) {
      const use: Node = target;
      target = this.context.scope.resolve(use.text, use);
      if (!target) return this.agreedDatastore(use, depth);
    }
    if (!target) return undefined;
    if (target.type === "call") {
      const callee = target.childForFieldName("function");
      const n = calleeName(callee) ?? "";
      const owner = calleeName(callee?.childForFieldName("object") ?? null);
      if (n === "get_default_datastore") return { name: DEFAULT_DATASTORE, isDefault: true };
      const named =
        n === "Datastore"
          ? "name"
          : owner === "Datastore" && (n === "get" || n.startsWith("register_"))
            ? "datastore_name"
            : undefined;
      if (named) {
        const name = this.stringOf(argument(target, 1, named), depth);
        return name === undefined ? undefined : { name };
      }
    }
    if (
      target.type === "subscript" &&
      target.childForFieldName("value")?.childForFieldName("attribute")?.text === "datastores"
    ) {
      const name = this.stringOf(target.childForFieldName("subscript") ?? undefined, depth);
      return name === undefined ? undefined : { name };
    }
    return undefined;
  }

  /** A datastore bound on every path of an `if` or `try` to one of the same name. */
  private agreedDatastore(node: Node, depth: number): DatastoreName | undefined {
    const names = this.context.scope
      .branchValues(node.text, node)
      ?.map((value) => this.datastoreName(value, depth + 1));
    if (!names?.length || names.some((n) => !n) || new Set(names.map((n) => n!.name)).size !== 1)
      return undefined;
    return names[0];
  }

  /** `data.as_input()` / `.as_mount()` / ...: another step's output read by this one. */
  private consumed(node: Node, mode: string, depth: number): Value | undefined {
    const object = node.childForFieldName("function")?.childForFieldName("object");
    const data = object && this.evaluateInner(object, depth + 1);
    if (data?.kind !== "data") return undefined;
    return { ...data, consumed: true, mode };
  }

  private data(
    node: Node,
    dataKind: DataKind,
    name: string | undefined,
    path: string | undefined,
    mode: string | undefined,
    datastore: DatastoreName | undefined,
  ): Value | undefined {
    if (name === undefined) return undefined;
    return {
      kind: "data",
      dataKind,
      name,
      path,
      mode,
      datastore: datastore?.name,
      ...(datastore?.isDefault ? { defaultDatastore: true } : {}),
      origin: node.startIndex,
      span: spanOf(node, this.context.index),
    };
  }

  /** `OutputFileDatasetConfig(name=..., destination=(datastore, "path"))`. */
  private outputDataset(
    node: Node,
    kind: "OutputFileDatasetConfig" | "OutputDatasetConfig",
    depth: number,
  ): Value | undefined {
    const name = this.stringOf(argument(node, 0, "name"), depth);
    if (name === undefined) return undefined;
    const destination = argument(node, 1, "destination");
    const parts =
      destination?.type === "tuple"
        ? destination.namedChildren.filter((c): c is Node => !!c && c.type !== "comment")
        : [];
    return this.data(
      node,
      kind,
      name,
      parts[1] && this.stringOf(parts[1], depth),
      "upload",
      parts[0] ? this.datastoreName(parts[0], depth) : undefined,
    );
  }

  /** `Dataset.get_by_name(ws, name="x", version=2).as_named_input("in").as_mount()`. */
  private namedInput(node: Node, mode: string, depth: number): Value | undefined {
    const named = node.childForFieldName("function")?.childForFieldName("object");
    if (
      named?.type !== "call" ||
      calleeName(named.childForFieldName("function")) !== "as_named_input"
    )
      return undefined;
    const inputName = this.stringOf(argument(named, 0, "name"), depth);
    if (inputName === undefined) return undefined;
    let source: Node | undefined =
      named.childForFieldName("function")?.childForFieldName("object") ?? undefined;
    if (source?.type === "identifier") source = this.context.scope.resolve(source.text, source);
    let path: string | undefined;
    if (
      source?.type === "call" &&
      calleeName(source.childForFieldName("function")) === "get_by_name"
    ) {
      const registered = this.stringOf(argument(source, 1, "name"), depth);
      const versionNode = argument(source, 2, "version");
      const version = versionNode && this.evaluateInner(versionNode, depth + 1);
      const versionText =
        version?.kind === "literal" &&
        (isNumber(version.value) ||
          (typeof version.value === "string" && version.value !== "latest"))
          ? pythonStr(version.value)
          : undefined;
      if (registered !== undefined)
        path = versionText
          ? `azureml:${registered}:${versionText}`
          : `azureml:${registered}@latest`;
    }
    return {
      kind: "data",
      dataKind: "Dataset",
      name: inputName,
      path,
      mode,
      span: spanOf(node, this.context.index),
    };
  }
}
