// What a notebook's cells put on disk once they have run, for the checks that look for a
// step's files (MPI009, MPI010): the files its `%%writefile` cells write, and the
// repository files its `shutil.copy`/`copy2`/`copyfile`/`copytree` calls copy (a copy
// counts only when what it copies is in the repository).

import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { FileCopy } from "../frontends/python/index.js";

export interface NotebookDisk {
  /** The files `%%writefile` cells write (absolute paths). */
  written: ReadonlySet<string>;
  isFile(p: string): boolean;
  isDirectory(p: string): boolean;
}

const isFileOnDisk = (p: string) => existsSync(p) && statSync(p).isFile();
const isDirectoryOnDisk = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** `p` is `folder` or inside it: the path inside it ("" for the folder itself). */
function inside(folder: string, p: string): string | undefined {
  const relative = path.relative(folder, p);
  return relative.startsWith("..") || path.isAbsolute(relative) ? undefined : relative;
}

export function notebookDisk(
  baseDir: string,
  writtenFiles: readonly string[],
  copies: readonly FileCopy[],
): NotebookDisk {
  const written = new Set(writtenFiles.map((file) => path.resolve(baseDir, file)));
  const resolved = copies.map((copy) => ({
    ...copy,
    from: path.resolve(baseDir, copy.from),
    to: path.resolve(baseDir, copy.to),
  }));
  // Where each copied file lands: `copy` to a file, or into a folder of that name.
  const landings = resolved.flatMap((copy) => {
    if (copy.kind === "tree" || !isFileOnDisk(copy.from)) return [];
    return copy.kind === "file"
      ? [copy.to]
      : [copy.to, path.join(copy.to, path.basename(copy.from))];
  });
  const copiedTree = (p: string, onDisk: (q: string) => boolean) =>
    resolved.some((copy) => {
      const relative = copy.kind === "tree" ? inside(copy.to, p) : undefined;
      return relative !== undefined && onDisk(path.join(copy.from, relative));
    });
  const landed = [...written, ...landings];
  return {
    written,
    isFile: (p) => landed.includes(p) || isFileOnDisk(p) || copiedTree(p, isFileOnDisk),
    // A folder a file lands in exists once the cells have run.
    isDirectory: (p) =>
      landed.some((file) => inside(p, file)) ||
      isDirectoryOnDisk(p) ||
      copiedTree(p, isDirectoryOnDisk),
  };
}
