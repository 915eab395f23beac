// The one code table: every diagnostic code with its default severity, title and the
// paragraph `mpistep-migrate explain CODE` prints, joined from one file per area: the
// validation rules (src/validate/rules.ts, each beside its check), unreadable input
// (input.ts), the run and its stages (engine.ts) and the targets (targets.ts). `Code` is
// derived from it, so a misspelt code does not compile; explain, SARIF rules and every
// constructor (`diagnostic`) read it.

import type { Diagnostic, Position, Severity, TodoPlace } from "../diagnostics/model.js";
import { RULES } from "../validate/rules.js";
import { ENGINE_CODES } from "./engine.js";
import { INPUT_CODES } from "./input.js";
import { TARGET_CODES } from "./targets.js";

const CODE_TABLE = { ...INPUT_CODES, ...ENGINE_CODES, ...TARGET_CODES, ...RULES } as const;

export type Code = keyof typeof CODE_TABLE;

export interface CodeInfo {
  code: Code;
  severity: Severity;
  title: string;
  explanation: string;
}

/** Every code, in code order. */
export const CODES: readonly CodeInfo[] = (Object.keys(CODE_TABLE) as Code[]).sort().map((code) => {
  const { severity, title, explanation } = CODE_TABLE[code];
  return { code, severity, title, explanation };
});

const BY_CODE = new Map(CODES.map((info) => [info.code as string, info]));

export function codeInfo(code: string): CodeInfo | undefined {
  return BY_CODE.get(code.toUpperCase());
}

/** A finding at `where`, with the code's default severity unless given. Two rules: a
 * finding the output marks with a TODO leaves manual work, and is a warning at least
 * (an info code, such as MPI014, becomes a warning where the target cannot carry it). */
export function diagnostic(
  code: Code,
  message: string,
  where: Position,
  extra: { severity?: Severity; manual?: boolean; todo?: TodoPlace } = {},
): Diagnostic {
  return {
    code,
    severity:
      extra.severity ??
      (extra.todo && CODE_TABLE[code].severity === "info" ? "warning" : CODE_TABLE[code].severity),
    message,
    line: where.line,
    column: where.column,
    ...(extra.manual || extra.todo ? { manual: true } : {}),
    ...(extra.todo ? { todo: extra.todo } : {}),
  };
}
