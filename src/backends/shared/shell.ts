// POSIX shell quoting for v2 command strings: each argv item becomes one word that a
// real `sh` gives back unchanged.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteShellWord(word: string): string {
  if (SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The words Python's `shlex.split(text)` gives (POSIX rules, no comments), which is how
 * CommandStep splits its command string; undefined when a quote is left open or the text
 * ends in an escape (shlex raises). */
export function splitShellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && (text[i + 1] === '"' || text[i + 1] === "\\")) word += text[++i];
      else if (c === "\\" && i + 1 >= text.length) return undefined;
      else word += c;
    } else if (/[ \t\r\n]/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
    } else if (c === "\\") {
      if (i + 1 >= text.length) return undefined;
      word = (word ?? "") + text[++i];
    } else word = (word ?? "") + c;
  }
  if (quote) return undefined;
  if (word !== undefined) words.push(word);
  return words;
}
