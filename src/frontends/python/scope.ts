// Name resolution for the Python frontend: finds the expression a name was last bound to
// before a given point, through the enclosing function and module scopes, in
// straight-line code only. Anything less certain resolves to nothing (kept opaque).

import type { Node } from "web-tree-sitter";

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

/** A binding of a name: to an expression, or to something the tool does not follow. */
interface Binding {
  offset: number;
  value?: Node;
  /** The node whose subtree holds the binding (for branch checks). */
  at: Node;
}

function enclosingScope(node: Node): Node {
  let current = node.parent;
  while (current && !SCOPE_TYPES.has(current.type)) current = current.parent;
  return current ?? node;
}

export class ScopeResolver {
  private readonly bindings = new Map<number, Map<string, Binding[]>>();

  constructor(private readonly root: Node) {}

  /** The expression `name` is bound to at `use`, or undefined when uncertain. */
  resolve(name: string, use: Node): Node | undefined {
    for (let scope = enclosingScope(use); ; scope = enclosingScope(scope)) {
      const isClassScope = scope.type === "class_definition";
      if (!isClassScope || scope.id === enclosingScope(use).id) {
        const candidates = (this.bindingsOf(scope).get(name) ?? []).filter(
          (b) => b.offset < use.startIndex,
        );
        const last = candidates[candidates.length - 1];
        if (last)
          return last.value && !this.inBranchNotHolding(last.at, use, scope)
            ? last.value
            : undefined;
        if (this.bindingsOf(scope).has(name) && scope.type !== "module") return undefined;
      }
      if (scope.type === "module" || scope.id === this.root.id) return undefined;
    }
  }

  /** Whether the binding sits in a branch (within its scope) that does not also hold `use`. */
  private inBranchNotHolding(binding: Node, use: Node, scope: Node): boolean {
    for (let n = binding.parent; n && n.id !== scope.id; n = n.parent) {
      if (
        BRANCH_TYPES.has(n.type) &&
        !(use.startIndex >= n.startIndex && use.endIndex <= n.endIndex)
      )
        return true;
    }
    return false;
  }

  private bindingsOf(scope: Node): Map<string, Binding[]> {
    let map = this.bindings.get(scope.id);
    if (map) return map;
    map = new Map();
    this.bindings.set(scope.id, map);
    const add = (name: string, binding: Binding) => {
      const list = map!.get(name) ?? [];
      list.push(binding);
      map!.set(name, list);
    };
    if (scope.type === "function_definition" || scope.type === "lambda") {
      const params = scope.childForFieldName("parameters");
      for (const id of params?.descendantsOfType("identifier") ?? []) {
        if (
          id &&
          id.parent?.childForFieldName("value")?.id !== id.id &&
          id.parent?.childForFieldName("type")?.id !== id.id
        )
          add(id.text, { offset: -1, at: id });
      }
    }
    const visit = (node: Node) => {
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (SCOPE_TYPES.has(child.type)) {
          const defName = child.childForFieldName("name");
          if (defName) add(defName.text, { offset: child.startIndex, at: child });
          continue;
        }
        this.collectBinding(child, add);
        visit(child);
      }
    };
    visit(scope.type === "module" ? scope : (scope.childForFieldName("body") ?? scope));
    for (const list of map.values()) list.sort((a, b) => a.offset - b.offset);
    return map;
  }

  private collectBinding(node: Node, add: (name: string, binding: Binding) => void) {
    switch (node.type) {
      case "assignment": {
        const left = node.childForFieldName("left");
        let right = node.childForFieldName("right");
        while (right?.type === "assignment") right = right.childForFieldName("right");
        if (left?.type === "identifier")
          add(left.text, { offset: node.endIndex, value: right ?? undefined, at: node });
        else
          for (const id of left?.descendantsOfType("identifier") ?? [])
            if (id && isTargetName(id, left!)) add(id.text, { offset: node.endIndex, at: node });
        break;
      }
      case "augmented_assignment":
      case "named_expression": {
        const left = node.childForFieldName(node.type === "named_expression" ? "name" : "left");
        if (left?.type === "identifier") add(left.text, { offset: node.endIndex, at: node });
        break;
      }
      case "for_statement":
      case "for_in_clause": {
        const left = node.childForFieldName("left");
        for (const id of left?.descendantsOfType("identifier") ?? [])
          if (id) add(id.text, { offset: node.startIndex, at: node });
        break;
      }
      case "as_pattern":
      case "with_item": {
        const alias =
          node.childForFieldName("alias") ?? node.namedChildren[node.namedChildren.length - 1];
        for (const id of alias?.descendantsOfType("identifier") ?? [])
          if (id) add(id.text, { offset: node.endIndex, at: node });
        break;
      }
      case "import_statement":
      case "import_from_statement":
        for (const id of importedNames(node)) add(id, { offset: node.endIndex, at: node });
        break;
      case "global_statement":
      case "nonlocal_statement":
        for (const id of node.namedChildren)
          if (id) add(id.text, { offset: node.endIndex, at: node });
        break;
    }
  }
}

/** Identifiers that are assignment targets (not attribute objects or subscript bases). */
function isTargetName(id: Node, left: Node): boolean {
  for (let n: Node | null = id; n && n.id !== left.id; n = n.parent) {
    if (n.type === "attribute" || n.type === "subscript") return false;
  }
  return true;
}

/** The local names an import statement binds. */
export function importedNames(node: Node): string[] {
  const names: string[] = [];
  for (const child of node.namedChildren) {
    if (!child || child.id === node.childForFieldName("module_name")?.id) continue;
    if (child.type === "aliased_import") names.push(child.childForFieldName("alias")!.text);
    else if (child.type === "dotted_name") names.push(child.namedChildren[0]!.text);
  }
  return names;
}
