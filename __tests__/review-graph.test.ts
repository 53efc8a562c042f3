import { AccessGrant, accessMatrix, granteeLabel } from "../src/access/matrix";
import { loadConfig } from "../src/checks";
import { DEFAULT_CONFIG_PATH } from "../src/config/load";
import { resolveEnvironments } from "../src/plan/environments";
import type { RegistryConfig } from "../src/config/schema";
import { GRAPH_OPEN_MAX_EDGES, accessGraph, edgeLabel, repositoryNodeLabel } from "../src/review/access-graph";
import { renderReview } from "../src/review/render";
import { reviewSnapshot } from "../src/review/snapshot";
import { documentation } from "./support/docs";
import { minimalRawConfig, validConfig } from "./support/fixtures";

// The review report's access graph: one Mermaid flowchart per environment, grantee → repository,
// each edge labelled pull, push, lambda or org. Parsed back here and compared with the access matrix.

interface ParsedGraph {
  readonly nodes: Map<string, { label: string; shape: "grantee" | "repository" }>;
  readonly edges: Array<{ from: string; label: string; to: string }>;
  /** Lines the parser did not recognise: none in a well-formed graph. */
  readonly unknown: string[];
}

/** Reads the flowchart inside one ```mermaid block. */
function parseGraph(block: string): ParsedGraph {
  const lines = block.split("\n");
  expect(lines[0]).toBe("```mermaid");
  expect(lines[1]).toBe("flowchart LR");
  expect(lines[lines.length - 1]).toBe("```");
  const nodes: ParsedGraph["nodes"] = new Map();
  const edges: ParsedGraph["edges"] = [];
  const unknown: string[] = [];
  for (const line of lines.slice(2, -1)) {
    const grantee = /^ {2}(g\d+)\["([^"]*)"\]$/.exec(line);
    const repository = /^ {2}(r\d+)\[\("([^"]*)"\)\]$/.exec(line);
    const edge = /^ {2}(g\d+) -->\|(\w+)\| (r\d+)$/.exec(line);
    const node = grantee ?? repository;
    if (node) {
      expect(nodes.has(node[1])).toBe(false);
      nodes.set(node[1], { label: node[2].replace(/#quot;/g, '"').replace(/#lt;/g, "<").replace(/#gt;/g, ">"), shape: grantee ? "grantee" : "repository" });
    } else if (edge) edges.push({ from: edge[1], label: edge[2], to: edge[3] });
    else unknown.push(line);
  }
  return { nodes, edges, unknown };
}

/** The graph's edges as `grantee label → repository: edge label`, sorted. */
function edgesByName(graph: ParsedGraph): string[] {
  return graph.edges.map((e) => `${graph.nodes.get(e.from)?.label} → ${graph.nodes.get(e.to)?.label}: ${e.label}`).sort();
}

/** The access matrix's grants of one environment (in `region`) in the same form. */
function expectedEdges(grants: readonly AccessGrant[], region: string): string[] {
  return grants.map((g) => `${granteeLabel(g.grantee)} → ${repositoryNodeLabel(g, region)}: ${edgeLabel(g)}`).sort();
}

/** Every ```mermaid block of the report's Access section, in order. */
function accessGraphs(report: string): string[] {
  const access = report.split("\n## Access\n")[1].split("\n## ")[0];
  return [...access.matchAll(/```mermaid\n[\s\S]*?\n```/g)].map((m) => m[0]);
}

describe("the access graphs of the default config's review", () => {
  let config: RegistryConfig;
  let report: string;
  beforeAll(() => {
    config = loadConfig(DEFAULT_CONFIG_PATH);
    report = renderReview(reviewSnapshot(config));
  });

  test("has one graph per environment, each with an edge for every grant of the access matrix and no other", () => {
    const matrix = accessMatrix(config);
    const environments = resolveEnvironments(config)
      .filter((e) => matrix.some((g) => g.environment === e.name))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const graphs = accessGraphs(report).map(parseGraph);
    expect(graphs).toHaveLength(environments.length);
    graphs.forEach((graph, i) => {
      expect(graph.unknown).toEqual([]);
      expect(edgesByName(graph)).toEqual(expectedEdges(matrix.filter((g) => g.environment === environments[i].name), environments[i].region));
    });
  });

  test("draws a replica in another region as a repository node of its own", () => {
    const prod = parseGraph(accessGraphs(report)[1]);
    const labels = [...prod.nodes.values()].filter((n) => n.shape === "repository").map((n) => n.label);
    expect(labels).toEqual(expect.arrayContaining(["ai-models/llm-inference", "ai-models/llm-inference (eu-west-1 replica)"]));
  });

  test("labels edges pull, push, lambda and org as the grantees' kinds and levels give", () => {
    const labels = new Set(accessGraphs(report).flatMap((block) => parseGraph(block).edges.map((e) => e.label)));
    expect([...labels].sort()).toEqual(["lambda", "org", "pull", "push"]);
  });

  test("numbers the nodes in order, draws repositories as cylinders, and leaves no node without an edge", () => {
    for (const block of accessGraphs(report)) {
      const graph = parseGraph(block);
      const ids = [...graph.nodes.keys()];
      const grantees = ids.filter((id) => id.startsWith("g"));
      const repositories = ids.filter((id) => id.startsWith("r"));
      expect(grantees).toEqual(grantees.map((_, i) => `g${i + 1}`));
      expect(repositories).toEqual(repositories.map((_, i) => `r${i + 1}`));
      expect(repositories.every((id) => graph.nodes.get(id)!.shape === "repository")).toBe(true);
      const used = new Set(graph.edges.flatMap((e) => [e.from, e.to]));
      expect(ids.filter((id) => !used.has(id))).toEqual([]);
    }
  });

  test("docs/review.md shows the prod graph as the report draws it", () => {
    const page = documentation("docs/review.md");
    const example = /<!-- access graph example: prod -->\n(```mermaid\n[\s\S]*?\n```)/.exec(page)![1];
    const prod = resolveEnvironments(config).find((e) => e.name === "prod")!;
    expect(example).toBe(accessGraph(accessMatrix(config).filter((g) => g.environment === "prod"), prod.region));
  });

  test("shows small graphs open, under a caption naming the environment", () => {
    expect(report).toContain("dev: who can do what (8 grants):\n\n```mermaid\n");
    expect(report).not.toContain("as a graph</summary>");
  });
});

test("an environment with more grants than fit at a glance gets its graph collapsed", () => {
  const count = GRAPH_OPEN_MAX_EDGES + 1;
  const raw = {
    ...minimalRawConfig(),
    repositories: Array.from({ length: count }, (_, i) => ({ name: `models/m${i}`, consumers: [{ kind: "pull", principal: "arn:aws:iam::555555555555:role/reader" }] })),
  };
  const config = validConfig(raw);
  const report = renderReview(reviewSnapshot(config));
  expect(report).toContain(`<details><summary>dev: who can do what (${count} grants) as a graph</summary>\n\n\`\`\`mermaid\n`);
  const [graph] = accessGraphs(report).map(parseGraph);
  expect(edgesByName(graph)).toEqual(expectedEdges(accessMatrix(config), "us-east-1"));
});

test("an environment without grants gets no graph", () => {
  const report = renderReview(reviewSnapshot(validConfig(minimalRawConfig())));
  expect(accessGraphs(report)).toEqual([]);
});

test("quotes and angle brackets in a label cannot end it early or become HTML", () => {
  const grant: AccessGrant = {
    environment: "dev",
    repository: 'odd"<b>name',
    grantee: { kind: "principal", arn: "arn:aws:iam::555555555555:role/reader", sameAccount: false },
    region: "us-east-1",
    level: "pull",
    actions: [],
    declaredAt: ["consumers[0]"],
  };
  const graph = parseGraph(accessGraph([grant], "us-east-1"));
  expect(graph.unknown).toEqual([]);
  expect(accessGraph([grant], "us-east-1")).toContain('r1[("odd#quot;#lt;b#gt;name")]');
  expect(edgesByName(graph)).toEqual(['arn:aws:iam::555555555555:role/reader → odd"<b>name: pull']);
});
