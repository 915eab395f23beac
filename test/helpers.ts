// Shared test helpers: run the built CLI, turn a v2 command string back into argv with a
// real POSIX shell, validate documents with ajv, make scratch folders.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CLI = path.join(ROOT, "dist", "bundle", "cli.cjs");
export const FIXTURES = path.join(ROOT, "fixtures");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  options: { cwd?: string; input?: string; env?: Record<string, string>; cli?: string } = {},
): CliResult {
  const result = spawnSync(process.execPath, [options.cli ?? CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...options.env },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const scratchFolders: string[] = [];

/** The built CLI started in the background, for tests that act while it runs: its
 * process, and its exit code with everything it printed once it has ended. */
export function startCli(
  args: string[],
  options: { env?: Record<string, string>; detached?: boolean } = {},
): { child: ChildProcess; ended: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    detached: options.detached,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const ended = new Promise<CliResult>((resolve) =>
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
  return { child, ended };
}

/** A scratch folder, optionally holding a copy of a fixtures subfolder; removed after the
 * test file's tests (test/setup.ts). */
export function scratch(copyFrom?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "mpistep-test-"));
  scratchFolders.push(dir);
  if (copyFrom) cpSync(path.join(FIXTURES, copyFrom), dir, { recursive: true });
  return dir;
}

/** Resolves with the name of the first file in `dir` whose name matches `name` and that
 * is created or replaced (renamed over) from now on: an event to wait for instead of a
 * guess at how long something takes. */
export function firstReplaced(dir: string, name: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const watcher = watch(dir, (event, file) => {
      if (event !== "rename" || !file || !name.test(file)) return;
      watcher.close();
      resolve(file);
    });
  });
}

/** Modules that shadow what the tool's Python imports (json, ast, warnings, encodings and
 * the azure package): each appends its name to `marker` when imported. Planted in a
 * folder, they catch any Python that has that folder on its import path. */
export function plantShadowModules(dir: string, marker: string): void {
  const bait = (name: string) =>
    `open(${JSON.stringify(marker)}, "a").write(${JSON.stringify(name)} + "\\n")\n`;
  for (const name of ["json", "ast", "warnings", "encodings"])
    writeFileSync(path.join(dir, `${name}.py`), bait(name));
  mkdirSync(path.join(dir, "azure"), { recursive: true });
  writeFileSync(path.join(dir, "azure", "__init__.py"), bait("azure"));
}

/** Removes every scratch folder made so far. */
export function removeScratchFolders(): void {
  for (const dir of scratchFolders.splice(0))
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** The argv a v2 command line gives through `sh`, after Azure ML replaced each
 * `${{inputs.x}}` / `${{outputs.y}}` binding with a mount path. */
export function argvThroughShell(command: string): string[] {
  const bound = command.replace(/\$\{\{(inputs|outputs)\.([A-Za-z0-9_]+)\}\}/g, "/mnt/$1/$2");
  if (!bound.startsWith("python "))
    throw new Error(`command does not start with python: ${command}`);
  const result = spawnSync("sh", ["-c", `printf '%s\\0' ${bound.slice("python ".length)}`], {
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`sh failed: ${result.stderr}`);
  return result.stdout.split("\0").slice(0, -1);
}

/** Every fixture that holds step definitions (not the scripts the steps run, nor key maps). */
export function stepFixtures(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return /src$|^bert$/.test(name) ? [] : walk(full);
      return /\.(py|ipynb)$/.test(name) ||
        (name.endsWith(".json") && dir.endsWith("json") && !name.startsWith("key-map"))
        ? [full]
        : [];
    });
  return [...walk(path.join(FIXTURES, "python")), ...walk(path.join(FIXTURES, "json"))];
}

const SCHEMAS = path.join(ROOT, "test", "schemas");
const ajv = new Ajv({ allErrors: true, strict: false });
for (const file of readdirSync(SCHEMAS))
  ajv.addSchema(JSON.parse(readFileSync(path.join(SCHEMAS, file), "utf8")));

/** ajv errors for `document` against test/schemas/<name>.schema.json (empty when valid). */
export function schemaErrors(name: string, document: unknown): string[] {
  const validate = ajv.getSchema(`https://mpistep-migrate.test/${name}.schema.json`);
  if (!validate) throw new Error(`no schema ${name}`);
  return validate(document)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Whether python3 parses `source` (CPython's own parser). */
export function cpythonParses(source: string): { ok: boolean; error: string } {
  const result = spawnSync("python3", ["-c", "import ast,sys; ast.parse(sys.stdin.read())"], {
    input: source,
    encoding: "utf8",
  });
  return { ok: result.status === 0, error: result.stderr };
}

/** IPython syntax that is not Python (magics, shell escapes, assignments from them, help
 * `?x` / `x?`), as IPython's documentation lists it: written here apart from the tool. */
const IPYTHON_LINE = /^\s*[%!?]|^\s*[\w.]+\s*=\s*[%!]|^\s*%{0,2}[\w*]+(\.[\w*]+)*\?{1,2}\s*$/;

/** The Python program of a notebook: its code cells, IPython syntax turned into comments
 * (a cell magic's whole cell). */
export function notebookCode(text: string): string {
  return JSON.parse(text)
    .cells.filter((c: { cell_type: string }) => c.cell_type === "code")
    .map((c: { source: string | string[] }) => {
      const lines = (Array.isArray(c.source) ? c.source.join("") : c.source).split("\n");
      const cellMagic = /^\s*%%/.test(lines[0] ?? "");
      return lines
        .map((line) => (cellMagic || IPYTHON_LINE.test(line) ? `#${line}` : line))
        .join("\n");
    })
    .join("\n");
}
