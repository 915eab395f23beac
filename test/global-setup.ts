// The whole test run gets a scratch folder of its own as TMPDIR, inherited by every test
// worker and every process a test starts (the CLI, CPython, sh, pre-commit): what a test
// or a tool under test leaves in the temporary folder is removed when the run ends, so
// a run leaves nothing behind in the TMPDIR it was given.

import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export function setup(): () => void {
  const outer = tmpdir();
  const own = mkdtempSync(path.join(outer, "mpistep-tests-"));
  // Open to other users, like a temporary folder: some tests run the tool as nobody.
  chmodSync(own, 0o755);
  process.env.TMPDIR = own;
  return () => {
    process.env.TMPDIR = outer;
    rmSync(own, { recursive: true, force: true });
  };
}
