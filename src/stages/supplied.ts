// `--set [STEP:]PARAM=VALUE`: a step parameter the user supplies where the source lacks it
// or cannot evaluate it (a compute target kept in the project's code, a count computed at
// run time). Read from the command line here; applied to each MpiStep before validation,
// and reported where it was used (MPI047, info) or not needed (MPI047, warning: the
// source gives the parameter).

import { diagnostic } from "../codes/index.js";
import type { Diagnostic } from "../diagnostics/model.js";
import { jsonNumber } from "../ir/numbers.js";
import { isMpiStepParameter } from "../ir/parameters.js";
import { walkValues, type Scalar, type StepDefinition, type Value } from "../ir/types.js";
import { pythonScalar } from "../backends/shared/python-text.js";

export interface SuppliedValue {
  /** Only the step of this name; every MpiStep of the run without it. */
  step?: string;
  name: string;
  value: Value;
  /** As given on the command line. */
  given: string;
}

/** A `--set` argument read; a message for the user when it cannot be. */
export function parseSupplied(argument: string): SuppliedValue | string {
  const equals = argument.indexOf("=");
  if (equals < 1) return `--set ${argument}: expected [STEP:]PARAM=VALUE`;
  const left = argument.slice(0, equals);
  const colon = left.lastIndexOf(":");
  const name = left.slice(colon + 1);
  const step = colon >= 0 ? left.slice(0, colon) : undefined;
  if (!isMpiStepParameter(name)) return `--set ${argument}: '${name}' is not an MpiStep parameter`;
  const value = valueOf(argument.slice(equals + 1));
  if (!value)
    return `--set ${argument}: a value is a JSON scalar, a JSON list of them, or a plain string`;
  return { ...(step ? { step } : {}), name, value, given: argument };
}

/** VALUE as JSON (a number, true/false/null, a "string", a list of those), else as the
 * plain string it is. Written as Python, so the in-place rewrite can carry it. */
function valueOf(text: string): Value | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return literal(text);
  }
  if (Array.isArray(json)) {
    const items = json.map(scalarOf);
    if (items.some((item) => item === undefined)) return undefined;
    const values = (items as Scalar[]).map(literal);
    return { kind: "list", items: values, text: `[${values.map((v) => v.text).join(", ")}]` };
  }
  const scalar = scalarOf(json);
  return scalar === undefined ? undefined : literal(scalar);
}

function scalarOf(json: unknown): Scalar | undefined {
  if (typeof json === "number") return jsonNumber(JSON.stringify(json));
  if (typeof json === "string" || typeof json === "boolean" || json === null) return json;
  return undefined;
}

function literal(value: Scalar): Value {
  return { kind: "literal", value, text: pythonScalar(value) };
}

/** Puts the supplied values into an MpiStep that lacks them or cannot evaluate them;
 * returns what was done, as findings at the step. */
export function applySupplied(step: StepDefinition, supplied: SuppliedValue[]): Diagnostic[] {
  const findings: Diagnostic[] = [];
  for (const { step: only, name, value, given } of supplied) {
    if (only !== undefined && only !== step.label) continue;
    const current = step.args.get(name);
    const evaluable =
      current &&
      !(current.value.kind === "literal" && current.value.value === null) &&
      ![...walkValues(current.value)].some((v) => v.kind === "opaque");
    if (evaluable) {
      findings.push(
        diagnostic(
          "MPI047",
          `--set ${given} is not used: the source gives ${name}`,
          current.span ?? step,
          {
            severity: "warning",
          },
        ),
      );
      continue;
    }
    step.args.set(name, { name, value, via: "set" });
    findings.push(
      diagnostic("MPI047", `${name} is ${value.text}, supplied by --set ${given}`, step),
    );
  }
  return findings;
}
