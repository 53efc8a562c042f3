import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { accessMatrix } from "../src/access/matrix";
import { repositoryPolicyDocument } from "../src/policies/repository-policy";
import { parseConfig } from "../src/checks";
import { PROJECT_ROOT, minimalRawConfig } from "./support/fixtures";

/** The YAML examples of the README's consumer section, in order. */
function consumerExamples(): string[] {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
  const start = readme.indexOf("## Consumers");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** A config in us-east-1 with dev and prod in two accounts, plus an example's keys. */
function configWith(example: string) {
  const raw = {
    ...minimalRawConfig(),
    environments: [
      { name: "dev", accountId: "111111111111" },
      { name: "prod", accountId: "222222222222" },
    ],
    ...parse(example),
  };
  return parseConfig(stringify(raw), "README example");
}

describe("the README's consumer examples", () => {
  const examples = consumerExamples();

  test("show every kind", () => {
    const kinds = new Set(examples.flatMap((e) => [...e.matchAll(/kind: (\w+)/g)].map((m) => m[1])));
    expect([...kinds].sort()).toEqual(["lambda", "organization", "pull", "push"]);
  });

  test.each(examples.map((e, i) => [i, e]))("example %i is a valid config that grants access", (_, example) => {
    const config = configWith(example as string);
    const grants = accessMatrix(config);
    expect(grants.length).toBeGreaterThan(0);
    // Every repository and environment with grants gets a policy that passes the least-privilege guard.
    for (const environment of ["dev", "prod"]) {
      const ofRepository = grants.filter((g) => g.environment === environment && g.repository === "ai-models/llm");
      if (ofRepository.length > 0) expect(repositoryPolicyDocument(ofRepository)?.Statement.length).toBeGreaterThan(0);
    }
  });
});
