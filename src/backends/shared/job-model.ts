// The target-neutral model of one v2 command job (or pipeline node) built from a step:
// what command-job.ts and job-environment.ts fill in and the v2 backends render.

import type { Diagnostic } from "../../diagnostics/model.js";
import type { PyNumber } from "../../ir/numbers.js";
import type { DataValue, Scalar } from "../../ir/types.js";

export type LiteralInputType = "integer" | "number" | "string" | "boolean";

export type InputSpec =
  | { kind: "literal"; type: LiteralInputType; value?: Scalar; parameter?: string }
  | {
      kind: "data";
      type: "uri_folder" | "uri_file" | "mltable";
      path?: string;
      mode?: "ro_mount" | "download" | "direct";
      data: DataValue;
    };

export interface OutputSpec {
  type: "uri_folder";
  mode?: "rw_mount" | "upload";
  path?: string;
  data: DataValue;
}

export interface Count {
  value: PyNumber;
  /** The pipeline parameter the count came from, if any. */
  parameter?: string;
}

export type JobEnvironment =
  | { kind: "reference"; uri: string }
  | { kind: "inline"; image: string; conda?: CondaFile }
  | { kind: "unknown" };

export interface CondaFile {
  channels: string[];
  dependencies: Array<string | { pip: string[] }>;
  /** A conda file of the repository, written as it is. */
  text?: string;
}

export interface CommandJob {
  displayName?: string;
  code?: string;
  command: string;
  compute?: string;
  /** How the job's processes are launched: MPI (MpiStep, or a CommandStep with an
   * MpiConfiguration), PyTorch (PyTorchConfiguration); none for one plain process. */
  distribution?: "mpi" | "pytorch";
  instanceCount?: Count;
  processCount?: Count;
  inputs: Map<string, InputSpec>;
  outputs: Map<string, OutputSpec>;
  environmentVariables: Map<string, string>;
  /** Variables whose value is a pipeline parameter's (AML_PARAMETER_ of a parameter in
   * the arguments, or a param that is one), with the parameter and its default. */
  parameterVariables: Map<string, { parameter: string; value: Scalar }>;
  environment: JobEnvironment;
  isDeterministic: boolean;
  version?: string;
  /** What the job cannot carry over (with TODO places) and facts worth a report line
   * that need no action (renames, assumed images). */
  diagnostics: Diagnostic[];
}
