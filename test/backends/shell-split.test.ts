// CommandStep splits its command string with Python's shlex.split: the tool's splitter
// must give the same words for any text, judged by CPython's own shlex over generated
// strings of the characters that matter (quotes, backslashes, blanks, `#`).

import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitShellWords } from "../../src/backends/shared/shell.js";

/** CPython's shlex.split of each text (null where it raises). */
function pythonSplit(texts: string[]): Array<string[] | null> {
  const script =
    "import json, shlex, sys\n" +
    "out = []\n" +
    "for t in json.load(sys.stdin):\n" +
    "    try:\n" +
    "        out.append(shlex.split(t))\n" +
    "    except ValueError:\n" +
    "        out.append(None)\n" +
    "print(json.dumps(out))\n";
  const result = spawnSync("python3", ["-I", "-c", script], {
    input: JSON.stringify(texts),
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

describe("splitting a CommandStep command", () => {
  it("gives the words Python's shlex.split gives", () => {
    const texts = fc.sample(
      fc
        .array(fc.constantFrom("a", "b", " ", "\t", "\n", "'", '"', "\\", "#", "$", "é"), {
          maxLength: 14,
        })
        .map((chars) => chars.join("")),
      { numRuns: 2000, seed: 19 },
    );
    texts.push('python train.py --name \'fast path\' "a \\" b" c\\ d', "", "  ", "x 'open");
    const expected = pythonSplit(texts);
    texts.forEach((text, i) =>
      expect(splitShellWords(text) ?? null, JSON.stringify(text)).toEqual(expected[i]),
    );
  });
});
