// The command-line program: parses options, runs check / convert / explain, prints
// documents, diffs and reports, and maps outcomes to exit codes (0 clean, 1 MpiStep
// found or manual work left, 2 usage, input or write errors, 128 + the signal's number
// when interrupted). User mistakes never show a stack trace; a closed pipe ends the run
// quietly, with the exit code its findings call for.

import type { SuppliedValue } from "./stages/supplied.js";
import { existsSync, readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { TARGET_NAMES } from "./backends/registry.js";
import type { TargetName } from "./backends/registry.js";
import { run } from "./run/run.js";
import { isInputOfRun } from "./stages/process.js";
import type { FileOutcome, RunOptions } from "./stages/outcome.js";
import { toolVersion } from "./version.js";
import { describeFsError } from "./io/errors.js";
import type { KeyMap } from "./frontends/json/key-map.js";
import { InputError } from "./diagnostics/model.js";
import { FORMATS } from "./report/index.js";
import { escapeControls, formatText } from "./report/text.js";
import { writeFileSync } from "node:fs";
import { availableParallelism, constants as osConstants } from "node:os";
import path from "node:path";
import { progressBar } from "./report/progress.js";
import { errIsTerminal, writeErr, writeOut } from "./io/output.js";

// The entry (cli.ts) starts the parser early through this.
export { prepareParser } from "./frontends/registry.js";

class UsageError extends Error {}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number >= 1");
  return n;
}

function pythonVersion(value: string): string {
  if (!/^3\.\d+(\.\d+)?$/.test(value))
    throw new InvalidArgumentError("must be a Python 3 version such as 3.8 or 3.8.13");
  return value;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function readKeyMap(file: string | undefined): Promise<KeyMap | undefined> {
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`--key-map ${file}: ${describeFsError(error)}`);
  }
  try {
    return (await import("./frontends/json/key-map.js")).parseKeyMap(text);
  } catch (error) {
    throw new UsageError(`--key-map ${file}: ${(error as Error).message}`);
  }
}

interface CommonFlags {
  format: string;
  report?: string;
  jobs: number;
  exclude: string[];
  keyMap?: string;
  quiet?: boolean;
  defaultImages: "latest" | "legacy";
  pythonVersion?: string;
  maxFileSize: number;
  typedJsonOnly?: boolean;
  stdinFilename?: string;
  exitZero?: boolean;
  set: string[];
}

function commonOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--format <format>", "report format")
        .choices(Object.keys(FORMATS))
        .default("text"),
    )
    .option(
      "--report <file>",
      "write the report in --format to FILE; the terminal shows the text summary",
    )
    .option("--jobs <n>", "files processed at once", positiveInt, availableParallelism())
    .option(
      "--exclude <glob>",
      "skip paths matching GLOB (gitignore syntax; repeatable)",
      collect,
      [],
    )
    .option("--key-map <file>", "JSON object mapping project key names to MpiStep parameter names")
    .option(
      "--set <[step:]param=value>",
      "supply an MpiStep parameter the source lacks or cannot evaluate, for every step or the step named (VALUE: JSON, else a string; repeatable)",
      collect,
      [],
    )
    .addOption(
      new Option(
        "--default-images <set>",
        "SDK default images MpiStep used when no image was given",
      )
        .choices(["latest", "legacy"])
        .default("latest"),
    )
    .option(
      "--python-version <version>",
      "the Python v2 conda files pin (default: the SDK default of --default-images: 3.8.13 latest, 3.6.2 legacy)",
      pythonVersion,
    )
    .option("--max-file-size <mib>", "skip files larger than this many MiB", positiveInt, 10)
    .option(
      "--typed-json-only",
      "read a named JSON file only for entries typed MpiStep (for hooks)",
    )
    .option(
      "--stdin-filename <name>",
      "what standard input ('-') is, as a file name (its extension picks the reader); default: by content",
    )
    .option(
      "--exit-zero",
      "exit 0 even when steps are found or need manual work (errors still exit 2)",
    )
    .option("-q, --quiet", "no progress bar");
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function printOutcome(outcome: FileOutcome) {
  if (outcome.rewrite) {
    const { createTwoFilesPatch } = await import("diff");
    // As git names files in a patch: from the working directory, without a leading "/".
    const relative = path.relative(process.cwd(), path.resolve(outcome.record.path));
    const name = escapeControls(
      relative.startsWith("..") || path.isAbsolute(relative)
        ? path.resolve(outcome.record.path).replace(/^\/+/, "")
        : relative,
    );
    writeOut(
      createTwoFilesPatch(
        `a/${name}`,
        `b/${name}`,
        outcome.rewrite.before,
        outcome.rewrite.after,
        "",
        "",
      ),
    );
    return;
  }
  for (const write of outcome.writes) {
    writeOut(
      `# ---- ${escapeControls(path.relative(process.cwd(), write.path) || write.path)}\n${write.bytes.toString("utf8")}`,
    );
  }
}

