// Numbers as Python holds them. v1 put `str(value)` on the command line and into
// environment variables, so every number keeps the text Python's str() gives it: an int
// of any size digit for digit, a float as its repr (`1.0`, `100000.0`, `5e-05`,
// `1e+16`). JavaScript's own number printing differs on every one of these.

/** A Python int or float: its kind, the text str() gives, and its value as a double
 * (for comparisons; a large int is only approximately this). */
export interface PyNumber {
  type: "int" | "float";
  str: string;
  value: number;
}

export function isNumber(value: unknown): value is PyNumber {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as PyNumber).str === "string" &&
    ((value as PyNumber).type === "int" || (value as PyNumber).type === "float")
  );
}

export function pyInt(digits: bigint): PyNumber {
  return { type: "int", str: digits.toString(), value: Number(digits) };
}

export function pyFloat(value: number): PyNumber {
  return { type: "float", str: floatRepr(value), value };
}

/** Python's repr() of a float: the shortest digits that round-trip (JavaScript finds the
 * same ones), written the way CPython's float_repr_style 'short' writes them. */
export function floatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  const [mantissa, exponent] = Math.abs(value).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  // The decimal point sits after `point` digits: 0.d1d2... x 10^point.
  const point = Number(exponent) + 1;
  if (point > 16 || point < -3) {
    const exp = point - 1;
    const rest = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const expText = String(Math.abs(exp)).padStart(2, "0");
    return `${sign}${digits[0]}${rest}e${exp < 0 ? "-" : "+"}${expText}`;
  }
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A Python integer or float literal (underscores, 0x/0o/0b prefixes, exponents), or
 * undefined for an imaginary literal or text that is no number. */
export function pythonNumberLiteral(text: string): PyNumber | undefined {
  const clean = text.replace(/_/g, "");
  if (/^(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/.test(clean))
    return pyInt(BigInt(clean)); // BigInt reads the prefixes, and leading zeros as decimal
  if (/^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(clean)) return pyFloat(Number(clean));
  return undefined;
}

/** A JSON number as Python's json module reads it: an int when it has no fraction or
 * exponent, else a float. */
export function jsonNumber(text: string): PyNumber {
  return /[.eE]/.test(text) ? pyFloat(Number(text)) : pyInt(BigInt(text));
}

/** The number negated, as unary minus in Python gives it. */
export function negated(n: PyNumber): PyNumber {
  if (n.type === "float") return pyFloat(-n.value);
  return pyInt(-BigInt(n.str));
}
