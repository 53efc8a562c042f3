import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ImportEdge, TOP_LEVEL, findCycle, folderGraph, importEdges, unitOf } from "./support/import-graph";

const SRC = path.join(__dirname, "..", "src");
const DESIGN = path.join(__dirname, "..", "docs", "design.md");

/** The rows of docs/design.md's folder table, in order: each folder (`config`, or `*.ts`) and the folders it may import. */
function designRows(markdown: string): Array<{ unit: string; mayImport: string[] }> {
  const start = markdown.indexOf("| Folder | Its job | May import |");
  const table = markdown.slice(start, markdown.indexOf("\n\n", start));
  return table
    .split("\n")
    .slice(2)
    .map((line) => {
      const cells = line.split(" | ");
      const names = (cell: string) => [...cell.matchAll(/`([a-z-]+\/|\*\.ts)`/g)].map((m) => m[1].replace(/\/$/, ""));
      return { unit: names(cells[0])[0], mayImport: names(cells[cells.length - 1]) };
    });
}

/** `a → b` edges as text, each with the first file import behind it. */
function describeEdges(graph: Map<string, Map<string, ImportEdge[]>>, cycle: readonly string[]): string {
  return cycle
    .slice(0, -1)
    .map((from, i) => {
      const edge = graph.get(from)!.get(cycle[i + 1])![0];
      return `${from} → ${cycle[i + 1]} (${edge.from} imports ${edge.to})`;
    })
    .join("\n");
}

describe("the import graph of src/", () => {
  const edges = importEdges(SRC);
  const graph = folderGraph(edges);

  test("has no cycle between folders: data flows one way", () => {
    const cycle = findCycle(new Map([...graph].map(([from, targets]) => [from, targets.keys()])));
    expect(cycle === undefined ? "no cycle" : describeEdges(graph, cycle)).toBe("no cycle");
  });

  test("has a row in docs/design.md for every folder, and only those", () => {
    const units = new Set([...edges.map((e) => unitOf(e.from)), ...fs.readdirSync(SRC).filter((f) => !f.includes("."))]);
    expect(designRows(fs.readFileSync(DESIGN, "utf8")).map((r) => r.unit).sort()).toEqual([...units, TOP_LEVEL].filter((u, i, all) => all.indexOf(u) === i).sort());
  });

  test("imports across folders only as docs/design.md allows", () => {
    const allowed = new Map(designRows(fs.readFileSync(DESIGN, "utf8")).map((r) => [r.unit, r.mayImport]));
    const disallowed = [...graph].flatMap(([from, targets]) =>
      [...targets].filter(([to]) => !allowed.get(from)?.includes(to)).map(([to, behind]) => `${from} → ${to} (${behind[0].from} imports ${behind[0].to})`),
    );
    expect(disallowed).toEqual([]);
  });

  test("the table in docs/design.md is layered: each folder may import only folders listed above it", () => {
    const rows = designRows(fs.readFileSync(DESIGN, "utf8"));
    const upward = rows.flatMap((row, i) => row.mayImport.filter((to) => rows.findIndex((r) => r.unit === to) >= i).map((to) => `${row.unit} → ${to}`));
    expect(upward).toEqual([]);
  });

  test("is read from the sources: the plan imports the naming layer, and nothing imports the commands but the top level", () => {
    expect(edges).toContainEqual({ from: path.join("plan", "backend.ts"), to: path.join("naming", "index.ts") });
    const intoCommands = edges.filter((e) => unitOf(e.to) === "commands" && unitOf(e.from) !== "commands");
    expect(intoCommands).toEqual([]);
  });
});

describe("reading an import graph", () => {
  test("sees import, import type, export from, require and dynamic import, resolving folders to their index", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "ecr-model-registry-imports-"));
    try {
      for (const dir of ["a", "b", "c", "d", "e"]) fs.mkdirSync(path.join(root, dir));
      fs.writeFileSync(path.join(root, "b", "index.ts"), "export const b = 1;\n");
      fs.writeFileSync(path.join(root, "c", "c.ts"), "export type C = number;\n");
      fs.writeFileSync(path.join(root, "d", "d.ts"), "export const d = 1;\n");
      fs.writeFileSync(path.join(root, "e", "e.ts"), "export const e = 1;\n");
      fs.writeFileSync(path.join(root, "top.ts"), "export const top = 1;\n");
      fs.writeFileSync(
        path.join(root, "a", "a.ts"),
        [
          'import { b } from "../b";',
          'import type { C } from "../c/c";',
          'export { d } from "../d/d";',
          'const e = require("../e/e");',
          'const top = () => import("../top");',
          'import { z } from "zod";',
        ].join("\n"),
      );
      const found = importEdges(root).filter((e) => e.from === path.join("a", "a.ts"));
      expect(found.map((e) => e.to).sort()).toEqual([path.join("b", "index.ts"), path.join("c", "c.ts"), path.join("d", "d.ts"), path.join("e", "e.ts"), "top.ts"]);
      expect([...folderGraph(found).get("a")!.keys()].sort()).toEqual([TOP_LEVEL, "b", "c", "d", "e"].sort());
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test("a cycle through three folders is found and named in order", () => {
    const graph = new Map([
      ["config", ["naming"]],
      ["access", ["config"]],
      ["checks", ["access"]],
      ["naming", ["checks"]],
    ]);
    expect(findCycle(graph)).toEqual(["access", "config", "naming", "checks", "access"]);
  });

  test("a graph that only flows one way has no cycle", () => {
    expect(findCycle(new Map([["stacks", ["constructs", "config"]], ["constructs", ["config"]], ["config", []]]))).toBeUndefined();
  });
});
