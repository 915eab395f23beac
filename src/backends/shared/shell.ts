// POSIX shell quoting for v2 command strings: each argv item becomes one word that a
// real `sh` gives back unchanged.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteShellWord(word: string): string {
  if (SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
