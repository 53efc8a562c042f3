import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { parseConfig } from "../src/checks";
import { PROJECT_ROOT, synthJson } from "./support/fixtures";
import { twoAccountConfig } from "./support/problems";

const page = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "replication.md"), "utf8");
/** The page's blocks marked `# registry.yaml excerpt`, as data. */
const excerpts = [...page.matchAll(/```yaml\n(\s*# registry\.yaml excerpt[^\n]*\n[\s\S]*?)```/g)].map((match) => {
  const lines = match[1].split("\n");
  const indent = /^\s*/.exec(lines[0])![0].length;
  return parse(lines.map((l) => l.slice(indent)).join("\n")) as Record<string, any>;
});

describe("docs/replication.md", () => {
  test("has its examples: the inference region, a per-region key, consumer regions and a retired region", () => {
    expect(excerpts.map((e) => Object.keys(e).sort())).toEqual([["consumers", "replication"], ["replication"], ["consumers"], ["replication"]]);
  });

  test.each(excerpts.map((e, i) => [i, e]))("example %i is valid config over dev and prod (with the first example's replication)", (_i, excerpt) => {
    const replication = "replication" in excerpt ? {} : { replication: excerpts[0].replication };
    expect(() => parseConfig(stringify({ ...twoAccountConfig(), ...replication, ...excerpt }), "docs/replication.md")).not.toThrow();
  });

  test("the resources its table lists are what the prod stack of the first example declares in eu-west-1", () => {
    const json = synthJson({ ...twoAccountConfig({ repositories: [{ name: "ai-models/llm-inference" }] }), ...excerpts[0] }, "prod");
    const table = page.slice(page.indexOf("| Resource | What it is |"), page.indexOf("\n\n", page.indexOf("| Resource | What it is |")));
    const documented = [...table.matchAll(/`(aws_[a-z_]+)\.([a-z_<>-]+)__eu-west-1`/g)].map((m) => m[1]).sort();
    const declared = Object.entries(json.resource as Record<string, Record<string, any>>)
      .filter(([, byId]) => Object.keys(byId).some((id) => id.endsWith("__eu-west-1")))
      .map(([type]) => type)
      .sort();
    expect(declared).toEqual([...new Set(documented)]);
    expect(json.provider.aws.map((p: any) => p.alias)).toEqual([undefined, "eu-west-1"]);
    expect(Object.keys(json.output).filter((o) => o.includes("eu-west-1")).sort()).toEqual([
      "ai-models__llm-inference_eu-west-1_repository_arn",
      "ai-models__llm-inference_eu-west-1_repository_url",
    ]);
  });

  test("the README links it", () => {
    expect(fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8")).toContain("](docs/replication.md)");
  });
});
