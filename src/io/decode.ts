// Turns file bytes into text and back without losing anything: UTF-8 with or without a
// BOM, and the single-byte encodings a PEP 263 coding line can declare that Node can
// also write back (latin-1). Binary and undecodable files are reported, never guessed.

import { InputError, SkippedInput } from "../diagnostics/model.js";

export interface DecodedText {
  text: string;
  encoding: "utf-8" | "latin-1";
  bom: boolean;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LATIN1_NAMES = /^(latin[-_]?1|iso[-_]?8859[-_]?1|l1|iso[-_]?latin[-_]?1|cp819)$/i;

/** The encoding a PEP 263 declaration names in the first two lines, if any. */
function declaredEncoding(bytes: Buffer): string | undefined {
  const head = bytes
    .subarray(0, 400)
    .toString("latin1")
    .split(/\r?\n|\r/)
    .slice(0, 2);
  for (const line of head) {
    const match = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/.exec(line);
    if (match) return match[1];
    if (!/^[ \t\f]*(#.*)?$/.test(line)) break;
  }
  return undefined;
}

export function decodeSource(bytes: Buffer, pythonSource: boolean): DecodedText {
  if (bytes.subarray(0, 8000).includes(0))
    throw new SkippedInput("binary file (contains NUL bytes); skipped");
  const bom = bytes.subarray(0, 3).equals(UTF8_BOM);
  const declared = pythonSource && !bom ? declaredEncoding(bytes) : undefined;
  if (declared && LATIN1_NAMES.test(declared))
    return { text: bytes.toString("latin1"), encoding: "latin-1", bom: false };
  if (declared && !/^utf[-_]?8(-sig)?$/i.test(declared))
    throw new SkippedInput(`unsupported source encoding '${declared}' (supported: utf-8, latin-1)`);
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(
      bom ? bytes.subarray(3) : bytes,
    );
    return { text, encoding: "utf-8", bom };
  } catch {
    throw new SkippedInput("not valid UTF-8 text; skipped");
  }
}

export function encodeSource(decoded: Omit<DecodedText, "text">, text: string): Buffer {
  if (decoded.encoding === "latin-1") {
    if (/[^\u0000-\u00ff]/.test(text))
      throw new InputError("MPI031", "the rewritten text has characters latin-1 cannot hold");
    return Buffer.from(text, "latin1");
  }
  const body = Buffer.from(text, "utf8");
  return decoded.bom ? Buffer.concat([UTF8_BOM, body]) : body;
}
