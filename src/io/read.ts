// Reads an input file in one go with a size limit, synchronously and into one reused
// buffer: for tens of thousands of small files, a few direct system calls and no
// per-file allocation beat queuing reads on the thread pool. Failures become InputErrors
// that name the problem (never a stack trace).

import { closeSync, openSync, readSync, statSync } from "node:fs";
import { InputError, SkippedInput } from "../diagnostics/model.js";
import { describeFsError } from "./errors.js";

let scratch = Buffer.allocUnsafe(1 << 20);

function readError(error: unknown): InputError {
  return new InputError("MPI031", `cannot read: ${describeFsError(error)}`);
}

/** The file's bytes, as a view into a buffer the next call reuses: copy what you keep.
 * `knownRegular`: the caller saw a regular file (a folder walk); otherwise it is checked
 * first, since opening a FIFO would block. */
export function readLimited(file: string, maxBytes: number, knownRegular = false): Buffer {
  let fd: number;
  try {
    if (!knownRegular && !statSync(file).isFile())
      throw new InputError("MPI031", "not a regular file");
    fd = openSync(file, "r");
  } catch (error) {
    throw error instanceof InputError ? error : readError(error);
  }
  try {
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        if (length > maxBytes)
          throw new SkippedInput(
            `file is larger than the ${Math.round(maxBytes / 1048576)} MiB limit; skipped`,
          );
        const bigger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(bigger, 0, 0, length);
        scratch = bigger;
      }
      const wanted = scratch.length - length;
      const n = readSync(fd, scratch, length, wanted, null);
      length += n;
      // A regular file gives less than asked only at its end: no read to learn that.
      if (n === 0 || (knownRegular && n < wanted)) break;
    }
    if (length > maxBytes)
      throw new SkippedInput(
        `file is larger than the ${Math.round(maxBytes / 1048576)} MiB limit; skipped`,
      );
    return scratch.subarray(0, length);
  } catch (error) {
    throw error instanceof InputError ? error : readError(error);
  } finally {
    closeSync(fd);
  }
}
