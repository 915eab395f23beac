// A one-line progress indicator on a terminal's stderr; callers skip it when stderr is
// not a TTY or with --quiet.

export function progressBar(stream: NodeJS.WriteStream) {
  let last = 0;
  return {
    update(done: number, found: number) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      stream.write(`\r\x1b[Kscanned ${done} files, ${found} with MpiStep`);
    },
    done() {
      stream.write("\r\x1b[K");
    },
  };
}
