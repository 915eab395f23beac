// The one code table: every diagnostic code with its default severity, title and the
// paragraph `mpistep-migrate explain CODE` prints, joined from the validation rules
// (src/validate/rules.ts, each beside its check) and the findings made elsewhere
// (src/diagnostics/findings.ts). `Code` is derived from it, so a misspelt code does not
// compile; explain, SARIF rules and every constructor read it.

import { FINDINGS } from "../diagnostics/findings.js";
import type { Diagnostic, Position, Severity, TodoPlace } from "../diagnostics/model.js";
import { RULES } from "./rules.js";

export type { Severity, Diagnostic } from "../diagnostics/model.js";

const CODE_TABLE = { ...FINDINGS, ...RULES } as const;

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

/** A finding at `where`, with the code's default severity unless given. One rule: a
 * finding the output marks with a TODO leaves manual work. */
export function diagnostic(
  code: Code,
  message: string,
  where: Position,
  extra: { severity?: Severity; manual?: boolean; todo?: TodoPlace } = {},
): Diagnostic {
  return {
    code,
    severity: extra.severity ?? CODE_TABLE[code].severity,
    message,
    line: where.line,
    column: where.column,
    ...(extra.manual || extra.todo ? { manual: true } : {}),
    ...(extra.todo ? { todo: extra.todo } : {}),
  };
}
