// Options a target has no field for (a standalone job's reuse, an anonymous component's
// version): each is listed among the step's dropped options and said as a finding
// (MPI025) where the option is written, so the text report, which shows findings only,
// names it too.

import { diagnostic } from "../../codes/index.js";
import type { StepDefinition } from "../../ir/types.js";
import type { StepConversion } from "../types.js";

export function dropOption(
  conversion: StepConversion,
  step: StepDefinition,
  option: string,
  reason: string,
): void {
  conversion.dropped.push({ option, reason });
  conversion.diagnostics.push(
    diagnostic("MPI025", `${option} is dropped: ${reason}`, step.args.get(option)?.span ?? step),
  );
}
