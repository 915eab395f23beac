// Safe writes. A file is replaced by renaming a temporary file in the same folder over
// it, keeping its mode and, where permitted, its owner. What is refused, with a message:
// a path that leads outside the folder writes must stay in (judged on real paths, so a
// symbolic link on the way cannot lead out), a symbolic link, a file with several hard
// links (replacing it would split them), a read-only file, a file that changed or
// vanished since it was read (never recreated). The temporary name is fixed per file and
// created exclusively, so two runs never replace the same file at once; it stays within
// the file-name limit whatever the file's name.

import { createHash } from "node:crypto";
import { promises as fs, type Stats } from "node:fs";
import path from "node:path";

/** The file is not what was read: changed, replaced or gone. */
export class ChangedOnDiskError extends Error {}

/** The write would break something (leave its folder, split hard links, ...). */
export class RefusedWriteError extends Error {}

/** The longest a temporary name's copy of the file name may be, in UTF-8 bytes. */
const NAME_PART_BYTES = 200;

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/** `.NAME.HASH.mpistep.tmp` beside the target: the same for every run that writes this
 * file (so it works as a lock), NAME cut to fit the file-name limit. */
export function temporaryName(target: string): string {
  const name = path.basename(target);
  let kept = "";
  let bytes = 0;
  for (const ch of name) {
    bytes += Buffer.byteLength(ch);
    if (bytes > NAME_PART_BYTES) break;
    kept += ch;
  }
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return path.join(path.dirname(target), `.${kept}.${hash}.mpistep.tmp`);
}

/** Whether `target` lies inside `root` (both absolute and resolved). */
function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** The real path of folder `dir`, made where missing, after checking on real paths that
 * it lies inside `root`: no symbolic link on the way leads out. */
async function folderInside(root: string, dir: string): Promise<string> {
  await fs.mkdir(root, { recursive: true });
  const realRoot = await fs.realpath(root);
  const missing: string[] = [];
  let existing = path.resolve(dir);
  for (;;) {
    try {
      await fs.lstat(existing);
      break;
    } catch (error) {
      if (errnoOf(error) !== "ENOENT") throw error;
      missing.unshift(path.basename(existing));
      existing = path.dirname(existing);
    }
  }
  const outside = (real: string) =>
    new RefusedWriteError(
      `${dir} leads outside ${root} (to ${real}, through a symbolic link); not written`,
    );
  let real = await fs.realpath(existing);
  if (!isInside(realRoot, real)) throw outside(real);
  for (const part of missing) {
    const next = path.join(real, part);
    await fs.mkdir(next).catch((error) => {
      if (errnoOf(error) !== "EEXIST") throw error;
    });
    real = await fs.realpath(next);
    if (!isInside(realRoot, real)) throw outside(real);
  }
  return real;
}

/** The target as it is now (undefined: there is none), or why it must not be replaced. */
async function replaceable(target: string): Promise<Stats | undefined> {
  let stat: Stats;
  try {
    stat = await fs.lstat(target);
  } catch (error) {
    if (errnoOf(error) === "ENOENT") return undefined;
    throw error;
  }
  if (stat.isSymbolicLink())
    throw new RefusedWriteError(
      `${target} is a symbolic link; not replaced (name the file it points to)`,
    );
  if (!stat.isFile()) throw new RefusedWriteError(`${target} is not a regular file; not written`);
  if (stat.nlink > 1)
    throw new RefusedWriteError(
      `${target} has ${stat.nlink} hard links, which replacing it would split; not written`,
    );
  if ((stat.mode & 0o222) === 0) throw new RefusedWriteError(`${target} is read-only; not written`);
  return stat;
}

/** The same file as `before` (undefined: no file), holding `expected` when given. */
async function unchanged(target: string, before: Stats | undefined, expected?: Buffer) {
  let now: Stats | undefined;
  try {
    now = await fs.lstat(target);
  } catch (error) {
    if (errnoOf(error) !== "ENOENT") throw error;
  }
  if (!now || !before) return !now && !before;
  return (
    now.ino === before.ino &&
    now.dev === before.dev &&
    (!expected || (await fs.readFile(target)).equals(expected))
  );
}

/**
 * Replaces `target` with `bytes`. With `expectedOriginal` (an in-place rewrite), the file
 * must still hold exactly what was read, and must still exist. With `root`, the file must
 * lie inside it on real paths; its folders are made as needed.
 */
export async function writeAtomic(
  target: string,
  bytes: Buffer,
  expectedOriginal?: Buffer,
  root?: string,
): Promise<void> {
  const dir = root
    ? await folderInside(root, path.dirname(target))
    : (await fs.mkdir(path.dirname(target), { recursive: true }), path.dirname(target));
  const file = path.join(dir, path.basename(target));
  const before = await replaceable(file);
  if (expectedOriginal && !before)
    throw new ChangedOnDiskError(`${target} vanished since it was read; not recreated`);
  const temp = temporaryName(file);
  const mode = before ? before.mode & 0o7777 : 0o644;
  let handle;
  try {
    handle = await fs.open(temp, "wx", mode);
  } catch (error) {
    if (errnoOf(error) !== "EEXIST") throw error;
    throw new RefusedWriteError(
      `${temp} exists: another run is writing ${target}, or one was killed while it did; remove it and run again`,
    );
  }
  try {
    try {
      await handle.writeFile(bytes);
      await handle.chmod(mode);
      if (before)
        await handle.chown(before.uid, before.gid).catch((error) => {
          if (errnoOf(error) !== "EPERM") throw error; // only the owner may be kept
        });
    } finally {
      await handle.close();
    }
    // Checked with the temporary name held: no other run of the tool can replace the
    // file between this check and the rename.
    if (!(await unchanged(file, before, expectedOriginal)))
      throw new ChangedOnDiskError(`${target} changed on disk since it was read; not written`);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}
