// Runs python/verify_v2.py (the same script `convert --verify` runs) with Debian's python3
// and its real azure-ai-ml, plus the pydash stand-in on PYTHONPATH, over a batch of files.

import { spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "../helpers.js";

/** Debian's own interpreter: the one python3-azure installs azure-ai-ml for. */
export const SDK_PYTHON = process.env.MPISTEP_TEST_SDK_PYTHON ?? "/usr/bin/python3";
export const SDK_PATH = path.join(ROOT, "test", "sdk");
const VERIFY = path.join(ROOT, "python", "verify_v2.py");

export interface StepView {
  key?: string;
  display_name?: string;
  command: string;
  instance_count: number | string | null;
  process_count: number | string | null;
  distribution_type: string | null;
  environment_variables: Record<string, string>;
  inputs: Record<string, RestIo>;
  outputs: Record<string, RestIo>;
  compute: string | null;
  code: string | null;
  environment: { reference?: string; image?: string; conda_file?: any };
  is_deterministic: boolean | null;
  pipeline_inputs?: Record<string, RestIo>;
}

export interface RestIo {
  type: string | null;
  uri: string | null;
  mode: string | null;
  value: string | null;
}

export type Verdict =
  | { path: string; ok: true; jobs: Array<{ name: string; steps: StepView[] }> }
  | { path: string; ok: false; stage: string; message: string; fields: string[] };

export function judge(files: string[]): Verdict[] {
  const result = spawnSync(SDK_PYTHON, [VERIFY], {
    input: JSON.stringify(files),
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { ...process.env, PYTHONPATH: SDK_PATH },
  });
  if (result.status !== 0)
    throw new Error(
      `the real azure-ai-ml did not run (${result.status}): ${result.stdout} ${result.stderr}`,
    );
  return JSON.parse(result.stdout).results;
}
