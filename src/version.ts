// The tool's version, written once: in package.json. The bundle carries it as a constant
// (scripts/bundle.mjs defines __MPISTEP_VERSION__); run from the sources, it is read from
// the package.json above them.

import { readFileSync } from "node:fs";

declare const __MPISTEP_VERSION__: string | undefined;

export function toolVersion(): string {
  if (typeof __MPISTEP_VERSION__ === "string") return __MPISTEP_VERSION__;
  return JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
}
