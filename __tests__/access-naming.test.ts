import { MAX_IAM_POLICY_NAME_LENGTH, identityPolicyId, identityPolicyName, identityPolicyOutputName, repositoryPolicyId } from "../src/naming";

const IAM_NAME = /^[\w+=,.@-]+$/;

describe("access names", () => {
  test("the repository policy shares the repository's logical id", () => {
    expect(repositoryPolicyId("ai-models/llm.v2")).toBe("ai-models__llm--v2");
  });

  test("identity policy ids and outputs are the repository id plus the level", () => {
    expect(identityPolicyId("ai-models/llm", "push")).toBe("ai-models__llm_push");
    expect(identityPolicyOutputName("ai-models/llm", "pull")).toBe("ai-models__llm_pull_policy_arn");
  });

  test("an identity policy name carries project, environment, repository and level in IAM's alphabet", () => {
    const name = identityPolicyName("model-registry", "prod", "team.a/models/bert.base", "pull");
    expect(name).toBe("model-registry-prod-team--a__models__bert--base-pull");
    expect(name).toMatch(IAM_NAME);
  });

  test("a long repository name is shortened to 128 characters with a hash that keeps names apart", () => {
    const a = identityPolicyName("model-registry", "production", `${"a".repeat(200)}/one`, "push");
    const b = identityPolicyName("model-registry", "production", `${"a".repeat(200)}/two`, "push");
    expect(a).toHaveLength(MAX_IAM_POLICY_NAME_LENGTH);
    expect(a).toMatch(/^model-registry-production-a+\.[0-9a-f]{10}-push$/);
    expect(a).toMatch(IAM_NAME);
    expect(a).not.toBe(b);
  });

  test("a name of exactly 128 characters is kept whole", () => {
    const repository = "r".repeat(MAX_IAM_POLICY_NAME_LENGTH - "p1-dev--push".length);
    expect(identityPolicyName("p1", "dev", repository, "push")).toBe(`p1-dev-${repository}-push`);
  });
});
