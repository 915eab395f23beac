// Writes YAML documents with comments placed before the keys they concern. Uses YAML 1.1
// quoting so that strings such as "yes", "on" or "1" stay strings for Azure ML's
// YAML 1.1 loader, and never folds long lines.

import { Document, isMap, isScalar, isSeq, parse, type Node, type Pair } from "yaml";

export interface YamlComment {
  at: Array<string | number>;
  text: string;
}

/** The pair (or sequence item) at the longest existing prefix of `at`. */
function commentTarget(doc: Document, at: Array<string | number>): { node: Node } | undefined {
  let current: unknown = doc.contents;
  let target: { node: Node } | undefined;
  for (const key of at) {
    if (isMap(current)) {
      const pair = (current.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === key);
      if (!pair || !isScalar(pair.key)) break;
      target = { node: pair.key };
      current = pair.value;
    } else if (isSeq(current) && typeof key === "number" && current.items[key]) {
      const item = current.items[key] as Node;
      target = { node: item };
      current = item;
    } else break;
  }
  return target;
}

export function toYaml(value: unknown, comments: YamlComment[] = [], header?: string): string {
  const doc = new Document(value, { version: "1.1" });
  const top: string[] = header ? [header] : [];
  for (const comment of comments) {
    const target = commentTarget(doc, comment.at);
    const text = ` ${comment.text.replace(/\r?\n/g, " ")}`;
    if (!target) top.push(text);
    else
      target.node.commentBefore = target.node.commentBefore
        ? `${target.node.commentBefore}\n${text}`
        : text;
  }
  if (top.length) doc.commentBefore = top.join("\n");
  return doc.toString({ lineWidth: 0, minContentWidth: 0 });
}

/** Parses YAML as Azure ML's YAML 1.1 loader reads it (throws on invalid YAML). */
export function parseYaml(text: string): unknown {
  return parse(text, { version: "1.1" });
}
