// Notebook frontend: reads the code cells of an .ipynb into one Python text (magics and
// shell lines masked as comments of the same length, so offsets do not move), parses it
// with the Python frontend so names from earlier cells resolve in later ones, and maps
// positions back to cells. Also gives the layout a writer needs to replace only the
// `source` of changed cells, leaving every other byte of the JSON alone.

import { parseTree, type Node, type ParseError } from "jsonc-parser";
import { describeParseError } from "../json/index.js";
import { lineIndex } from "../../ir/positions.js";
import { walkValues } from "../../ir/types.js";
import { parsePythonSteps, type PythonOptions, type PythonResult } from "../python/index.js";
import { InputError } from "../../diagnostics/model.js";

export interface NotebookCell {
  /** 0-based index among all cells (code and markdown). */
  index: number;
  /** Range of the cell's text within the joined Python text. */
  start: number;
  end: number;
  /** Offsets of the cell's `source` value within the notebook JSON text. */
  sourceOffset: number;
  sourceLength: number;
  /** Whether `source` was a list of lines (the usual form) or one string. */
  sourceIsList: boolean;
  /** Notebook file line of each line of the cell (1-based). */
  fileLines: number[];
  /** Each JSON string the cell's source is made of: where its text starts in the notebook
   * file (inside the quotes), its text as written there (escaped), and where its decoded
   * text starts in the cell's text. */
  pieces: Array<{ fileOffset: number; raw: string; start: number }>;
}

/** The index in a JSON string's escaped text of its `decoded`-th UTF-16 unit. */
function rawIndexOf(raw: string, decoded: number): number {
  let i = 0;
  for (let unit = 0; unit < decoded && i < raw.length; unit++)
    i += raw[i] !== "\\" ? 1 : raw[i + 1] === "u" ? 6 : 2;
  return i;
}

/** `%%writefile [-a] PATH` on a cell's first line: the cell writes (or, with -a,
 * appends to) PATH the rest of its text. */
const WRITEFILE = /^[ \t]*%%writefile([ \t]+-a)?[ \t]+(\S.*?)[ \t]*$/m;
/** IPython expands `$name` and `{name}` in magic arguments from the notebook's names. */
const EXPANDED = /\$(\w+)|\{(\w+)\}/g;

export interface NotebookResult extends PythonResult {
  /** Files the notebook's `%%writefile` cells write (paths as expanded, relative to the
   * notebook's folder unless absolute); a cell whose path does not resolve is left out. */
  writtenFiles: string[];
  /** What each of those files holds once the cells have run, in order (an `-a` cell
   * appends to what an earlier cell wrote). */
  writtenContents: Map<string, string>;
  /** The code cells joined with "\n" (unmasked): the text spans refer to. */
  joinedText: string;
  /** The same with magics masked: the Python program the notebook's cells make. */
  maskedText: string;
  cells: NotebookCell[];
}

/** The IPython input transformations that are not Python, by line (as IPython applies
 * them before running a cell): line magics `%x` (and `%x?`), shell escapes `!cmd`,
 * assignments from either (`v = !cmd`, `v = %x`), help prefixes `?x` / `??x`, and help
 * suffixes `x?` / `x??` / `%x?` on a (dotted, possibly wildcard) name. */
const IPYTHON_LINES = [
  /^\s*[%!]/,
  /^\s*[\w.]+\s*=\s*[%!]/,
  /^\s*\?{1,2}/,
  /^\s*%{0,2}[\w*]+(?:\.[\w*]+)*\?{1,2}\s*$/,
];

/** Replaces IPython syntax that is not Python (a cell magic `%%x` makes the whole cell
 * not Python) with comments of the same length, so positions stay where they were. */
export function maskMagics(source: string): string {
  const lines = source.split(/(?<=\n)/);
  const cellMagic = /^\s*%%/.test(lines[0] ?? "");
  return lines
    .map((line) => {
      const masked = cellMagic || IPYTHON_LINES.some((pattern) => pattern.test(line));
      return masked && line.trim() !== "" ? "#" + line.slice(1) : line;
    })
    .join("");
}

