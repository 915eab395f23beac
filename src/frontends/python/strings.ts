// Decodes Python string literal syntax (prefixes, quotes, escapes, implicit
// concatenation) into the string value, or undefined when the value is not a plain
// compile-time string (f-strings with fields, bytes, named unicode escapes).

import type { Node } from "web-tree-sitter";

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

function decodeEscapes(body: string): string | undefined {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) return undefined;
    if (next === "\n") {
      i += 1;
      continue;
    }
    if (next === "\r") {
      i += body[i + 2] === "\n" ? 2 : 1;
      continue;
    }
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i += 1;
      continue;
    }
    const hex = { x: 2, u: 4, U: 8 }[next as "x" | "u" | "U"];
    if (hex) {
      const digits = body.slice(i + 2, i + 2 + hex);
      if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== hex) return undefined;
      out += String.fromCodePoint(parseInt(digits, 16));
      i += 1 + hex;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1));
    if (octal) {
      out += String.fromCodePoint(parseInt(octal[0], 8));
      i += octal[0].length;
      continue;
    }
    if (next === "N") return undefined;
    out += "\\" + next; // unknown escapes stay as written
    i += 1;
  }
  return out;
}

/** The value of one `string` node. */
function decodeStringNode(node: Node): string | undefined {
  const text = node.text;
  const prefix = /^[a-zA-Z]*/.exec(text)![0].toLowerCase();
  if (prefix.includes("b")) return undefined;
  if (prefix.includes("f") && node.namedChildren.some((c) => c?.type === "interpolation"))
    return undefined;
  const rest = text.slice(prefix.length);
  const quote = rest.startsWith('"""') || rest.startsWith("'''") ? rest.slice(0, 3) : rest[0]!;
  const body = rest.slice(quote.length, rest.length - quote.length);
  if (prefix.includes("f") && /\{\{|\}\}/.test(body)) {
    const raw = body.replace(/\{\{/g, "{").replace(/\}\}/g, "}");
    return prefix.includes("r") ? raw : decodeEscapes(raw);
  }
  return prefix.includes("r") ? body : decodeEscapes(body);
}

/** The value of a `string` or `concatenated_string` node. */
export function decodePythonString(node: Node): string | undefined {
  if (node.type === "string") return decodeStringNode(node);
  if (node.type === "concatenated_string") {
    let out = "";
    for (const part of node.namedChildren) {
      if (part?.type !== "string") return undefined;
      const value = decodeStringNode(part);
      if (value === undefined) return undefined;
      out += value;
    }
    return out;
  }
  return undefined;
}
