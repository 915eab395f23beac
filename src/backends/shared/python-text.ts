// Python source text for values the rewrite has to spell itself: string literals (ASCII
// only, so any file encoding holds them) and literal scalars.

import { isNumber } from "../../ir/numbers.js";
import { pythonStr, type Scalar } from "../../ir/types.js";

export function pythonString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === '"') out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code > 0x7e && code <= 0xff) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code > 0xff && code <= 0xffff) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else if (code > 0xffff) out += `\\U${code.toString(16).padStart(8, "0")}`;
    else out += ch;
  }
  return out + '"';
}

/** A scalar as a Python literal (a float that is not finite as `float("inf")`). */
export function pythonScalar(value: Scalar): string {
  if (typeof value === "string") return pythonString(value);
  if (isNumber(value) && /^-?(inf|nan)$/.test(value.str)) return `float("${value.str}")`;
  return pythonStr(value);
}
