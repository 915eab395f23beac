// The Markdown report's pipeline pictures are judged by the real thing: the `mermaid`
// package draws each one to SVG in Debian's headless chromium (driven by playwright-core),
// and the drawing must name every step of the pipeline. A diagram mermaid cannot read
// fails the render, which the last test shows.

import { writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, ROOT, runCli, scratch } from "../helpers.js";

/** Debian's chromium (installed by .ci/run), or another one named in CHROMIUM. */
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const MERMAID = path.join(ROOT, "node_modules", "mermaid", "dist", "mermaid.min.js");

let browser: Browser;
let page: Page;

beforeAll(async () => {
  // No sandbox: CI runs as root, where chromium refuses to start with one.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  page = await browser.newPage();
  await page.setContent("<!doctype html><html><body></body></html>");
  await page.addScriptTag({ path: MERMAID });
  await page.evaluate(() =>
    (window as any).mermaid.initialize({ startOnLoad: false, securityLevel: "strict" }),
  );
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** The text a diagram shows once mermaid has drawn it (rejects when it cannot). */
async function drawnText(diagram: string, id: string): Promise<string> {
  return page.evaluate(
    async ([text, name]) => {
      const { svg } = await (window as any).mermaid.render(name, text);
      const holder = document.createElement("div");
      holder.innerHTML = svg;
      document.body.appendChild(holder);
      const shown = holder.querySelector("svg")!.textContent ?? "";
      holder.remove();
      return shown;
    },
    [diagram, id] as const,
  );
}

function diagramsOf(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
}

describe("the markdown report's pipeline pictures", () => {
  it("render with the real mermaid, naming every step and the data between them", async () => {
    const result = runCli([
      "convert",
      path.join(FIXTURES, "python/whole/restyle_clip.ipynb"),
      path.join(FIXTURES, "python/whole/batch_scoring.py"),
      "--target",
      "pipeline-yaml",
      "--format",
      "markdown",
    ]);
    const diagrams = diagramsOf(result.stdout);
    expect(diagrams).toHaveLength(2);
    const [scoring, restyle] = await Promise.all(
      diagrams.map((diagram, i) => drawnText(diagram, `pipeline${i}`)),
    );
    for (const name of ["split clip", "restyle frames", "stitch clip", "frames", "restyled"])
      expect(restyle).toContain(name);
    expect(restyle).toContain("PythonScriptStep (converted)");
    for (const name of ["train model", "score batches", "ParallelRunStep (left out)", "model"])
      expect(scoring).toContain(name);
  }, 60_000);

  it("draws names holding quotes, brackets and markup as they are", async () => {
    const dir = scratch();
    const name = 'train "big" [v2] <b>gpu</b> | 100%; end';
    writeFileSync(
      path.join(dir, "steps.json"),
      JSON.stringify([
        {
          type: "MpiStep",
          name,
          source_directory: ".",
          script_name: "steps.json",
          arguments: [],
          compute_target: "gpu",
          node_count: 1,
          process_count_per_node: 1,
        },
      ]),
    );
    const result = runCli(["check", path.join(dir, "steps.json"), "--format", "markdown"]);
    const [diagram] = diagramsOf(result.stdout);
    expect(await drawnText(diagram!, "names")).toContain(name);
  }, 60_000);

  it("fails on a diagram mermaid cannot read", async () => {
    await expect(drawnText('flowchart LR\n  n0["unclosed]\n', "broken")).rejects.toThrow();
  }, 60_000);
});
