// POSIX shell quoting for v2 command strings: each argv item becomes one word that a
// real `sh` gives back unchanged.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteShellWord(word: string): string {
  if (SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Python's str() of a scalar, which is what v1 passed on for non-string argv items. */
export function pythonStr(value: string | number | boolean | null): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  return String(value);
}
