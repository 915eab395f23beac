// The code cache (src/code-cache.ts), through the built command: a run takes the code
// the last run compiled from the user's cache folder, and never prints anything
// different because of it, whatever state that folder is in.

import { spawn } from "node:child_process";
import {
  chmodSync,
  cpSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CLI, FIXTURES, ROOT, runCli, scratch } from "./helpers.js";

const WITH_STEP = path.join(FIXTURES, "python", "pipelines", "train_pipeline.py");
const WITHOUT_STEP = path.join(FIXTURES, "python", "legacy", "already_migrated.py");
const PROGRAM = "program.cjs.liftoff-only.cache";
const PARSER = "web-tree-sitter.cjs.liftoff-only.cache";

/** A run of `check` with its cache in `home` (as $XDG_CACHE_HOME). */
function check(home: string, file: string) {
  return runCli(["check", file], { env: { XDG_CACHE_HOME: home } });
}

/** What identifies a cache file's contents on disk: a rewrite renames a new file over it. */
function identity(file: string): string {
  const stat = statSync(file);
  return `${stat.ino}:${stat.mtimeMs}:${crc32(readFileSync(file))}`;
}

/** The header of a cache file: tag, source CRC, data CRC, the files its run required. */
function header(file: string): { whole: boolean; required: string[] } {
  const bytes = readFileSync(file);
  const end = bytes.indexOf(10);
  const [, , data, required] = bytes.toString("latin1", 0, end).split("\t");
  return {
    whole: Number(data) === crc32(bytes.subarray(end + 1)),
    required: required ? required.split(",") : [],
  };
}