async function runCommand(
  command: "check" | "convert",
  paths: string[],
  flags: CommonFlags & {
    target?: TargetName;
    write?: boolean;
    outDir?: string;
    verify?: boolean;
    exitNonZeroOnWrite?: boolean;
    force?: boolean;
    fullParse?: boolean;
  },
) {
  if (flags.write && flags.outDir)
    throw new UsageError("--write and --out-dir cannot be used together");
  if (flags.report && !existsSync(path.dirname(path.resolve(flags.report))))
    throw new UsageError(
      `--report ${flags.report}: the folder ${path.dirname(path.resolve(flags.report))} does not exist`,
    );
  if (flags.verify && !flags.write && !flags.outDir)
    throw new UsageError("--verify checks the files convert writes: add --write or --out-dir");
  const loadPrinter = FORMATS[flags.format];
  if (!loadPrinter) throw new UsageError(`--format ${flags.format} is not available yet`);
  const stdin = paths.includes("-");
  const reportToStdout = command === "check" || (flags.format !== "text" && !flags.report);
  const showChanges = command === "convert" && !flags.write && !flags.outDir && !reportToStdout;
  const progress = flags.quiet || !errIsTerminal() ? undefined : progressBar(process.stderr);
  const keyMap = await readKeyMap(flags.keyMap);
  if (flags.report && isInputOfRun(flags.report, paths, keyMap))
    throw new UsageError(
      `--report ${flags.report} is an input of this run; name a file the run does not read`,
    );
  const supplied = await suppliedValues(flags.set);
  const options: RunOptions = {
    command,
    paths: paths.filter((p) => p !== "-"),
    excludes: flags.exclude,
    target: flags.target,
    keyMap,
    ...(supplied.length ? { supplied } : {}),
    defaultImages: flags.defaultImages,
    pythonVersion: flags.pythonVersion,
    maxBytes: flags.maxFileSize * 1024 * 1024,
    typedJsonOnly: flags.typedJsonOnly,
    fullParse: flags.fullParse,
    write: !!flags.write,
    outputRoot: flags.outDir && path.resolve(flags.outDir),
    jobs: flags.jobs,
    ...(flags.verify ? { verifyWith: sdkToVerifyWith } : {}),
    force: flags.force,
    signal: interruption.signal,
    stdinText: stdin ? await readStdin() : undefined,
    stdinFilename: flags.stdinFilename,
    onProgress: progress?.update,
  };
  const { report, outcomes, exitCode, interrupted, written, removed } = await run(options);
  progress?.done();
  if (interrupted) {
    process.exitCode = 128 + (osConstants.signals[interrupted as NodeJS.Signals] ?? 2);
    writeErr(
      `mpistep-migrate: interrupted (${interrupted}); ${written.length} file${written.length === 1 ? "" : "s"} written${written.length ? ":" : ""}\n${written.map((file) => `  ${escapeControls(file)}\n`).join("")}`,
    );
    return;
  }
  // Set before anything is printed: a reader that closes the pipe early ends the run with
  // the code its findings call for (io/output.ts).
  const wrote = flags.exitNonZeroOnWrite && written.length + removed.length > 0 && exitCode === 0;
  process.exitCode = wrote ? 1 : flags.exitZero && exitCode === 1 ? 0 : exitCode;
  if (showChanges) for (const outcome of outcomes) await printOutcome(outcome);
  // Standard input with --write: the rewritten text, or the generated documents, are the
  // output; no file is written.
  if (stdin && flags.write)
    for (const outcome of outcomes)
      if (outcome.rewrite) writeOut(outcome.rewrite.after);
      else await printOutcome(outcome);
  const formatted = (await loadPrinter())(report);
  if (flags.report) writeFileSync(flags.report, formatted);
  if (reportToStdout && !flags.report) writeOut(formatted);
  else writeErr(formatText(report));
}

