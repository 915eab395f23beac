// Name resolution for the Python frontend: finds the expression a name was last bound to
// before a given point, through the enclosing function and module scopes, in
// straight-line code only. Anything less certain resolves to nothing (kept opaque).
// Bindings are found from the places the name is written (tokens.ts), not by walking
// whole scopes.

import type { Node } from "web-tree-sitter";
import { identifiersNamed, type ParsedText } from "./tokens.js";

const SCOPE_TYPES = new Set(["module", "function_definition", "class_definition", "lambda"]);
/** Statements whose bodies may or may not run, so a binding inside them is uncertain. */
const BRANCH_TYPES = new Set([
  "if_statement",
  "for_statement",
  "while_statement",
  "try_statement",
  "match_statement",
  "elif_clause",
  "else_clause",
  "except_clause",
  "finally_clause",
  "case_clause",
]);
const PARAMETER_PARENTS = new Set([
  "parameters",
  "lambda_parameters",
  "list_splat_pattern",
  "dictionary_splat_pattern",
]);
const NAMED_PARAMETERS = new Set([
  "default_parameter",
  "typed_default_parameter",
  "typed_parameter",
]);

/** A binding of a name: to an expression, or (no value) to something not followed. */
interface Binding {
  offset: number;
  scope: Node;
  value?: Node;
  /** The node whose subtree holds the binding (for branch checks). */
  at: Node;
}

function enclosingScope(node: Node): Node {
  let current = node.parent;
  while (current && !SCOPE_TYPES.has(current.type)) current = current.parent;
  return current ?? node;
}

function same(a: Node | null | undefined, b: Node): boolean {
  return !!a && a.id === b.id;
}

/** Whether `id` sits in an assignment target (not as an attribute object or subscript). */
function inTarget(id: Node, target: Node): boolean {
  for (let n: Node | null = id; n && !same(n, target); n = n.parent)
    if (n.type === "attribute" || n.type === "subscript") return false;
  return true;
}

/** The binding `id` makes, if the identifier is a binding occurrence. */
function bindingOf(id: Node): Binding | undefined {
  const parent = id.parent;
  if (!parent) return undefined;
  // Function and lambda parameters bind in the function's own scope, before its body.
  const parameterList = PARAMETER_PARENTS.has(parent.type)
    ? parent
    : NAMED_PARAMETERS.has(parent.type) && same(parent.namedChildren[0], id)
      ? parent.parent
      : undefined;
  if (parameterList) {
    const fn =
      parameterList.type === "parameters" || parameterList.type === "lambda_parameters"
        ? parameterList.parent
        : parameterList.parent?.parent;
    if (fn && (fn.type === "function_definition" || fn.type === "lambda"))
      return { offset: -1, scope: fn, at: id };
    return undefined;
  }
  if (
    (parent.type === "function_definition" || parent.type === "class_definition") &&
    same(parent.childForFieldName("name"), id)
  )
    return { offset: parent.startIndex, scope: enclosingScope(parent), at: parent };
  // Walk up through tuple/list targets to the statement that binds.
  let target: Node = id;
  while (
    target.parent &&
    [
      "pattern_list",
      "tuple_pattern",
      "list_pattern",
      "list_splat_pattern",
      "parenthesized_expression",
      "tuple",
      "list",
    ].includes(target.parent.type)
  )
    target = target.parent;
  const holder = target.parent;
  if (!holder) return undefined;
  switch (holder.type) {
    case "assignment": {
      if (!same(holder.childForFieldName("left"), target) || !inTarget(id, target))
        return undefined;
      let top = holder;
      while (top.parent?.type === "assignment" && same(top.parent.childForFieldName("right"), top))
        top = top.parent;
      let right = holder.childForFieldName("right");
      while (right?.type === "assignment") right = right.childForFieldName("right");
      const value = same(target, id) ? (right ?? undefined) : undefined;
      return { offset: top.endIndex, scope: enclosingScope(holder), value, at: top };
    }
    case "augmented_assignment":
      return same(holder.childForFieldName("left"), target)
        ? { offset: holder.endIndex, scope: enclosingScope(holder), at: holder }
        : undefined;
    case "named_expression":
      return same(holder.childForFieldName("name"), target)
        ? { offset: holder.endIndex, scope: enclosingScope(holder), at: holder }
        : undefined;
    case "for_statement":
    case "for_in_clause":
      return same(holder.childForFieldName("left"), target)
        ? { offset: holder.startIndex, scope: enclosingScope(holder), at: holder }
        : undefined;
    case "as_pattern_target":
    case "as_pattern":
    case "with_item":
      return { offset: holder.endIndex, scope: enclosingScope(holder), at: holder };
    case "aliased_import":
      return same(holder.childForFieldName("alias"), id)
        ? { offset: holder.parent!.endIndex, scope: enclosingScope(holder), at: holder.parent! }
        : undefined;
    case "dotted_name": {
      const statement = holder.parent;
      const imported =
        statement &&
        (statement.type === "import_statement" ||
          (statement.type === "import_from_statement" &&
            !same(statement.childForFieldName("module_name"), holder)));
      return imported && same(holder.namedChildren[0], id)
        ? { offset: statement.endIndex, scope: enclosingScope(statement), at: statement }
        : undefined;
    }
    case "global_statement":
    case "nonlocal_statement":
      return { offset: holder.endIndex, scope: enclosingScope(holder), at: holder };
    default:
      return undefined;
  }
}

/** The blocks of an `if` or `try` statement one of which runs on every path through it:
 * undefined when there is a path that runs none (an `if` without `else`) or a `finally`
 * that could bind last. For a `try`, its `else` (when there is one) stands for the body. */
