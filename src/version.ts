// The tool's version, written once: in package.json, found by walking up from this
// module (src/, dist/ and dist/bundle/ all sit below the package folder).

import { readFileSync } from "node:fs";

let cached: string | undefined;

export function toolVersion(): string {
  if (cached) return cached;
  for (let dir = new URL("./", import.meta.url); ; dir = new URL("../", dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8"));
      if (pkg.name === "mpistep-migrate") return (cached = String(pkg.version));
    } catch {
      // no package.json here: look further up
    }
    if (dir.pathname === "/") throw new Error("mpistep-migrate's package.json not found");
  }
}
