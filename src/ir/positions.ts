// Offset -> 1-based line/column conversion for source text, shared by every frontend.

export interface LineIndex {
  /** The text indexed. */
  text: string;
  position(offset: number): { line: number; column: number };
  lineStart(line: number): number;
}

export function lineIndex(text: string): LineIndex {
  const starts = [0];
  if (!text.includes("\r"))
    for (let lf = text.indexOf("\n"); lf !== -1; lf = text.indexOf("\n", lf + 1))
      starts.push(lf + 1);
  else
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10) starts.push(i + 1);
      else if (ch === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
  return {
    text,
    position(offset) {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo + 1, column: offset - starts[lo]! + 1 };
    },
    lineStart(line) {
      return starts[Math.min(Math.max(line - 1, 0), starts.length - 1)]!;
    },
  };
}
