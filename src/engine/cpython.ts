// A second opinion before writing: CPython's own parser (ast.parse: it compiles, it never
// runs the code) checks each original and rewritten program of a run in one python3
// process. tree-sitter's grammar accepts some text CPython rejects; a file either
// parser rejects is not rewritten. Without python3 on the machine the tool relies on
// tree-sitter alone and says so.

import { spawnSync } from "node:child_process";

const CHECKER = `
import ast, json, sys, warnings
warnings.simplefilter("ignore")
out = []
for text in json.load(sys.stdin):
    try:
        ast.parse(text)
        out.append(None)
    except (SyntaxError, ValueError) as e:
        out.append([getattr(e, "lineno", None) or 1, getattr(e, "msg", None) or str(e)])
json.dump(out, sys.stdout)
`;

export type CPythonVerdict = { line: number; message: string } | null;

/** For each program, null when CPython parses it, else where and why it does not;
 * undefined when no python3 could be run. */
export function cpythonVerdicts(programs: string[]): CPythonVerdict[] | undefined {
  if (!programs.length) return [];
  const python = process.env.MPISTEP_MIGRATE_PYTHON ?? "python3";
  const result = spawnSync(python, ["-c", CHECKER], {
    input: JSON.stringify(programs),
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (result.error || result.status !== 0) return undefined;
  return (JSON.parse(result.stdout) as Array<[number, string] | null>).map((v) =>
    v ? { line: v[0], message: v[1] } : null,
  );
}
