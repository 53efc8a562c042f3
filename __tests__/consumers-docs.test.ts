import { parse, stringify } from "yaml";
import { accessMatrix, repositoryPolicyDocument } from "../src/access";
import { parseConfig } from "../src/config/load";
import { documentation } from "./support/docs";
import { minimalRawConfig } from "./support/fixtures";

/** The YAML examples of docs/consumers.md, in order. */
function consumerExamples(): string[] {
  return [...documentation("docs/consumers.md").matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
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
  return parseConfig(stringify(raw), "docs/consumers.md");
}

describe("the consumer examples of docs/consumers.md", () => {
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
