// Walks the paths given on the command line and yields the files to read, streaming
// (never holding the whole tree): .gitignore files honoured at every level, .git,
// virtualenvs, site-packages and node_modules skipped, --exclude patterns applied,
// symbolic links not followed (a link to a file the tool reads is reported, MPI042).
// Files come out sorted by path within each folder.

// Synchronous file system calls throughout: a walk of thousands of folders never waits
// on the thread pool, and fs.promises is never loaded (a few milliseconds of start-up).
import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import path from "node:path";
import type { Ignore } from "ignore";
import { sourceKind } from "../frontends/kinds.js";
import type { SourceKind } from "../frontends/types.js";
import { describeFsError } from "./errors.js";

const SKIPPED_FOLDERS = new Set([
  ".git",
  "node_modules",
  "site-packages",
  "__pycache__",
  ".venv",
  "venv",
  ".tox",
  ".mypy_cache",
  ".ipynb_checkpoints",
]);

export interface DiscoveredFile {
  path: string;
  root: string;
  explicit: boolean;
  /** Decided here, once, by extension (undefined: a named file of no kind the tool reads). */
  kind: SourceKind | undefined;
}

export interface DiscoveryProblem {
  path: string;
  message: string;
  /** MPI031 (could not be read: an error) unless said otherwise. */
  code?: "MPI042";
}

interface IgnoreLayer {
  dir: string;
  matcher: Ignore;
}

/** A gitignore matcher; the library is loaded when a folder is first walked. */
async function matcher(patterns: string | string[]): Promise<Ignore> {
  return (await import("ignore")).default().add(patterns);
}

async function readIgnoreFile(dir: string): Promise<IgnoreLayer | undefined> {
  try {
    return { dir, matcher: await matcher(readFileSync(path.join(dir, ".gitignore"), "utf8")) };
  } catch {
    return undefined;
  }
}

function ignoredBy(layers: IgnoreLayer[], target: string, isDir: boolean): boolean {
  return layers.some((layer) => {
    const rel = path.relative(layer.dir, target).split(path.sep).join("/");
    return rel !== "" && !rel.startsWith("..") && layer.matcher.ignores(isDir ? `${rel}/` : rel);
  });
}

function linkTarget(link: string): string {
  try {
    return readlinkSync(link);
  } catch (error) {
    return `(unreadable: ${describeFsError(error)})`;
  }
}

/** Yields the files to read in groups (a folder's files at a time), in path order. */
export async function* discover(
  inputs: string[],
  excludes: string[],
  problems: DiscoveryProblem[],
): AsyncGenerator<DiscoveredFile[]> {
  // A file named twice (`convert . nb.ipynb`) is read once, where it is first met.
  const seen = new Set<string>();
  const fresh = (files: DiscoveredFile[]) =>
    files.filter((f) => !seen.has(f.path) && seen.add(f.path));
  for (const input of inputs) {
    const full = path.resolve(input);
    let stat;
    try {
      stat = statSync(full);
    } catch (error) {
      problems.push({
        path: input,
        message: `cannot read: ${describeFsError(error)}`,
      });
      continue;
    }
    if (!stat.isDirectory()) {
      const files = fresh([
        { path: full, root: path.dirname(full), explicit: true, kind: sourceKind(full) },
      ]);
      if (files.length) yield files;
      continue;
    }
    const layers = excludes.length ? [{ dir: full, matcher: await matcher(excludes) }] : [];
    for await (const batch of walk(full, full, layers, problems)) {
      const files = fresh(batch);
      if (files.length) yield files;
    }
  }
}

async function* walk(
  dir: string,
  root: string,
  layers: IgnoreLayer[],
  problems: DiscoveryProblem[],
): AsyncGenerator<DiscoveredFile[]> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    problems.push({
      path: dir,
      message: `cannot read folder: ${describeFsError(error)}`,
    });
    return;
  }
  // A virtualenv (it holds pyvenv.cfg) below the folder given is not the project's code.
  if (dir !== root && entries.some((e) => e.name === "pyvenv.cfg" && e.isFile())) return;
  const own = entries.some((e) => e.name === ".gitignore") ? await readIgnoreFile(dir) : undefined;
  const active = own ? [...layers, own] : layers;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let files: DiscoveredFile[] = [];
  // `dir` is absolute and normalised: joining by hand is path.join without its cost.
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  for (const entry of entries) {
    const full = prefix + entry.name;
    if (entry.isDirectory()) {
      if (SKIPPED_FOLDERS.has(entry.name) || ignoredBy(active, full, true)) continue;
      if (files.length) yield files;
      files = [];
      yield* walk(full, root, active, problems);
    } else if (entry.isFile()) {
      const kind = sourceKind(entry.name);
      if (kind && !ignoredBy(active, full, false))
        files.push({ path: full, root, explicit: false, kind });
    } else if (entry.isSymbolicLink() && sourceKind(entry.name) && !ignoredBy(active, full, false))
      problems.push({
        path: full,
        code: "MPI042",
        message: `symbolic link to ${linkTarget(full)}, not followed in a folder walk; name it to read it`,
      });
  }
  if (files.length) yield files;
}
