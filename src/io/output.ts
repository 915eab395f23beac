// The command's output. Text for a pipe or a file is written to the file descriptor
// directly: Node's process.stdout and process.stderr are, for a pipe (a pre-commit hook,
// CI), streams whose set-up and tear-down cost a short run about 5 ms (bench/run.mjs).
// A terminal (any character device) still goes through Node's stream, which knows
// consoles. Either way a closed pipe (`mpistep-migrate explain | head -1`) ends the run
// quietly, and a pipe that cannot take more yet (one left non-blocking by whoever made
// it) is waited for, as the streams do.

import { fstatSync, writeSync } from "node:fs";

type Fd = 1 | 2;

const stream = (fd: Fd) => (fd === 1 ? process.stdout : process.stderr);

/** A closed pipe: the reader has all it wanted. */
const endQuietly = () => process.exit(process.exitCode ?? 0);

/** Per file descriptor: whether it is written through Node's stream. */
const throughStream = new Map<Fd, boolean>();

function usesStream(fd: Fd): boolean {
  let uses = throughStream.get(fd);
  if (uses === undefined) {
    try {
      uses = fstatSync(fd).isCharacterDevice();
    } catch {
      uses = true; // Not open: the stream reports it as before.
    }
    throughStream.set(fd, uses);
    if (uses)
      stream(fd).on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE") throw error;
        endQuietly();
      });
  }
  return uses;
}

/** Sleeps a millisecond (a full non-blocking pipe). */
const pause = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);

function write(fd: Fd, text: string): void {
  if (usesStream(fd)) {
    stream(fd).write(text);
    return;
  }
  const bytes = Buffer.from(text, "utf8");
  for (let offset = 0; offset < bytes.length;) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") pause();
      else if (code === "EPIPE") endQuietly();
      else throw error;
    }
  }
}

export const writeOut = (text: string): void => write(1, text);
export const writeErr = (text: string): void => write(2, text);

/** Whether standard error is a terminal (where a progress bar may show). */
export const errIsTerminal = (): boolean => usesStream(2) && process.stderr.isTTY === true;
