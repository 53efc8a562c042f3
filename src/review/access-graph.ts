import { AccessGrant, compare, granteeLabel } from "../access/matrix";

/**
 * Above this many grants an environment's graph starts collapsed: GitHub draws a Mermaid graph
 * of a few dozen edges as a picture taller than the rest of the report.
 */
export const GRAPH_OPEN_MAX_EDGES = 20;

/** An edge's label: the level for an IAM principal, the kind of grantee for Lambda and organizations (both pull). */
export function edgeLabel(grant: AccessGrant): "pull" | "push" | "lambda" | "org" {
  switch (grant.grantee.kind) {
    case "principal":
      return grant.level;
    case "lambda":
      return "lambda";
    case "organization":
      return "org";
  }
}

/** Text inside a quoted Mermaid label: quotes and angle brackets as Mermaid's entity codes, so a label never ends early or turns into HTML. */
function label(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

/** A repository node's label: its name, with the region for a replica (a repository of the same name in another region). */
export function repositoryNodeLabel(grant: AccessGrant, homeRegion: string): string {
  return grant.region === homeRegion ? grant.repository : `${grant.repository} (${grant.region} replica)`;
}

/**
 * Who can do what in one environment as a Mermaid flowchart (GitHub renders it): one node per
 * grantee (`g1`, `g2`, ... in the order of their labels) and per repository (`r1`, ... by name,
 * drawn as cylinders; a replica in another region is a node of its own), and an edge per grant
 * labelled pull, push, lambda or org. `homeRegion` is the environment's region. The same grants
 * always give the same text.
 */
export function accessGraph(grants: readonly AccessGrant[], homeRegion: string): string {
  const grantees = [...new Set(grants.map((g) => granteeLabel(g.grantee)))].sort(compare);
  const repositories = [...new Set(grants.map((g) => repositoryNodeLabel(g, homeRegion)))].sort(compare);
  const granteeIndex = new Map(grantees.map((name, i) => [name, i + 1]));
  const repositoryIndex = new Map(repositories.map((name, i) => [name, i + 1]));
  const edges = grants
    .map((g) => ({ from: granteeIndex.get(granteeLabel(g.grantee))!, to: repositoryIndex.get(repositoryNodeLabel(g, homeRegion))!, label: edgeLabel(g) }))
    .sort((a, b) => a.from - b.from || a.to - b.to);
  return [
    "```mermaid",
    "flowchart LR",
    ...grantees.map((name, i) => `  g${i + 1}["${label(name)}"]`),
    ...repositories.map((name, i) => `  r${i + 1}[("${label(name)}")]`),
    ...edges.map((e) => `  g${e.from} -->|${e.label}| r${e.to}`),
    "```",
  ].join("\n");
}
