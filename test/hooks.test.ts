// The shipped pre-commit hooks, installed and run by the real pre-commit (Debian's
// package) from this repository at its current commit, in a scratch git repository, the
// way a user's .pre-commit-config.yaml names them (`repo:` + `rev:`). The first run
// installs the hook environment; the later ones run with npm offline.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { plantShadowModules, ROOT, scratch } from "./helpers.js";

const STEP = `from azureml.pipeline.steps import MpiStep

step = MpiStep(
    name="train",
    source_directory="src",
    script_name="train.py",
    arguments=["--epochs", 3],
    compute_target=cluster,
    node_count=2,
    process_count_per_node=4,
)
`;

function git(cwd: string, ...args: string[]) {
  return execFileSync("git", args, { cwd, encoding: "utf8" });
}

describe("pre-commit hooks", () => {
  it("the README's rev names a commit of this repository that ships the hooks", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const rev = /^\s+rev: (\S+)$/m.exec(readme)?.[1];
    expect(rev).toMatch(/^[0-9a-f]{40}$/);
    expect(git(ROOT, "cat-file", "-t", rev!).trim()).toBe("commit");
    expect(git(ROOT, "show", `${rev}:.pre-commit-hooks.yaml`)).toContain("id: mpistep-check");
    // ...and the command its package.json names.
    const bin = JSON.parse(git(ROOT, "show", `${rev}:package.json`)).bin["mpistep-migrate"];
    expect(git(ROOT, "ls-tree", "--name-only", rev!, "dist/bundle/")).toContain(bin);
  });

  it("install from repo + rev, block a staged MpiStep, rewrite it, then pass", () => {
    const rev = git(ROOT, "rev-parse", "HEAD").trim();
    const repo = scratch();
    const cache = scratch();
    git(repo, "init", "-q");
    mkdirSync(path.join(repo, "src"));
    writeFileSync(path.join(repo, "src", "train.py"), "print('train')\n");
    writeFileSync(path.join(repo, "clean.py"), "print('no steps here')\n");
    writeFileSync(path.join(repo, "pipeline.py"), `cluster = "gpu"\n${STEP}`);

    const config = (hooks: string[]) =>
      writeFileSync(
        path.join(repo, ".pre-commit-config.yaml"),
        `repos:\n  - repo: ${ROOT}\n    rev: ${rev}\n    hooks:\n${hooks.map((h) => `      - id: ${h}\n`).join("")}`,
      );
    const preCommit = (files: string[], offline: boolean) => {
      git(repo, "add", "-A");
      const result = spawnSync("pre-commit", ["run", "--files", ...files], {
        cwd: repo,
        encoding: "utf8",
        env: {
          ...process.env,
          PRE_COMMIT_HOME: cache,
          ...(offline ? { npm_config_offline: "true" } : {}),
        },
      });
      return { code: result.status, output: result.stdout + result.stderr };
    };

    config(["mpistep-check"]);
    const blocked = preCommit(["pipeline.py"], false);
    expect(blocked.output).toContain("mpistep-migrate check");
    expect(blocked.code, blocked.output).toBe(1);
    expect(blocked.output).toMatch(
      /^pipeline\.py:4:8: MPI000 deprecated MpiStep 'train': convertible to commandstep$/m,
    );
    // It ends on what to run next.
    expect(blocked.output).toMatch(/^next: `mpistep-migrate convert pipeline\.py`/m);
    // The hooks run in the repository's root: no Python they start may import from it.
    // (Planted once pre-commit has set up the hook environment: its own nodeenv runs
    // `python3 -m` in the root.)
    const marker = path.join(scratch(), "imported");
    plantShadowModules(repo, marker);
    const clean = preCommit(["clean.py"], true);
    expect(clean.code, clean.output).toBe(0);
    expect(clean.output).toMatch(/mpistep-migrate check\.+Passed/);

    config(["mpistep-migrate", "mpistep-check"]);
    const rewritten = preCommit(["pipeline.py"], true);
    expect(rewritten.code, rewritten.output).toBe(1);
    expect(rewritten.output).toContain("files were modified by this hook");
    const text = readFileSync(path.join(repo, "pipeline.py"), "utf8");
    expect(text).toContain("CommandStep(");
    expect(text).not.toMatch(/\bMpiStep\b/);
    const again = preCommit(["pipeline.py"], true);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/mpistep-migrate convert\.+Passed/);
    expect(again.output).toMatch(/mpistep-migrate check\.+Passed/);
    expect(existsSync(marker)).toBe(false);

    // A JSON step definition: the check hook blocks it; the convert hook writes v2 jobs
    // beside it, new files pre-commit does not see, and fails naming them.
    writeFileSync(
      path.join(repo, "steps.json"),
      JSON.stringify({
        type: "MpiStep",
        name: "train",
        source_directory: "src",
        script_name: "train.py",
        arguments: [],
        compute_target: "gpu",
        node_count: 1,
        process_count_per_node: 2,
      }),
    );
    config(["mpistep-check"]);
    const json = preCommit(["steps.json"], true);
    expect(json.code, json.output).toBe(1);
    expect(json.output).toMatch(/^steps\.json:1:1: MPI000 deprecated MpiStep 'train'/m);
    config(["mpistep-migrate"]);
    const jobs = preCommit(["steps.json"], true);
    expect(jobs.code, jobs.output).toBe(1);
    expect(jobs.output).not.toContain("files were modified by this hook");
    expect(jobs.output).toMatch(/^next: review the files written \(steps\/train\.job\.yaml, /m);
    expect(existsSync(path.join(repo, "steps", "train.job.yaml"))).toBe(true);
    // Once they are there as written, the hook passes.
    const jobsAgain = preCommit(["steps.json"], true);
    expect(jobsAgain.code, jobsAgain.output).toBe(0);
  }, 300_000);
});
