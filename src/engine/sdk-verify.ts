// `convert --verify`: the user's own Python and azure-ai-ml load, validate and serialise
// every v2 job document and module the run wrote, in one process (importing azure.ai.ml
// takes seconds), with python/verify_v2.py. Only the tool's own outputs are run; nothing
// is submitted and no credentials are needed.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { userPython } from "./cpython.js";

/** The checker, shipped beside the code: `<package>/python/verify_v2.py`. Every built
 * layout (src/engine, dist/engine, dist/bundle) sits two folders below the package. */
const VERIFY_SCRIPT = fileURLToPath(new URL("../../python/verify_v2.py", import.meta.url));

/** The installed azure-ai-ml version, or why it cannot be used. */
export function sdkVersion(): { version: string } | { error: string } {
  const python = userPython();
  const result = spawnSync(python, ["-c", "import azure.ai.ml; print(azure.ai.ml.__version__)"], {
    encoding: "utf8",
  });
  if (result.error) return { error: `cannot run ${python}: ${result.error.message}` };
  if (result.status !== 0) {
    const lines = result.stderr.trim().split("\n");
    return { error: `${python} cannot import azure.ai.ml (${lines[lines.length - 1]})` };
  }
  return { version: result.stdout.trim() };
}

export interface SdkRejection {
  stage: string;
  message: string;
}

/** For each file the SDK rejects, where (load, validate, serialise) and its message. */
export function sdkRejections(files: string[]): Map<string, SdkRejection> {
  const rejected = new Map<string, SdkRejection>();
  if (!files.length) return rejected;
  const result = spawnSync(userPython(), [VERIFY_SCRIPT], {
    input: JSON.stringify(files),
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (result.error || result.status !== 0)
    throw new Error(
      `azure-ai-ml could not check the outputs: ${result.error?.message ?? result.stdout + result.stderr}`,
    );
  const verdicts: Array<{ path: string; ok: boolean; stage?: string; message?: string }> =
    JSON.parse(result.stdout).results;
  for (const verdict of verdicts)
    if (!verdict.ok)
      rejected.set(verdict.path, { stage: verdict.stage!, message: verdict.message! });
  return rejected;
}
