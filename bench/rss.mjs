// Runs the CLI in this process and prints its peak resident memory (all threads) to
// stderr on exit: `node bench/rss.mjs dist/cli.js check ...`.
import path from "node:path";
import { pathToFileURL } from "node:url";

process.on("exit", () => process.stderr.write(`maxrss_kb=${process.resourceUsage().maxRSS}\n`));
const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], path.resolve(script), ...args];
await import(pathToFileURL(path.resolve(script)).href);
