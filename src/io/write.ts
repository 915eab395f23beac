// Safe writes: a temporary file in the same folder renamed over the target, with the
// original's mode kept, and no write when the file changed on disk since it was read.

import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";

export class ChangedOnDiskError extends Error {}

export async function writeAtomic(
  target: string,
  bytes: Buffer,
  expectedOriginal?: Buffer,
): Promise<void> {
  let mode: number | undefined;
  try {
    const stat = await fs.stat(target);
    mode = stat.mode & 0o7777;
    if (expectedOriginal && !(await fs.readFile(target)).equals(expectedOriginal))
      throw new ChangedOnDiskError(`${target} changed on disk since it was read; not written`);
  } catch (error) {
    if (error instanceof ChangedOnDiskError || (error as NodeJS.ErrnoException).code !== "ENOENT")
      throw error;
  }
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    await fs.writeFile(temp, bytes, { mode: mode ?? 0o644, flag: "wx" });
    if (mode !== undefined) await fs.chmod(temp, mode);
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/** Whether `target` lies inside `root` (after resolving `..`). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(target));
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}
