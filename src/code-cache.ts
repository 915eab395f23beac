// Loads the bundle's own CommonJS files (program.cjs and the dependencies it requires on
// first use, such as web-tree-sitter.cjs) through a V8 code cache kept in the user's
// cache folder, so a run does not compile again what the last run compiled. A pre-commit
// hook on a few files is mostly start-up, and compiling the tool's code was about 15% of
// such a run (bench/run.mjs). Node 22 has this built in (module.enableCompileCache);
// Node 20, which the tool supports, does not.
//
// The cache only ever saves time; what a run prints never depends on it:
// - V8 refuses a cache made by another V8 version or with other V8 flags, or whose source
//   length differs, and nothing else: the header here adds a CRC-32 of the source (an
//   edit of equal length) and one of the cache itself (a damaged file), checked before
//   V8 sees it.
// - Any failure to read, check or write the cache is silent: the file is compiled as
//   usual, and a bad cache file is replaced.
// - Files are written whole under a temporary name and then renamed, so runs at once
//   (pre-commit runs hooks in parallel) never read a half-written cache.
// - A cache is code that runs: one in a folder or file another user may write (a shared
//   $XDG_CACHE_HOME) is neither read nor written.
// - Installs of different versions share the files; each replaces the other's cache,
//   which costs them time only.
// - A cache holds what the run that wrote it compiled. A later run that requires a file
//   that run did not (the parser, say, after runs on files without MpiStep) writes it
//   again, with both runs' code in it.
//
// Where: $XDG_CACHE_HOME, else ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows,
// else ~/.cache; in its folder mpistep-migrate (made with that one folder above it if
// missing, never a home). MPISTEP_MIGRATE_NO_CACHE=1 turns it off.

import {
  closeSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  type Stats,
} from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import path from "node:path";
import { Script } from "node:vm";
import * as zlib from "node:zlib";

/** The first line of a cache file: this tag, the source's CRC-32, the data's CRC-32 and
 * the files the writing run required from the cached one. */
const TAG = "mpistep-migrate code cache 1";

/** zlib.crc32 is in Node 20.15 and later; without it there is no cache. */
const crc32 = (zlib as { crc32?: (data: string | Uint8Array) => number }).crc32;

interface Stored {
  data: Buffer;
  required: Set<string>;
}

/** The cache folder, or undefined when there is none. */
function cacheFolder(): string | undefined {
  const env = process.env;
  if (env.MPISTEP_MIGRATE_NO_CACHE || !crc32) return undefined;
  const base =
    env.XDG_CACHE_HOME ||
    (process.platform === "darwin"
      ? path.join(homedir(), "Library", "Caches")
      : process.platform === "win32"
        ? env.LOCALAPPDATA
        : undefined) ||
    path.join(homedir(), ".cache");
  return path.join(base, "mpistep-migrate");
}

/** Whether no other user can have written the file or folder (on POSIX: this user owns
 * it, and neither group nor others may write it). A cache is code that runs. */
function onlyOurs(stat: Stats): boolean {
  return process.getuid === undefined || (stat.uid === process.getuid() && !(stat.mode & 0o022));
}

/** Whether `folder` is a real folder (not a symbolic link, which someone else may have
 * planted in a shared cache home) that only we may write. */
function ourFolder(folder: string): boolean {
  const stat = lstatSync(folder);
  return stat.isDirectory() && onlyOurs(stat);
}

/** The cache folder when a run may use it: missing (the first write makes it), or only
 * ours. */
function usableFolder(): string | undefined {
  const folder = cacheFolder();
  if (!folder) return undefined;
  try {
    return ourFolder(folder) ? folder : undefined;
  } catch {
    return folder;
  }
}

/** The cache in `file` when it is only ours, whole and made from `sourceCrc`'s source. */
function readStored(file: string, sourceCrc: number): Stored | undefined {
  let bytes: Buffer;
  try {
    const fd = openSync(file, "r");
    try {
      if (!onlyOurs(fstatSync(fd))) return undefined;
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const end = bytes.indexOf(10);
  if (end < 0) return undefined;
  const [tag, source, data, required = ""] = bytes.toString("latin1", 0, end).split("\t");
  if (tag !== TAG || Number(source) !== sourceCrc) return undefined;
  const cached = bytes.subarray(end + 1);
  if (Number(data) !== crc32!(cached)) return undefined;
  return { data: cached, required: new Set(required.split(",").filter(Boolean)) };
}

/** Makes `folder` and the folder it is in, but none above: a missing home stays missing. */
function makeFolder(folder: string): void {
  for (const dir of [path.dirname(folder), folder])
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
}

/** Writes what `script` has compiled so far as the cache in `file`, if it can. */
function store(file: string, sourceCrc: number, required: Set<string>, script: Script): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    const data = script.createCachedData();
    makeFolder(path.dirname(file));
    if (!ourFolder(path.dirname(file))) return;
    const header = `${TAG}\t${sourceCrc}\t${crc32!(data)}\t${[...required].join(",")}\n`;
    writeFileSync(temporary, Buffer.concat([Buffer.from(header, "latin1"), data]), {
      mode: 0o600,
    });
    renameSync(temporary, file);
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // No folder, no temporary file.
    }
  }
}

const loaded = new Map<string, { exports: unknown }>();

/**
 * Runs the CommonJS file `file` (as `require` would, once per process) and returns its
 * exports. Its requires of files beside it (`./name.cjs`) load the same way; anything
 * else is an ordinary require. `flags` names the V8 flags the process set (a cache is
 * kept per set, since V8 refuses a cache made under other flags).
 */
export function requireCached(file: string, flags: string): unknown {
  const known = loaded.get(file);
  if (known) return known.exports;
  const source = readFileSync(file, "utf8");
  const folder = usableFolder();
  const sourceCrc = folder ? crc32!(source) : 0;
  const cacheFile = folder && path.join(folder, `${path.basename(file)}.${flags}.cache`);
  const stored = cacheFile ? readStored(cacheFile, sourceCrc) : undefined;

  // The wrapper Node puts around a CommonJS file.
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) { ${source}\n})`,
    { filename: file, cachedData: stored?.data },
  );
  const module = { exports: {} };
  loaded.set(file, module);
  const required = new Set<string>();
  const ordinary = createRequire(file);
  const requireBeside = (id: string): unknown => {
    if (!/^\.\/[\w.-]+\.cjs$/.test(id)) return ordinary(id);
    required.add(id.slice(2));
    return requireCached(path.join(path.dirname(file), id), flags);
  };
  (script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports,
    Object.assign(requireBeside, { resolve: ordinary.resolve }),
    module,
    file,
    path.dirname(file),
  );

  if (cacheFile)
    process.once("exit", () => {
      const accepted = stored !== undefined && !script.cachedDataRejected;
      const before = accepted ? stored.required : new Set<string>();
      if (accepted && [...required].every((name) => before.has(name))) return;
      // What this run compiled includes what it took from the cache.
      store(cacheFile, sourceCrc, new Set([...before, ...required]), script);
    });
  return module.exports;
}
