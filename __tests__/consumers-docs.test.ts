import { parse, stringify } from "yaml";
import { accessMatrix } from "../src/access/matrix";
import { repositoryPolicyDocument } from "../src/policies/repository-policy";
import { parseConfig } from "../src/checks";
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

  test.each(examples.map((e, i) => [i, e]))("example %i is a valid config that grants each of its consumers in a policy that passes the least-privilege guard", (_, example) => {
    const config = configWith(example as string);
    const grants = accessMatrix(config);
    // Each consumer the example declares is granted somewhere (its kind decides the level).
    const declared = [
      ...(config.consumers ?? []).map((_, i) => `consumers[${i}]`),
      ...config.repositories.flatMap((r, i) => (r.consumers ?? []).map((_, j) => `repositories[${i}].consumers[${j}]`)),
    ];
    expect(declared.length).toBeGreaterThan(0);
    expect(declared.filter((path) => !grants.some((g) => g.declaredAt.includes(path)))).toEqual([]);
    // Every repository and environment with grants gets a policy, built through the guard.
    const withGrants = [...new Set(grants.map((g) => `${g.environment}\0${g.repository}`))];
    for (const key of withGrants) {
      const [environment, repository] = key.split("\0");
      const policy = repositoryPolicyDocument(grants.filter((g) => g.environment === environment && g.repository === repository));
      expect(policy?.Statement.length).toBeGreaterThan(0);
    }
  });
});