function cellSource(node: Node): { text: string; isList: boolean; pieces: Node[] } | undefined {
  if (node.type === "string") return { text: node.value as string, isList: false, pieces: [node] };
  if (node.type === "array" && (node.children ?? []).every((c) => c.type === "string"))
    return {
      text: (node.children ?? []).map((c) => c.value as string).join(""),
      isList: true,
      pieces: node.children ?? [],
    };
  return undefined;
}

function prop(node: Node | undefined, key: string): Node | undefined {
  return node?.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1];
}

export async function parseNotebookSteps(
  jsonText: string,
  options: PythonOptions = {},
): Promise<NotebookResult> {
  const errors: ParseError[] = [];
  const root = parseTree(jsonText, errors, { disallowComments: true });
  const jsonIndex = lineIndex(jsonText);
  if (errors.length || !root || root.type !== "object") {
    const where = jsonIndex.position(errors[0]?.offset ?? 0);
    throw new InputError(
      "MPI030",
      `invalid notebook JSON: ${errors[0] ? describeParseError(errors[0]) : "not an object"}`,
      where.line,
      where.column,
    );
  }
  const nbformat = prop(root, "nbformat")?.value;
  const cellsNode = prop(root, "cells");
  if (typeof nbformat === "number" && nbformat < 4)
    throw new InputError(
      "MPI030",
      `nbformat ${nbformat} notebooks are not supported; convert with 'jupyter nbconvert --to notebook --nbformat 4'`,
    );
  if (cellsNode?.type !== "array")
    throw new InputError("MPI030", "invalid notebook: no 'cells' list");

  const cells: NotebookCell[] = [];
  let joined = "";
  let masked = "";
  (cellsNode.children ?? []).forEach((cellNode, index) => {
    if (prop(cellNode, "cell_type")?.value !== "code") return;
    const sourceNode = prop(cellNode, "source");
    const source = sourceNode && cellSource(sourceNode);
    if (!sourceNode || !source) {
      const where = jsonIndex.position(cellNode.offset);
      throw new InputError(
        "MPI030",
        `invalid notebook: cell ${index} has no text source`,
        where.line,
        where.column,
      );
    }
    if (joined.length > 0) {
      joined += "\n";
      masked += "\n";
    }
    const fileLines = source.isList
      ? source.pieces.map((piece) => jsonIndex.position(piece.offset).line)
      : source.text.split("\n").map(() => jsonIndex.position(sourceNode.offset).line);
    let pieceStart = 0;
    const pieces = source.pieces.map((piece) => {
      const entry = {
        fileOffset: piece.offset + 1,
        raw: jsonText.slice(piece.offset + 1, piece.offset + piece.length - 1),
        start: pieceStart,
      };
      pieceStart += (piece.value as string).length;
      return entry;
    });
    cells.push({
      index,
      start: joined.length,
      end: joined.length + source.text.length,
      sourceOffset: sourceNode.offset,
      sourceLength: sourceNode.length,
      sourceIsList: source.isList,
      fileLines,
      pieces,
    });
    joined += source.text;
    masked += maskMagics(source.text);
  });

  const joinedIndex = lineIndex(joined);
  const locate = (offset: number) => {
    const cell =
      cells.find((c) => offset >= c.start && offset <= c.end) ?? cells[cells.length - 1]!;
    const cellStartLine = joinedIndex.position(cell.start).line;
    const { line, column } = joinedIndex.position(offset);
    const cellLine = line - cellStartLine + 1;
    // Where the text at `offset` is written in the notebook file.
    const inCell = Math.min(offset - cell.start, cell.end - cell.start);
    const piece = cell.pieces.filter((p) => p.start <= inCell).pop();
    const file = piece
      ? jsonIndex.position(piece.fileOffset + rawIndexOf(piece.raw, inCell - piece.start))
      : jsonIndex.position(cell.sourceOffset);
    return { cell, cellLine, column, file };
  };
  /** Places a span (or step) of the joined text in the notebook file, by its offset. */
  const place = (span: { start: number; line: number; column: number }) => {
    const { file } = locate(span.start);
    span.line = file.line;
    span.column = file.column;
  };

  // The paths `%%writefile` cells write, with the names they expand resolved where the
  // cell stands.
  const writes = cells.flatMap((cell) => {
    const [first = "", ...rest] = joined.slice(cell.start, cell.end).split("\n");
    const match = WRITEFILE.exec(first);
    if (!match) return [];
    // IPython writes the cell's text after the magic line, with a final line break.
    const body = rest.join("\n");
    return [
      {
        template: match[2]!,
        offset: cell.start,
        append: !!match[1],
        text: body.endsWith("\n") ? body : `${body}\n`,
      },
    ];
  });
  const stringsAt = writes.flatMap(({ template, offset }) =>
    [...template.matchAll(EXPANDED)].map((m) => ({ name: m[1] ?? m[2]!, offset })),
  );
  let result: PythonResult;
  try {
    result = await parsePythonSteps(masked, { ...options, stringsAt, copies: true });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const where = locate(joinedIndex.lineStart(error.line) + error.column - 1);
    throw new InputError(
      error.code,
      `${error.message} (cell ${where.cell.index}, line ${where.cellLine})`,
      where.file.line,
      where.file.column,
    );
  }
  // Every position a finding may name is placed where its text is in the notebook file.
  for (const step of result.steps) {
    const where = locate(step.callSpan!.start);
    step.line = where.file.line;
    step.column = where.file.column;
    step.cell = { index: where.cell.index, line: where.cellLine };
    for (const arg of [...step.args.values(), ...step.ignored]) {
      if (arg.span) place(arg.span);
      for (const value of walkValues(arg.value)) if (value.span) place(value.span);
    }
  }
  // Other steps and pipelines are placed in the notebook file, like the steps.
  const inFile = <T extends { line: number; column: number }>(entry: T): T => {
    const { file } = locate(joinedIndex.lineStart(entry.line) + entry.column - 1);
    return { ...entry, ...file };
  };
  const skipped = result.skipped.map(inFile);
  const pipelines = result.pipelines?.map(inFile);
  const writtenContents = new Map<string, string>();
  for (const { template, offset, append, text } of writes) {
    let unresolved = false;
    const file = template.replace(EXPANDED, (_, dollar: string, brace: string) => {
      const value = result.strings?.get(`${dollar ?? brace}@${offset}`);
      unresolved ||= value === undefined;
      return value ?? "";
    });
    if (!unresolved)
      writtenContents.set(file, (append ? (writtenContents.get(file) ?? "") : "") + text);
  }
  return {
    ...result,
    skipped,
    ...(pipelines ? { pipelines } : {}),
    joinedText: joined,
    maskedText: masked,
    cells,
    writtenFiles: [...writtenContents.keys()],
    writtenContents,
  };
}

