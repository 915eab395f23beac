// Valid Python that tree-sitter-python misreads (a continuation line inside parentheses
// dedented below its block, as in CPython's own test_compile.py): the file is not called
// a syntax error; steps outside the misread statement are read and rewritten, a step
// inside it is reported (MPI040) and left as it is.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cpythonParses, runCli, scratch } from "../helpers.js";

const MISREAD = `def misread():
    if 1:
        x = (foo.
bar)
        step = MpiStep(name="inside", source_directory="src", script_name="t.py", arguments=[],
                       compute_target=cluster, node_count=1, process_count_per_node=1)
`;
const SOURCE = `from azureml.pipeline.steps import MpiStep


${MISREAD}

outside = MpiStep(name="outside", source_directory="src", script_name="t.py", arguments=[],
                  compute_target=cluster, node_count=2, process_count_per_node=4)
`;

describe("code tree-sitter misreads", () => {
  it("finds every step, converts those outside the misread statement, keeps the rest", () => {
    expect(cpythonParses(SOURCE)).toMatchObject({ ok: true });
    const dir = scratch();
    const file = path.join(dir, "pipeline.py");
    writeFileSync(file, SOURCE);
    const check = runCli(["check", file, "--format", "json"]);
    expect(check.code).toBe(1);
    const report = JSON.parse(check.stdout);
    expect(report.summary.errors).toBe(0);
    const [inside, outside] = report.files[0].steps;
    expect(inside).toMatchObject({ name: "MpiStep at line 8", line: 8, status: "manual" });
    expect(inside.diagnostics.map((d: any) => d.code)).toContain("MPI040");
    expect(outside).toMatchObject({ name: "outside", status: "converted" });

    const convert = runCli(["convert", file, "--write"]);
    expect(convert.code).toBe(1); // the step inside needs a person
    const written = readFileSync(file, "utf8");
    expect(written).toContain(MISREAD);
    expect(written).toMatch(/outside = CommandStep\(/);
    expect(cpythonParses(written)).toMatchObject({ ok: true });
  });
});
