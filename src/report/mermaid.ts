// A source pipeline as a Mermaid flowchart (rendered by GitHub and Azure DevOps in pull
// requests): each step a node labelled with its name and type, each data edge labelled
// with the data's name, and the nodes styled by what became of them.

import type { NodeStatus, PipelineRecord } from "./model.js";

/** The class of each status, and how it is drawn. */
const STYLES: Record<NodeStatus, { name: string; style: string }> = {
  converted: { name: "converted", style: "fill:#dff5e1,stroke:#2e7d32,color:#1b1b1b" },
  manual: { name: "manual", style: "fill:#fff4cc,stroke:#b58900,color:#1b1b1b" },
  "left out": {
    name: "leftout",
    style: "fill:#fde2e1,stroke:#c62828,color:#1b1b1b,stroke-dasharray:5 3",
  },
  "not converted": { name: "kept", style: "fill:#eeeeee,stroke:#757575,color:#1b1b1b" },
};

/** Text inside a quoted Mermaid label: every character that could end the label or be
 * read as markup is written as an entity code (`#35;` style). */
function label(text: string): string {
  return [...text]
    .map((c) => (/[A-Za-z0-9 _.,:/()=+-]/.test(c) ? c : `#${c.codePointAt(0)};`))
    .join("");
}

export function mermaidFlowchart(pipeline: PipelineRecord): string {
  const lines = ["flowchart LR"];
  pipeline.nodes.forEach((node, i) =>
    lines.push(
      `  n${i}["${label(node.name)}<br/>${label(`${node.type} (${node.status})`)}"]:::${STYLES[node.status].name}`,
    ),
  );
  for (const edge of pipeline.edges)
    lines.push(`  n${edge.from} -->|"${label(edge.data)}"| n${edge.to}`);
  const used = new Set(pipeline.nodes.map((node) => node.status));
  for (const status of used)
    lines.push(`  classDef ${STYLES[status].name} ${STYLES[status].style}`);
  return lines.join("\n");
}