/** Replaces the `source` of changed cells in the notebook JSON text, leaving all else. */
export function replaceCellSources(
  jsonText: string,
  cells: NotebookCell[],
  newJoined: (cell: NotebookCell) => string | undefined,
): string {
  let out = "";
  let last = 0;
  for (const cell of cells) {
    const text = newJoined(cell);
    if (text === undefined) continue;
    const original = jsonText.slice(cell.sourceOffset, cell.sourceOffset + cell.sourceLength);
    out +=
      jsonText.slice(last, cell.sourceOffset) +
      serializeSource(text, cell.sourceIsList, original, jsonText, cell.sourceOffset);
    last = cell.sourceOffset + cell.sourceLength;
  }
  return out + jsonText.slice(last);
}

/** Serialises cell text in the layout of the original `source` value. */
function serializeSource(
  text: string,
  asList: boolean,
  original: string,
  jsonText: string,
  offset: number,
): string {
  if (!asList) return JSON.stringify(text);
  const lines = text.split(/(?<=\n)/).filter((line) => line !== "");
  if (lines.length === 0) return "[]";
  const itemIndent = /\[\s*?\n([ \t]*)/.exec(original)?.[1];
  if (itemIndent === undefined) return `[${lines.map((l) => JSON.stringify(l)).join(", ")}]`;
  const lineStart = jsonText.lastIndexOf("\n", offset - 1) + 1;
  const closingIndent = /^[ \t]*/.exec(jsonText.slice(lineStart))![0];
  const newline = original.includes("\r\n") ? "\r\n" : "\n";
  return `[${newline}${lines.map((l) => itemIndent + JSON.stringify(l)).join("," + newline)}${newline}${closingIndent}]`;
}
