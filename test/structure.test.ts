// The code's shape, as docs/architecture.md describes it: imports form no circle (madge
// reads every import, type-only ones too), and no module re-exports another's names, so
// every name has one import path. The two entries are the exception by design: the
// library's public API (src/index.ts) and the program the command's entry loads as one
// bundle (src/program.ts hands it prepareParser).

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import madge from "madge";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

const SRC = path.join(ROOT, "src");
const ENTRIES = new Set(["index.ts", "program.ts"]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(path.join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [path.join(dir, entry.name)]
        : [],
  );
}

describe("the code's structure", () => {
  it("has no import cycle", async () => {
    const graph = await madge(SRC, {
      fileExtensions: ["ts"],
      tsConfig: path.join(ROOT, "tsconfig.json"),
      detectiveOptions: { ts: { skipTypeImports: false } },
    });
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(50);
    expect(graph.circular()).toEqual([]);
  });

  it("re-exports nothing outside the two entries", () => {
    const reexports = sources(SRC)
      .filter((file) => !ENTRIES.has(path.relative(SRC, file)))
      .flatMap((file) =>
        [
          ...readFileSync(file, "utf8").matchAll(
            /^export\s+(type\s+)?(\*|\{[^}]*\})\s+from\s+"[^"]+";/gm,
          ),
        ].map((m) => `${path.relative(ROOT, file)}: ${m[0]}`),
      );
    expect(reexports).toEqual([]);
  });
});
