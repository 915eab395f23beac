// Source files in any encoding a PEP 263 line declares (cp1252 and koi8-r among the
// standard library's) are read, their steps found, and written back byte for byte
// outside the edit; what a codec cannot hold is refused, never replaced.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeSource, encodeSource } from "../../src/io/decode.js";
import { runCli, scratch } from "../helpers.js";

const MODULE = (coding: string, comment: string) => `# -*- coding: ${coding} -*-
# ${comment}
from azureml.pipeline.steps import MpiStep

step = MpiStep(name="train", source_directory="missing_src", script_name="train.py",
               arguments=[], compute_target=cluster, node_count=2, process_count_per_node=4)
# ${comment} (after)
`;

describe("source encodings", () => {
  for (const [coding, comment] of [
    ["cp1252", "café – 20 € “quoted”"],
    ["koi8-r", "шаг обучения"],
    ["iso-8859-15", "prix en €"],
  ] as const) {
    it(`${coding}: the step is found, and the rewrite keeps every other byte`, () => {
      const dir = scratch();
      const file = path.join(dir, "pipeline.py");
      const original = iconv.encode(MODULE(coding, comment), coding);
      writeFileSync(file, original);
      const check = runCli(["check", file, "--format", "json"]);
      expect(check.code).toBe(1);
      expect(JSON.parse(check.stdout).files[0].steps[0].name).toBe("train");
      expect(runCli(["convert", file, "--write"]).code).toBe(0);
      const written = readFileSync(file);
      const encodedComment = iconv.encode(`# ${comment}`, coding);
      // The head (coding line and comment) and the tail are the original bytes.
      const head = original.subarray(0, original.indexOf(Buffer.from("from azureml")));
      expect(written.subarray(0, head.length).equals(head)).toBe(true);
      expect(written.includes(Buffer.concat([encodedComment, Buffer.from(" (after)\n")]))).toBe(
        true,
      );
      expect(iconv.decode(written, coding)).toContain("CommandStep(");
    });
  }

  it("refuses to write a character the declared encoding cannot hold", async () => {
    const decoded = await decodeSource(iconv.encode(MODULE("koi8-r", "шаг"), "koi8-r"), true);
    expect(decoded.encoding).toBe("koi8-r");
    await expect(encodeSource(decoded, `${decoded.text}# ☃\n`)).rejects.toThrow(
      /koi8-r cannot hold/,
    );
  });

  it("skips a file whose bytes are not valid in its declared encoding, or an unknown one", () => {
    const dir = scratch();
    writeFileSync(path.join(dir, "unknown.py"), MODULE("no-such-codec", "x"));
    const result = runCli(["check", dir, "--format", "json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).files[0].diagnostics[0].message).toContain(
      "unknown source encoding 'no-such-codec'",
    );
  });
});
