// Code folders a notebook writes itself (`%%writefile $folder/train.py` cells): the
// files it writes into a step's source_directory are written, with the cells' text,
// into a folder beside the generated document, and the document's `code` points there,
// so the output can be submitted without running the notebook (docs/semantics.md,
// "Notebooks").

import path from "node:path";
import { diagnostic } from "../../codes/index.js";
import type { Diagnostic } from "../../diagnostics/model.js";
import type { StepDefinition } from "../../ir/types.js";
import type { GeneratedFile, SourceFile } from "../types.js";
import { codePath } from "./paths.js";
import { identifierFrom, uniqueName } from "./names.js";

/** The code folders of one generated document: `code` of each step, and the files to
 * write for the folders a notebook writes. */
export class CodeFolders {
  readonly files: GeneratedFile[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** Source folder (absolute) -> the folder written for it (absolute). */
  private readonly written = new Map<string, string>();
  private readonly names = new Set<string>();

  constructor(
    private readonly source: SourceFile,
    private readonly documentDir: string,
  ) {}

  /** `code` of a step whose source_directory is `code`, seen from the document. */
  codeOf(step: StepDefinition, code: string | undefined): string | undefined {
    if (code === undefined || this.source.kind !== "notebook")
      return codePath(this.source.path, code, this.documentDir);
    const sourceDir = path.resolve(path.dirname(this.source.path), code);
    let folder = this.written.get(sourceDir);
    if (!folder) {
      const inside = [...this.source.parsed.writtenContents].flatMap(([file, text]) => {
        const relative = path.relative(
          sourceDir,
          path.resolve(path.dirname(this.source.path), file),
        );
        return relative && !relative.startsWith("..") && !path.isAbsolute(relative)
          ? [{ relative, text }]
          : [];
      });
      if (!inside.length) return codePath(this.source.path, code, this.documentDir);
      const name = uniqueName(identifierFrom(path.basename(sourceDir)) || "code", (n) =>
        this.names.has(n),
      );
      this.names.add(name);
      folder = path.join(this.documentDir, name);
      this.written.set(sourceDir, folder);
      for (const { relative, text } of inside)
        this.files.push({ path: path.join(folder, relative), text, verbatim: true });
      this.diagnostics.push(
        diagnostic(
          "MPI045",
          `the notebook writes ${inside.map((f) => `'${f.relative}'`).join(", ")} into '${code}' itself; written into ${path.basename(folder)}/ beside the output, which code points at: commit them with it`,
          step,
        ),
      );
    }
    return `./${path.relative(this.documentDir, folder).split(path.sep).join("/")}`;
  }
}
