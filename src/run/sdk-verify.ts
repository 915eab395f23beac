// `convert --verify`: the user's own Python and azure-ai-ml load, validate and serialise
// every v2 job document and module the run wrote, in one process (importing azure.ai.ml
// takes seconds), with python/verify_v2.py. Only the tool's own outputs are run; nothing
// is submitted and no credentials are needed. The checker runs as a script, so the
// working folder is not on its import path (python/verify_v2.py).

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { userPython } from "../stages/cpython.js";

/** The checker, shipped beside the code: `<package>/python/verify_v2.py`. Every built
 * layout (src/engine, dist/engine, dist/bundle) sits two folders below the package. */
const VERIFY_SCRIPT = fileURLToPath(new URL("../../python/verify_v2.py", import.meta.url));

/** The installed azure-ai-ml version, or why it cannot be used: the import's own error,
 * and whether azure-ai-ml itself is missing (rather than installed but failing). */
export function sdkVersion(): { version: string } | { error: string; missing: boolean } {
  const python = userPython();
  const result = spawnSync(python, [VERIFY_SCRIPT, "--version"], { encoding: "utf8" });
  if (result.error)
    return { error: `cannot run ${python}: ${result.error.message}`, missing: true };
  let answer: { sdk_version?: string; error?: string; missing?: boolean } = {};
  try {
    answer = JSON.parse(result.stdout);
  } catch {
    // Not the checker's answer: the interpreter itself failed.
  }
  if (answer.sdk_version) return { version: answer.sdk_version };
  const lines = result.stderr.trim().split("\n");
  return {
    error: `${python} cannot import azure.ai.ml (${answer.error ?? lines[lines.length - 1]})`,
    missing: answer.missing ?? false,
  };
}

export interface SdkRejection {
  /** Where it failed: load, validate or serialise. */
  stage: string;
  /** The SDK's first complaint, on one line. */
  message: string;
  /** The fields it names (their paths in the document). */
  fields: string[];
}

/** For each file the SDK rejects, where (load, validate, serialise) and its message; or
 * the signal that stopped the checker (Ctrl-C reaches it and the tool alike). */
export function sdkRejections(
  files: string[],
): Map<string, SdkRejection> | { stoppedBy: NodeJS.Signals } {
  const rejected = new Map<string, SdkRejection>();
  if (!files.length) return rejected;
  const result = spawnSync(userPython(), [VERIFY_SCRIPT], {
    input: JSON.stringify(files),
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (result.signal) return { stoppedBy: result.signal };
  if (result.error || result.status !== 0)
    throw new Error(
      `azure-ai-ml could not check the outputs: ${result.error?.message ?? result.stdout + result.stderr}`,
    );
  const verdicts: Array<{ path: string; ok: boolean } & Partial<SdkRejection>> = JSON.parse(
    result.stdout,
  ).results;
  for (const verdict of verdicts)
    if (!verdict.ok)
      rejected.set(verdict.path, {
        stage: verdict.stage!,
        message: verdict.message!,
        fields: verdict.fields ?? [],
      });
  return rejected;
}
