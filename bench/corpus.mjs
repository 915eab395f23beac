// Builds the benchmark's synthetic monorepo once, deterministically (seeded PRNG): 20,000
// Python files of about 15 KB (about 300 MB), 1% of them holding an MpiStep, spread over
// 200 packages; and, for the tree with no candidate, the same files without the steps.
// Each is reused when its marker file exists.

import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export const FILES = 20_000;
export const WITH_MPISTEP_EVERY = 100;
const TARGET_BYTES = 15_000;

function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  "data",
  "model",
  "batch",
  "loader",
  "config",
  "metric",
  "feature",
  "score",
  "token",
  "layer",
  "weight",
  "cache",
  "split",
  "epoch",
  "sample",
];

function functionText(random, i) {
  const w = () => WORDS[Math.floor(random() * WORDS.length)];
  const name = `${w()}_${w()}_${i}`;
  return [
    `def ${name}(${w()}, ${w()}=None, *, ${w()}_count=${Math.floor(random() * 100)}):`,
    `    """Compute the ${w()} ${w()} for the given ${w()}."""`,
    `    result = {}`,
    `    for index, item in enumerate(${w()} or []):`,
    `        if index % ${2 + Math.floor(random() * 7)} == 0:`,
    `            result[f"{index}-${w()}"] = item * ${(random() * 10).toFixed(3)}`,
    `        else:`,
    `            result[str(index)] = [x for x in range(${Math.floor(random() * 50)}) if x > index]`,
    `    return result`,
    ``,
    ``,
  ].join("\n");
}

const MPISTEP = (i) => `
from azureml.pipeline.steps import MpiStep
from azureml.pipeline.core import PipelineParameter

nodes_${i} = PipelineParameter(name="nodes", default_value=2)
train_${i} = MpiStep(
    name="train-${i}",
    source_directory="src",
    script_name="train.py",
    arguments=["--epochs", ${i % 50}, "--tag", "run ${i}"],
    compute_target="gpu-cluster",
    node_count=nodes_${i},
    process_count_per_node=4,
    pip_packages=["horovod"],
    use_gpu=True,
)
`;

export function fileText(index, withSteps = true) {
  const random = prng(index + 1);
  let text = `"""Module ${index} of the synthetic monorepo."""\nimport os\nimport json\n\n\n`;
  if (withSteps && index % WITH_MPISTEP_EVERY === 0) text += MPISTEP(index) + "\n\n";
  for (let i = 0; text.length < TARGET_BYTES; i++) text += functionText(random, i);
  return text;
}

export function buildCorpus(dir, withSteps = true) {
  const marker = path.join(dir, ".complete");
  if (existsSync(marker)) return false;
  rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < FILES; i++) {
    const pkg = path.join(dir, `pkg_${String(Math.floor(i / 100)).padStart(3, "0")}`);
    if (i % 100 === 0) mkdirSync(pkg, { recursive: true });
    writeFileSync(
      path.join(pkg, `module_${String(i).padStart(5, "0")}.py`),
      fileText(i, withSteps),
    );
  }
  writeFileSync(marker, "");
  return true;
}