function conditionalBranches(statement: Node): Node[] | undefined {
  const children = statement.namedChildren.filter((c): c is Node => !!c);
  if (statement.type === "if_statement") {
    const consequence = statement.childForFieldName("consequence");
    const alternatives = children.filter(
      (c) => c.type === "elif_clause" || c.type === "else_clause",
    );
    if (!consequence || !alternatives.some((c) => c.type === "else_clause")) return undefined;
    return [consequence, ...alternatives];
  }
  if (children.some((c) => c.type === "finally_clause")) return undefined;
  const body = statement.childForFieldName("body");
  const otherwise = children.find((c) => c.type === "else_clause");
  const handlers = children.filter((c) => c.type === "except_clause");
  if (!body || !handlers.length) return undefined;
  return [otherwise ?? body, ...handlers];
}

/** Whether `node` sits in a branching statement below `branch` (by ancestry, not by
 * offsets: a block whose only statement is an `if` spans the same bytes as that `if`). */
function nestedIn(node: Node, branch: Node): boolean {
  for (let n = node.parent; n && !same(n, branch); n = n.parent)
    if (BRANCH_TYPES.has(n.type)) return true;
  return false;
}

export class ScopeResolver {
  private readonly bindings = new Map<string, Binding[]>();

  constructor(
    private readonly root: Node,
    private readonly source: ParsedText,
  ) {}

  private bindingsOf(name: string): Binding[] {
    let list = this.bindings.get(name);
    if (!list) {
      list = identifiersNamed(this.root, this.source, name)
        .map(bindingOf)
        .filter((b): b is Binding => !!b)
        .sort((a, b) => a.offset - b.offset);
      this.bindings.set(name, list);
    }
    return list;
  }

  /** The expression `name` is bound to at `use`, or undefined when uncertain. */
  resolve(name: string, use: Node): Node | undefined {
    const all = this.bindingsOf(name);
    const useScope = enclosingScope(use);
    for (let scope = useScope; ; scope = enclosingScope(scope)) {
      if (scope.type !== "class_definition" || same(useScope, scope)) {
        const inScope = all.filter((b) => same(b.scope, scope));
        const before = inScope.filter((b) => b.offset < use.startIndex);
        const last = before[before.length - 1];
        if (last)
          return last.value && !this.inBranchNotHolding(last.at, use, scope)
            ? last.value
            : undefined;
        // A name bound anywhere in a function is local to it (Python's rule).
        if (inScope.length && scope.type !== "module") return undefined;
      }
      if (scope.type === "module" || same(scope, this.root)) return undefined;
    }
  }

  /** When `name` is last bound (before `use`) inside an `if` or `try` statement that does
   * not hold `use`, the expressions each path through that statement binds it to: one
   * per branch (`if`/`elif`/`else`; the `try` body or its `else`, and every `except`),
   * each bound directly in its branch. Undefined when some path does not bind it (an
   * `if` without `else`, a nested branch, a `finally` that binds it, a loop). The caller
   * decides whether the values agree. */
  branchValues(name: string, use: Node): Node[] | undefined {
    const scope = enclosingScope(use);
    const inScope = this.bindingsOf(name).filter(
      (b) => same(b.scope, scope) && b.offset < use.startIndex,
    );
    const last = inScope[inScope.length - 1];
    if (!last) return undefined;
    let statement: Node | undefined;
    for (let n = last.at.parent; n && !same(n, scope); n = n.parent)
      if (
        BRANCH_TYPES.has(n.type) &&
        !(use.startIndex >= n.startIndex && use.endIndex <= n.endIndex)
      )
        statement = n;
    if (statement?.type !== "if_statement" && statement?.type !== "try_statement") return undefined;
    const branches = conditionalBranches(statement);
    if (!branches) return undefined;
    const values: Node[] = [];
    for (const branch of branches) {
      const held = inScope.filter(
        (b) => b.at.startIndex >= branch.startIndex && b.at.endIndex <= branch.endIndex,
      );
      const binding = held[held.length - 1];
      if (!binding?.value || nestedIn(binding.at, branch)) return undefined;
      values.push(binding.value);
    }
    return values;
  }

  /** The occurrences of `name` after the binding `resolve` finds for it at `use` and
   * before `until`, in the same scope: where a bound object may be changed
   * (`rc.target = ...`, `cd.add_pip_package(...)`). Undefined when it does not resolve. */
  usesAfterBinding(name: string, use: Node, until: number): Node[] | undefined {
    const value = this.resolve(name, use);
    if (!value) return undefined;
    const binding = this.bindingsOf(name).find((b) => same(b.value, value));
    if (!binding) return undefined;
    return identifiersNamed(this.root, this.source, name).filter(
      (id) =>
        id.startIndex > binding.offset &&
        id.startIndex < until &&
        same(enclosingScope(id), binding.scope),
    );
  }

  /** Whether `node` sits in a branch or loop of its scope, so it may not run. */
  inBranch(node: Node): boolean {
    return nestedIn(node, enclosingScope(node));
  }

  /** Whether the binding sits in a branch (within its scope) that does not also hold `use`. */
  private inBranchNotHolding(binding: Node, use: Node, scope: Node): boolean {
    for (let n = binding.parent; n && !same(n, scope); n = n.parent) {
      if (
        BRANCH_TYPES.has(n.type) &&
        !(use.startIndex >= n.startIndex && use.endIndex <= n.endIndex)
      )
        return true;
    }
    return false;
  }
}
