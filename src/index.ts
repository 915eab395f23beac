// The library entry: run the tool from code, or use its stages on their own.

export { run, type RunResult } from "./run/run.js";
export { processFile } from "./stages/process.js";
export type { FileInput, FileOutcome, ProcessOptions, RunOptions } from "./stages/outcome.js";
export { parseJsonSteps } from "./frontends/json/index.js";
export { parsePythonSteps } from "./frontends/python/index.js";
export { parseNotebookSteps } from "./frontends/notebook/index.js";
export { validateStep } from "./validate/rules.js";
export { CODES, codeInfo } from "./codes/index.js";
export type { Diagnostic } from "./diagnostics/model.js";
export { PARAMETERS } from "./ir/parameters.js";
export type * from "./ir/types.js";
export type { Report, FileRecord, StepRecord } from "./report/model.js";
