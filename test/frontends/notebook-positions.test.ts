// Every finding in a notebook points where its text is in the .ipynb file: at a line of
// the cell it is about, and at a column inside that line's source string. The cells'
// places are found here with a reader of its own: each source line's JSON text is
// searched for in the file, in order, from where the previous one was found.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli, scratch, stepFixtures } from "../helpers.js";

interface Piece {
  line: number;
  /** 1-based columns of the opening and closing quotes. */
  open: number;
  close: number;
}

/** The source strings of each code cell, by cell index, where the file writes them. */
function cellPieces(file: string): Map<number, Piece[]> {
  const text = readFileSync(file, "utf8");
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= offset) line++;
    return line;
  };
  const cells = new Map<number, Piece[]>();
  let cursor = text.indexOf('"cells"');
  JSON.parse(text).cells.forEach((cell: any, index: number) => {
    const sources: string[] = Array.isArray(cell.source) ? cell.source : [cell.source];
    const pieces: Piece[] = [];
    for (const source of sources) {
      const written = JSON.stringify(source);
      const at = text.indexOf(written, cursor);
      if (at < 0) throw new Error(`${file}: cell ${index}: ${written} not found`);
      cursor = at + written.length;
      const line = lineOf(at);
      pieces.push({
        line: line + 1,
        open: at - lineStarts[line]! + 1,
        close: at + written.length - lineStarts[line]!,
      });
    }
    if (cell.cell_type === "code") cells.set(index, pieces);
  });
  return cells;
}

describe("positions in notebooks", () => {
  it("every finding points at its text in the .ipynb, in the cell it names", () => {
    const notebooks = stepFixtures().filter((f) => f.endsWith(".ipynb"));
    expect(notebooks.length).toBeGreaterThanOrEqual(3);
    let checked = 0;
    for (const notebook of notebooks) {
      const cells = cellPieces(notebook);
      const inCells = (line: number, column: number) =>
        [...cells].filter(([, pieces]) =>
          pieces.some((p) => p.line === line && column > p.open && column < p.close),
        );
      for (const args of [
        ["check"],
        ["convert", "--target", "pipeline-yaml", "--out-dir", scratch()],
        ["convert", "--target", "job-yaml", "--out-dir", scratch()],
      ]) {
        const [command, ...rest] = args;
        const report = JSON.parse(runCli([command!, notebook, ...rest, "--format", "json"]).stdout);
        for (const file of report.files) {
          const findings = [
            ...file.diagnostics,
            ...file.steps.flatMap((step: any) => [step, ...step.diagnostics]),
          ];
          for (const finding of findings) {
            const where = `${notebook} ${args[0]} ${finding.code ?? finding.name} at ${finding.line}:${finding.column}`;
            expect(inCells(finding.line, finding.column), where).toHaveLength(1);
            checked++;
          }
          // A step is in the cell it names.
          for (const step of file.steps)
            expect(inCells(step.line, step.column)[0]![0], step.name).toBe(step.cell.index);
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });
});
