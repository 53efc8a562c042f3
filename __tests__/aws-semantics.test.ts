import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "./support/fixtures";

/** The rows of the table in docs/aws-semantics.md, as cells. */
function rows(): string[][] {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "aws-semantics.md"), "utf8");
  return text
    .split("\n")
    .filter((line) => /^\| \d+[a-z]? \|/.test(line))
    .map((line) => line.slice(1, -1).split(" | ").map((cell) => cell.trim()));
}

/** The `file › describe › test` references of a cell. */
function testReferences(cell: string): string[][] {
  return [...cell.matchAll(/`([\w-]+\.test\.ts(?: › [^`]+)+)`/g)].map((m) => m[1].split(" › "));
}

describe("docs/aws-semantics.md", () => {
  const table = rows();

  test("has a row for each of the five review findings, the replicas, the identity-policy rows and the behaviours the README relied on", () => {
    expect(table.map((r) => r[0])).toEqual(["1", "1a", "2", "2a", "2b", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"]);
  });

  test("cites an AWS document in every row", () => {
    for (const row of table) expect(row[2]).toMatch(/\]\(https:\/\/(docs\.aws\.amazon\.com|repost\.aws)\//);
  });

  test("names in every row tests that exist, by their literal describe and test names", () => {
    const missing: string[] = [];
    for (const row of table) {
      const references = testReferences(row[4]);
      expect(references.length).toBeGreaterThan(0);
      for (const [file, ...names] of references) {
        const source = fs.readFileSync(path.join(PROJECT_ROOT, "__tests__", file), "utf8");
        for (const name of names) if (!source.includes(JSON.stringify(name))) missing.push(`${file}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test("is linked from the README", () => {
    expect(fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8")).toContain("(docs/aws-semantics.md)");
  });
});
