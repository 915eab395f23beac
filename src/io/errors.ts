// File-system failures in plain words, for messages a user reads (never an errno alone).

const PLAIN: Record<string, string> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a folder",
  ENOTDIR: "a part of the path is not a folder",
  ELOOP: "too many levels of symbolic links",
  EMFILE: "too many open files",
  ENOSPC: "no space left on the device",
  EROFS: "read-only file system",
  EEXIST: "already exists",
  EBUSY: "busy",
  ENAMETOOLONG: "name too long",
};

/** What went wrong, in words: `permission denied (EACCES)`. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code && PLAIN[code]) return `${PLAIN[code]} (${code})`;
  return code ?? (error as Error).message;
}
