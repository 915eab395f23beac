// Writes YAML documents with comments placed before the keys they concern. Uses YAML 1.1
// quoting so that strings such as "yes", "on" or "1" stay strings for Azure ML's
// YAML 1.1 loader (PyYAML), and never folds long lines. Strings holding characters that
// PyYAML's reader refuses or reads as line breaks are written double-quoted with escapes,
// and comments always stay on one physical line (docs/semantics.md, "YAML").

import { oneLineComment } from "./comments.js";
import { pythonString } from "./python-text.js";
import { isNumber, type PyNumber } from "../../ir/numbers.js";
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  parse,
  type Node,
  type Pair,
  type ScalarTag,
} from "yaml";

/** Characters PyYAML refuses in a stream (outside its printable set), reads as line
 * breaks (U+0085, U+2028, U+2029), or cannot start a plain scalar with (TAB), plus CR and
 * the BOM: a string holding one is written as an escaped, ASCII-only double-quoted scalar. */
const NEEDS_ESCAPES =
  /[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/u;

/** Takes precedence over the YAML 1.1 string tag for strings that need escapes. */
const ESCAPED_STRING: ScalarTag = {
  tag: "tag:yaml.org,2002:str",
  default: true,
  identify: (value) => typeof value === "string" && NEEDS_ESCAPES.test(value),
  resolve: (text) => text,
  // A Python string literal in double quotes is also a YAML double-quoted scalar: its
  // escapes (\\ \" \n \r \t \xHH \uHHHH \UHHHHHHHH) are YAML's, and it is plain ASCII.
  stringify: (item) => pythonString(String(item.value)),
};

/** A number YAML 1.1 readers take as Python held it: an int digit for digit, a float
 * with a decimal point (PyYAML reads `1e+16` as a string, `1.0e+16` as a float). */
function yamlNumberText(n: PyNumber): string {
  if (n.type === "int") return n.str;
  const special = { inf: ".inf", "-inf": "-.inf", nan: ".nan" }[n.str];
  if (special) return special;
  return n.str.includes(".") ? n.str : n.str.replace("e", ".0e");
}

const NUMBER_TAGS: ScalarTag[] = (["int", "float"] as const).map((type) => ({
  tag: `tag:yaml.org,2002:${type}`,
  default: true,
  identify: (value) => isNumber(value) && value.type === type,
  resolve: (text) => text,
  stringify: (item) => yamlNumberText(item.value as PyNumber),
}));

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
  const doc = new Document(value, {
    version: "1.1",
    customTags: (tags) => [ESCAPED_STRING, ...NUMBER_TAGS, ...tags],
  });
  const top: string[] = header ? [oneLineComment(header)] : [];
  for (const comment of comments) {
    const target = commentTarget(doc, comment.at);
    const text = ` ${oneLineComment(comment.text)}`;
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
