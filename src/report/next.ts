// The report's closing line: what to run or do next, from what the run found and the
// command line that ran it (its paths and --target), so a user, or a pre-commit hook's
// output, ends on the one command that moves the migration on.

import { quoteShellWord } from "../backends/shared/shell.js";
import type { Report } from "./model.js";

export interface RunLine {
  /** The paths given (none: the current folder; standard input: `-`). */
  paths: string[];
  /** --target, when given. */
  target?: string;
  /** The run wrote (--write / --out-dir). */
  writing: boolean;
}

/** More paths than this are shown as the files with steps, or as `PATH...`. */
const SHOWN_PATHS = 3;

export function nextStep(report: Report, run: RunLine): string | undefined {
  const { summary } = report;
  const paths = shownPaths(report, run.paths);
  const target = run.target ? ` --target ${run.target}` : "";
  const convert = `mpistep-migrate convert ${paths}${target}`;
  if (summary.errors)
    return "next: fix the file errors above (MPI030, MPI031, MPI035), then run again";
  if (report.command === "check") {
    if (!summary.steps) return undefined;
    if (summary.invalid)
      return `next: fix the invalid steps, then \`${convert}\` previews the conversion and \`${convert} --write\` applies it`;
    return `next: \`${convert}\` previews the conversion (to ${targets(report)}; --target pipeline-yaml carries whole pipelines), \`${convert} --write\` applies it`;
  }
  if (!run.writing)
    return summary.steps
      ? `next: \`${convert} --write\` writes this (or --out-dir DIR, to write elsewhere)`
      : undefined;
  const findings = report.files.flatMap((file) => [
    ...file.diagnostics,
    ...file.steps.flatMap((step) => step.diagnostics),
  ]);
  const edited = findings.some((d) => d.code === "MPI034");
  const stale = findings.filter((d) => d.code === "MPI048");
  const parts: string[] = [];
  if (findings.some((d) => d.todo))
    parts.push(
      "fill in the TODO(mpistep-migrate MPIxxx) comments of the outputs (`mpistep-migrate explain MPIxxx` says what each asks)",
    );
  else if (summary.manual)
    parts.push("finish the steps that need manual work, as their findings say");
  if (summary.invalid) parts.push("fix the invalid steps and run again");
  const forced = [
    ...(edited ? ["replaces the edited outputs kept"] : []),
    ...(stale.some((d) => d.severity !== "info") ? ["removes the stale outputs"] : []),
  ];
  if (forced.length) parts.push(`\`${convert} --write --force\` ${forced.join(" and ")}`);
  const written = report.files.flatMap((file) => file.outputs);
  if (written.length) parts.push(`review the files written (${listed(written)}) and commit them`);
  if (stale.some((d) => d.severity === "info"))
    parts.push("commit the removal of the stale outputs");
  return parts.length ? `next: ${parts.join("; ")}` : undefined;
}

/** More files written than this are counted, not named. */
const NAMED_FILES = 5;

function listed(files: string[]): string {
  const named = files.slice(0, NAMED_FILES).join(", ");
  return files.length > NAMED_FILES ? `${named} and ${files.length - NAMED_FILES} more` : named;
}

/** The targets the steps found go to. */
function targets(report: Report): string {
  return [...new Set(report.files.flatMap((file) => file.steps.map((step) => step.target)))].join(
    " and ",
  );
}

/** The paths as the user would type them again: those given, or when there are many (a
 * hook's file list), the files that hold a step. */
function shownPaths(report: Report, given: string[]): string {
  if (!given.length) return ".";
  if (given.length <= SHOWN_PATHS) return given.map(quoteShellWord).join(" ");
  const withSteps = report.files.filter((file) => file.steps.length).map((file) => file.path);
  return withSteps.length && withSteps.length <= SHOWN_PATHS
    ? withSteps.map(quoteShellWord).join(" ")
    : "PATH...";
}
