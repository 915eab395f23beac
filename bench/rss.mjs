// Runs the CLI in this process and prints its peak resident memory (all threads) to
// stderr on exit: `node bench/rss.mjs dist/bundle/cli.cjs check ...`. The CLI is
// required, as when it runs as a command (an ES import of a CommonJS file would first
// scan its source for export names).
import { createRequire } from "node:module";
import path from "node:path";

process.on("exit", () => process.stderr.write(`maxrss_kb=${process.resourceUsage().maxRSS}\n`));
const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], path.resolve(script), ...args];
createRequire(import.meta.url)(path.resolve(script));