/** The --set arguments read; a usage error for one that cannot be. */
async function suppliedValues(args: string[]): Promise<SuppliedValue[]> {
  if (!args.length) return [];
  const { parseSupplied } = await import("./stages/supplied.js");
  return args.map((arg) => {
    const parsed = parseSupplied(arg);
    if (typeof parsed === "string") throw new UsageError(parsed);
    return parsed;
  });
}

/** SIGINT, SIGTERM and SIGHUP stop the run between files: the file in flight is finished
 * or abandoned (writes are atomic), and what was written is listed (exit 128 + the
 * signal's number: 130 for Ctrl-C). */
const interruption = new AbortController();
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** The installed azure-ai-ml version `--verify` runs with (asked only by a run that
 * writes v2 outputs); a usage error without it. */
async function sdkToVerifyWith(): Promise<string> {
  const sdk = (await import("./run/sdk-verify.js")).sdkVersion();
  if ("error" in sdk)
    throw new UsageError(
      sdk.missing
        ? `--verify needs the Azure ML SDK v2: ${sdk.error}. Install it with 'pip install azure-ai-ml' (on Debian: apt-get install python3-azure), or name the Python that has it in MPISTEP_MIGRATE_PYTHON.`
        : `--verify needs the Azure ML SDK v2, which is installed but fails to import: ${sdk.error}. Mend that install, or name a Python with a working one in MPISTEP_MIGRATE_PYTHON.`,
    );
  return sdk.version;
}

async function explain(code: string | undefined) {
  const { CODES, codeInfo } = await import("./codes/index.js");
  if (!code) {
    for (const info of CODES) writeOut(`${info.code}  ${info.severity.padEnd(7)}  ${info.title}\n`);
    return;
  }
  const info = codeInfo(code);
  if (!info)
    throw new UsageError(`unknown code ${code}; run 'mpistep-migrate explain' for the list`);
  writeOut(`${info.code} (${info.severity}): ${info.title}\n\n${info.explanation}\n`);
}

function buildProgram(): Command {
  const program = new Command("mpistep-migrate")
    .description(
      "Find Azure ML SDK v1 MpiStep steps and migrate them to CommandStep or v2 command jobs",
    )
    .version(toolVersion())
    .exitOverride()
    .configureOutput({ writeOut, writeErr });

  commonOptions(
    program
      .command("convert")
      .description(
        "convert MpiStep steps; without --write or --out-dir, print the result and change nothing",
      )
      .argument("[paths...]", "files or folders ('-' reads standard input)")
      .addOption(
        new Option(
          "--target <target>",
          "output kind (default: commandstep for .py/.ipynb, job-yaml for .json)",
        ).choices(TARGET_NAMES),
      )
      .option("--write", "rewrite files in place / write generated files next to their inputs")
      .option(
        "--out-dir <dir>",
        "write converted and generated files under DIR, mirroring the input layout",
      )
      .option(
        "--force",
        "replace generated files even when they were edited since the tool wrote them",
      )
      .option(
        "--exit-non-zero-on-write",
        "exit 1 when a file was written, even if nothing is left to do (the pre-commit hook: it must fail on new files too, which pre-commit does not see)",
      )
      .option(
        "--verify",
        "load every v2 output written with the installed azure-ai-ml (MPISTEP_MIGRATE_PYTHON, else python3) and report what it rejects",
      ),
  ).action((paths: string[], flags) => runCommand("convert", paths, flags));

  commonOptions(
    program
      .command("check")
      .description("list every MpiStep with its diagnostics; never writes")
      .argument("[paths...]", "files or folders ('-' reads standard input)")
      .option(
        "--full-parse",
        "parse every function and class body too (by default check leaves out the top-level definitions that cannot hold or feed an MpiStep, so a syntax error inside them goes unreported; convert always parses everything)",
      ),
  ).action((paths: string[], flags) => runCommand("check", paths, flags));

  program
    .command("explain")
    .description("explain a diagnostic code (no code: list them all)")
    .argument("[code]", "a code such as MPI011")
    .action((code?: string) => explain(code));
  return program;
}

export async function main(argv: string[]): Promise<void> {
  for (const signal of STOP_SIGNALS) process.once(signal, () => interruption.abort(signal));
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
    } else if (error instanceof UsageError || error instanceof InputError) {
      writeErr(`mpistep-migrate: ${escapeControls(error.message)}\n`);
      process.exitCode = 2;
    } else {
      writeErr(`mpistep-migrate: internal error: ${(error as Error).message}\n`);
      if (process.env.MPISTEP_MIGRATE_DEBUG) writeErr(`${(error as Error).stack}\n`);
      process.exitCode = 2;
    }
  }
}
