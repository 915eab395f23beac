// Messages quote source text on one line: a multi-line expression is shown with single
// spaces, in the report and in the TODO the output carries.

import { describe, expect, it } from "vitest";
import { runCli } from "../helpers.js";

const SOURCE = `from azureml.pipeline.steps import MpiStep

step = MpiStep(
    name="train",
    source_directory="train_src_not_here",
    script_name="train.py",
    arguments=[],
    compute_target=pick_cluster(
        "gpu",
        size=8,
    ),
    node_count=1,
    process_count_per_node=1,
)
`;

describe("messages", () => {
  it("show a multi-line expression on one line with single spaces", () => {
    const result = runCli(["convert", "-", "--target", "job-yaml"], { input: SOURCE });
    const quoted = `pick_cluster( "gpu", size=8, )`;
    expect(result.stderr).toContain(`MPI014 compute_target '${quoted}' cannot be evaluated`);
    expect(result.stdout).toContain(
      `# TODO(mpistep-migrate MPI014): compute_target '${quoted}' cannot be evaluated; set compute`,
    );
    for (const line of result.stderr.split("\n"))
      expect(line.includes("pick_cluster(") ? line.includes(quoted) : true, line).toBe(true);
  });
});
