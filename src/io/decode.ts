// Turns file bytes into text and back without losing anything: UTF-8 with or without a
// BOM, and any other encoding a PEP 263 coding line declares that iconv-lite (a
// well-kept codec library, bundled) reads, provided the file's bytes survive decoding and
// encoding unchanged, so every byte outside an edit is written back as it was. Binary and
// undecodable files are reported, never guessed.

import { InputError, SkippedInput } from "../diagnostics/model.js";

/** The codec library, loaded only for a file that declares another encoding than UTF-8
 * (a pre-commit run over UTF-8 files never pays for it). */
async function codecs() {
  return (await import("iconv-lite")).default;
}

export interface DecodedText {
  text: string;
  /** "utf-8", or the declared encoding's name. */
  encoding: string;
  bom: boolean;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const UTF8_NAMES = /^utf[-_]?8(-sig)?$/i;

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

export async function decodeSource(bytes: Buffer, pythonSource: boolean): Promise<DecodedText> {
  if (bytes.subarray(0, 8000).includes(0))
    throw new SkippedInput("binary file (contains NUL bytes); skipped");
  const bom = bytes.subarray(0, 3).equals(UTF8_BOM);
  const declared = pythonSource && !bom ? declaredEncoding(bytes) : undefined;
  if (declared && !UTF8_NAMES.test(declared))
    return decodeDeclared(bytes, declared, await codecs());
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(
      bom ? bytes.subarray(3) : bytes,
    );
    return { text, encoding: "utf-8", bom };
  } catch {
    throw new SkippedInput("not valid UTF-8 text; skipped");
  }
}

/** A file in the encoding its coding line names, when its bytes round-trip. */
function decodeDeclared(
  bytes: Buffer,
  encoding: string,
  iconv: Awaited<ReturnType<typeof codecs>>,
): DecodedText {
  if (!iconv.encodingExists(encoding))
    throw new SkippedInput(`unknown source encoding '${encoding}'; skipped`);
  const text = iconv.decode(bytes, encoding, { stripBOM: false });
  if (!iconv.encode(text, encoding, { addBOM: false }).equals(bytes))
    throw new SkippedInput(
      `not valid ${encoding} text (it would not be written back unchanged); skipped`,
    );
  return { text, encoding, bom: false };
}

export async function encodeSource(
  decoded: Omit<DecodedText, "text">,
  text: string,
): Promise<Buffer> {
  if (decoded.encoding !== "utf-8") {
    const iconv = await codecs();
    const bytes = iconv.encode(text, decoded.encoding, { addBOM: false });
    // The codec replaces what it cannot hold: refuse rather than write a changed text.
    if (iconv.decode(bytes, decoded.encoding, { stripBOM: false }) !== text)
      throw new InputError(
        "MPI031",
        `the rewritten text has characters ${decoded.encoding} cannot hold; not written`,
      );
    return bytes;
  }
  const body = Buffer.from(text, "utf8");
  return decoded.bom ? Buffer.concat([UTF8_BOM, body]) : body;
}