describe("the code cache", () => {
  const plain = runCli(["check", WITH_STEP], { env: { MPISTEP_MIGRATE_NO_CACHE: "1" } });

  it("is written by a first run and taken, unchanged, by the next", () => {
    const home = scratch();
    const folder = path.join(home, "mpistep-migrate");
    const first = check(home, WITH_STEP);
    expect(first).toEqual(plain);
    expect(readdirSync(folder).sort()).toEqual([PROGRAM, PARSER]);
    expect(header(path.join(folder, PROGRAM))).toEqual({
      whole: true,
      required: ["web-tree-sitter.cjs"],
    });
    const written = readdirSync(folder).map((name) => identity(path.join(folder, name)));
    // V8 refusing the cache, or a failed check here, would make the run write it again.
    expect(check(home, WITH_STEP)).toEqual(plain);
    expect(readdirSync(folder).map((name) => identity(path.join(folder, name)))).toEqual(written);
  });

  it("is off with MPISTEP_MIGRATE_NO_CACHE", () => {
    const home = scratch();
    expect(
      runCli(["check", WITH_STEP], {
        env: { XDG_CACHE_HOME: home, MPISTEP_MIGRATE_NO_CACHE: "1" },
      }),
    ).toEqual(plain);
    expect(readdirSync(home)).toEqual([]);
  });

  it("keeps one cache per set of V8 flags", () => {
    const home = scratch();
    const tree = scratch("python/pipelines");
    const convert = runCli(["convert", tree, "--out-dir", path.join(home, "out")], {
      env: { XDG_CACHE_HOME: home },
    });
    expect(convert.code).toBeLessThan(2);
    check(home, WITH_STEP);
    // convert over a folder runs with V8's default flags; check with --liftoff-only.
    expect(readdirSync(path.join(home, "mpistep-migrate")).sort()).toEqual([
      "program.cjs.default.cache",
      PROGRAM,
      "web-tree-sitter.cjs.default.cache",
      PARSER,
    ]);
  });

  const flipped = (bytes: Buffer) => {
    bytes[bytes.length >> 1]! ^= 0x55;
    return bytes;
  };
  for (const [damage, spoil] of [
    ["a flipped byte", flipped],
    ["a cut", (bytes: Buffer) => bytes.subarray(0, bytes.length - 1000)],
    ["garbage", () => Buffer.from("not a cache\n")],
  ] as const)
    it(`is replaced when damaged (${damage}), and the run is as without it`, () => {
      const home = scratch();
      const file = path.join(home, "mpistep-migrate", PROGRAM);
      check(home, WITH_STEP);
      writeFileSync(file, spoil(readFileSync(file)));
      const damaged = identity(file);
      expect(check(home, WITH_STEP)).toEqual(plain);
      expect(identity(file)).not.toEqual(damaged);
      expect(header(file).whole).toBe(true);
    });

  it("is not used for a program edited to the same length", () => {
    // V8 itself only compares the source's length.
    const home = scratch();
    const tool = scratch();
    cpSync(path.join(ROOT, "dist", "bundle"), tool, { recursive: true });
    const cli = path.join(tool, "cli.cjs");
    const version = (): string =>
      runCli(["--version"], { cli, env: { XDG_CACHE_HOME: home } }).stdout.trim();
    const before = version();
    expect(before).toMatch(/^\d+\.\d+\.\d+$/);
    const program = path.join(tool, "program.cjs");
    const source = readFileSync(program, "utf8");
    expect(source.split(`"${before}"`)).toHaveLength(2);
    const edited = before.replace(/\d/g, (digit) => String((Number(digit) + 1) % 10));
    writeFileSync(program, source.replace(`"${before}"`, `"${edited}"`));
    expect(version()).toBe(edited);
  });

  it("is written again when a run requires a file the cached run did not", () => {
    const home = scratch();
    const file = path.join(home, "mpistep-migrate", PROGRAM);
    check(home, WITHOUT_STEP);
    expect(header(file).required).toEqual([]);
    const withoutParser = identity(file);
    check(home, WITH_STEP);
    expect(identity(file)).not.toEqual(withoutParser);
    expect(header(file).required).toEqual(["web-tree-sitter.cjs"]);
    const withParser = identity(file);
    check(home, WITHOUT_STEP);
    expect(identity(file)).toEqual(withParser);
  });

  it("never runs a cache another user may have written", () => {
    // A forged cache: compiled from a program of the same length that prints another
    // version, its header naming the real program's source.
    const real = runCli(["--version"], { env: { MPISTEP_MIGRATE_NO_CACHE: "1" } }).stdout.trim();
    const forger = scratch();
    cpSync(path.join(ROOT, "dist", "bundle"), forger, { recursive: true });
    const program = readFileSync(path.join(forger, "program.cjs"), "utf8");
    const forged = real.replace(/\d/g, (digit) => String((Number(digit) + 1) % 10));
    writeFileSync(path.join(forger, "program.cjs"), program.replace(`"${real}"`, `"${forged}"`));
    const home = scratch();
    runCli(["--version"], { cli: path.join(forger, "cli.cjs"), env: { XDG_CACHE_HOME: home } });
    const folder = path.join(home, "mpistep-migrate");
    const file = path.join(folder, "program.cjs.default.cache");
    const made = readFileSync(file);
    const end = made.indexOf(10);
    const fields = made.toString("latin1", 0, end).split("\t");
    fields[1] = String(crc32(program));
    const plant = () =>
      writeFileSync(
        file,
        Buffer.concat([Buffer.from(fields.join("\t"), "latin1"), made.subarray(end)]),
      );
    const version = () => runCli(["--version"], { env: { XDG_CACHE_HOME: home } }).stdout.trim();

    plant();
    // Where only this user may write, a cache is trusted: this is what the forgery does.
    expect(version()).toBe(forged);
    plant();
    chmodSync(file, 0o666);
    expect(version()).toBe(real);
    plant();
    chmodSync(file, 0o600);
    chmodSync(folder, 0o777);
    expect(version()).toBe(real);
  });

  it("is neither read nor written where another user may write", () => {
    const home = scratch();
    const folder = path.join(home, "mpistep-migrate");
    const file = path.join(folder, PROGRAM);
    check(home, WITH_STEP);
    // A cache file others may write is not read: the run writes its own in its place.
    chmodSync(file, 0o666);
    const shared = identity(file);
    expect(check(home, WITH_STEP)).toEqual(plain);
    expect(identity(file)).not.toEqual(shared);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // In a folder others may write, nothing is read or written.
    chmodSync(folder, 0o777);
    writeFileSync(file, "not a cache\n");
    rmSync(path.join(folder, PARSER));
    expect(check(home, WITH_STEP)).toEqual(plain);
    expect(readFileSync(file, "utf8")).toBe("not a cache\n");
    expect(readdirSync(folder)).toEqual([PROGRAM]);
  });

  it("is neither read nor written through a cache folder planted as a symbolic link", () => {
    // A shared, world-writable cache home: someone else planted our folder's name as a
    // link to a folder of ours.
    const shared = scratch();
    chmodSync(shared, 0o1777);
    const ours = scratch();
    symlinkSync(ours, path.join(shared, "mpistep-migrate"));
    expect(check(shared, WITH_STEP)).toEqual(plain);
    expect(readdirSync(ours)).toEqual([]);
  });

  it("changes nothing when its folder cannot be made", () => {
    const home = path.join(scratch(), "a-file");
    writeFileSync(home, "");
    expect(check(home, WITH_STEP)).toEqual(plain);
    expect(readFileSync(home, "utf8")).toBe("");
  });

  it("makes its folder and the one above it, never a missing home", () => {
    const home = scratch();
    expect(check(path.join(home, "cache"), WITH_STEP)).toEqual(plain);
    expect(readdirSync(path.join(home, "cache", "mpistep-migrate")).sort()).toEqual([
      PROGRAM,
      PARSER,
    ]);
    expect(check(path.join(home, "missing", "cache"), WITH_STEP)).toEqual(plain);
    expect(readdirSync(home)).toEqual(["cache"]);
  });

  it("stays whole when runs start at once", async () => {
    const home = scratch();
    const folder = path.join(home, "mpistep-migrate");
    const runs = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<string>((resolve) => {
            const child = spawn(process.execPath, [CLI, "check", WITH_STEP], {
              cwd: ROOT,
              env: { ...process.env, NO_COLOR: "1", XDG_CACHE_HOME: home },
            });
            let stdout = "";
            child.stdout.on("data", (chunk) => (stdout += chunk));
            child.on("close", () => resolve(stdout));
          }),
      ),
    );
    expect(runs).toEqual(runs.map(() => plain.stdout));
    expect(readdirSync(folder).sort()).toEqual([PROGRAM, PARSER]);
    const written = identity(path.join(folder, PROGRAM));
    expect(check(home, WITH_STEP)).toEqual(plain);
    expect(identity(path.join(folder, PROGRAM))).toEqual(written);
  });
});
