import * as fs from "fs";
import * as path from "path";
import ts from "typescript";

/** One import of one source file by another, paths relative to the source root (`config/load.ts`). */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

/** The top-level files of the source root are one unit: the flow that ties the folders together. */
export const TOP_LEVEL = "*.ts";

/** Every import between the `.ts` files under `root` (import, `import type`, export from, require, dynamic import). */
export function importEdges(root: string): ImportEdge[] {
  const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith(".ts")).sort();
  return files.flatMap((file) => {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    return ts
      .preProcessFile(text, true, true)
      .importedFiles.map((imported) => imported.fileName)
      .filter((name) => name.startsWith("."))
      .flatMap((name) => {
        const target = resolve(root, path.join(path.dirname(file), name));
        return target === undefined ? [] : [{ from: file, to: target }];
      });
  });
}

function resolve(root: string, relative: string): string | undefined {
  for (const candidate of [`${relative}.ts`, path.join(relative, "index.ts")]) {
    if (fs.existsSync(path.join(root, candidate))) return path.normalize(candidate);
  }
  return undefined;
}

/** The folder a source file belongs to (`config` for `config/schema/tags.ts`), or `TOP_LEVEL`. */
export function unitOf(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts.length > 1 ? parts[0] : TOP_LEVEL;
}

/** Imports between folders, grouped by `from unit → to unit`, each with the file imports behind it. */
export function folderGraph(edges: readonly ImportEdge[]): Map<string, Map<string, ImportEdge[]>> {
  const graph = new Map<string, Map<string, ImportEdge[]>>();
  for (const edge of edges) {
    const [from, to] = [unitOf(edge.from), unitOf(edge.to)];
    if (from === to) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    const targets = graph.get(from)!;
    targets.set(to, [...(targets.get(to) ?? []), edge]);
  }
  return graph;
}

/** A cycle of the graph as the nodes along it (first node repeated at the end), or undefined when there is none. */
export function findCycle(graph: ReadonlyMap<string, Iterable<string>>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}
