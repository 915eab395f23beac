// What of a rewrite is checked again: the top-level statements an edit touches (whole),
// the `from __future__` imports, and nothing else but line breaks, so every line keeps
// its number. The rest parsed in the original, and a module parses when each of its
// top-level statements does.

import { describe, expect, it } from "vitest";
import { editedStatements } from "../../src/stages/verify.js";

const AFTER = [
  '"""doc"""', // 1
  "from __future__ import annotations", // 2
  "import os", // 3
  "x = [1,", // 4
  "     2]", // 5
  "def f():", // 6
  "    return CommandStep(name='a')", // 7
  "y = 3", // 8
  "", //
].join("\n");

describe("editedStatements", () => {
  it("keeps what an edit touches and the future imports, and every line's number", () => {
    const start = AFTER.indexOf("CommandStep");
    const edit = { start, end: start + "MpiStep".length, text: "CommandStep" };
    const checked = editedStatements(AFTER, [edit])!;
    expect(checked.split("\n")).toEqual([
      "",
      "from __future__ import annotations",
      "",
      "",
      "",
      "def f():",
      "    return CommandStep(name='a')",
      "",
      "",
    ]);
  });

  it("keeps the statements on either side of text an edit removed between them", () => {
    const at = AFTER.indexOf("x = [");
    // An import line deleted just before `x = [`: nothing of it is left in the rewrite.
    const checked = editedStatements(AFTER, [{ start: at, end: at + 10, text: "" }])!;
    const kept = checked.split("\n").filter((line) => line.trim());
    expect(kept).toEqual(["from __future__ import annotations", "import os", "x = [1,", "     2]"]);
  });
});
