// JSON frontend: document shapes, tagged values, positions, key maps and errors.

import { describe, expect, it } from "vitest";
import { parseJsonSteps } from "../../src/frontends/json/index.js";
import { InputError } from "../../src/diagnostics/model.js";

const STEP = { type: "MpiStep", name: "a", script_name: "t.py" };

describe("json frontend", () => {
  it("reads one step, an array and a map of steps", () => {
    expect(parseJsonSteps(JSON.stringify(STEP)).steps.map((s) => s.label)).toEqual(["a"]);
    expect(
      parseJsonSteps(JSON.stringify([STEP, { ...STEP, name: "b" }])).steps.map((s) => s.label),
    ).toEqual(["a", "b"]);
    const map = parseJsonSteps(JSON.stringify({ x: STEP, y: { ...STEP, name: undefined } }));
    expect(map.steps.map((s) => s.label)).toEqual(["a", "y"]);
  });

  it("skips and reports entries of other types, with their position", () => {
    const result = parseJsonSteps(
      '[\n  {"type": "PythonScriptStep", "name": "p"},\n  {"type": "MpiStep", "name": "m"}\n]',
    );
    expect(result.skipped).toEqual([
      { label: "p", type: "PythonScriptStep", line: 2, column: 3, at: 4 },
    ]);
    expect(result.steps).toHaveLength(1);
    expect(result.steps[0]!.line).toBe(3);
  });

  it("reads tagged values", () => {
    const step = parseJsonSteps(
      JSON.stringify({
        ...STEP,
        node_count: { pipeline_parameter: "n", default: 2 },
        arguments: [
          { data_reference: "d", datastore: "ds", path: "p", mode: "download" },
          { pipeline_data: "pd" },
          { expression: "f(x)" },
        ],
        compute_target: { compute: "c", type: "AmlCompute" },
        environment_definition: { environment: "e", version: 3 },
      }),
    ).steps[0]!;
    expect(step.args.get("node_count")!.value).toMatchObject({
      kind: "pipelineParameter",
      name: "n",
      default: { kind: "literal", value: { type: "int", str: "2" } },
    });
    const args = step.args.get("arguments")!.value;
    expect(args.kind === "list" && args.items.map((i) => i.kind)).toEqual([
      "data",
      "data",
      "opaque",
    ]);
    expect(step.args.get("compute_target")!.value).toMatchObject({
      kind: "compute",
      name: "c",
      computeType: "AmlCompute",
    });
    expect(step.args.get("environment_definition")!.value).toMatchObject({
      kind: "environment",
      name: "e",
      version: "3",
    });
  });

  it("keeps unknown keys as ignored keywords and applies a key map first", () => {
    const step = parseJsonSteps(JSON.stringify({ ...STEP, script: "x.py", runconfig: "r" }), {
      keyMap: { script: "script_name" },
    }).steps[0]!;
    expect(step.args.get("script_name")!.value).toMatchObject({ value: "x.py" });
    expect(step.ignored.map((a) => a.name)).toEqual(["runconfig"]);
  });

  it("in discovery mode only entries typed MpiStep count", () => {
    expect(
      parseJsonSteps('{"name": "x", "script_name": "a"}', { requireExplicitType: true }).steps,
    ).toHaveLength(0);
    expect(
      parseJsonSteps('{"version": "1", "dependencies": {}}', { requireExplicitType: true }).steps,
    ).toHaveLength(0);
  });

  it("reports malformed JSON and duplicate keys with line and column", () => {
    const error = (text: string) => {
      try {
        parseJsonSteps(text);
      } catch (e) {
        return e as InputError;
      }
      throw new Error("no error");
    };
    expect(error('{\n  "name": "a",\n  "x": }')).toMatchObject({
      code: "MPI030",
      line: 3,
      column: 8,
    });
    expect(error('{"name": "a",\n "name": "b"}')).toMatchObject({
      message: 'duplicate key "name"',
      line: 2,
      column: 2,
    });
    expect(error("[1]").message).toContain("must be a JSON object");
  });
});
