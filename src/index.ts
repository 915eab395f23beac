// The library entry: run the tool from code, or use its stages on their own.

export { run, type RunOptions, type RunResult } from "./engine/run.js";
export {
  processFile,
  type FileInput,
  type FileOutcome,
  type ProcessOptions,
} from "./engine/process.js";
export { parseJsonSteps } from "./frontends/json/index.js";
export { parsePythonSteps } from "./frontends/python/index.js";
export { parseNotebookSteps } from "./frontends/notebook/index.js";
export { validateStep } from "./validate/rules.js";
export { CODES, codeInfo, type Diagnostic } from "./validate/codes.js";
export { PARAMETERS } from "./ir/parameters.js";
export type * from "./ir/types.js";
export type { Report, FileRecord, StepRecord } from "./report/model.js";
