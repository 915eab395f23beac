// Paths inside generated documents: POSIX separators, relative to the document.

import path from "node:path";

function relativePosix(fromDir: string, to: string): string {
  const rel = path.relative(fromDir, to).split(path.sep).join("/");
  return rel === "" ? "." : rel.startsWith(".") ? rel : `./${rel}`;
}

/** `code` of a generated document: the step's source_directory (read against the input
 * file's folder) seen from the folder the document is written to. */
export function codePath(
  sourceFile: string,
  sourceDirectory: string | undefined,
  documentDir: string,
): string | undefined {
  if (sourceDirectory === undefined) return undefined;
  return relativePosix(documentDir, path.resolve(path.dirname(sourceFile), sourceDirectory));
}
