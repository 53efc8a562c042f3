import { GUARDRAIL_RULE_IDS } from "../src/config/schema/guardrails";
import { minimalRawConfig, validConfig } from "./support/fixtures";
import { problemsOf } from "./support/problems";

const REASON = "Accepted for this test: the setting is deliberate and reviewed.";

/** dev and prod, a repository in both, one only in dev, and a creation template. */
function withWaivers(...waivers: Array<Record<string, unknown>>): Record<string, any> {
  return {
    ...minimalRawConfig(),
    accountId: "123456789012",
    environments: [{ name: "dev" }, { name: "prod", region: "us-west-2", manageRegistrySettings: false }],
    repositories: [{ name: "ai-models/llm" }, { name: "ai-models/scratch", environments: ["dev"] }],
    repositoryCreationTemplates: [{ prefix: "ecr-public", appliedFor: ["PULL_THROUGH_CACHE"] }],
    guardrails: { waivers },
  };
}

describe("guardrails.waivers", () => {
  test("default to none", () => {
    expect(validConfig(minimalRawConfig()).guardrails).toEqual({ waivers: [] });
  });

  test("accept a rule, its scope and a reason", () => {
    const waiver = { rule: "ecr-tag-immutability", environments: ["dev"], repositories: ["ai-models/scratch"], creationTemplates: ["ecr-public"], reason: REASON };
    expect(validConfig(withWaivers(waiver)).guardrails.waivers).toEqual([waiver]);
  });

  test("a reason is required, and must say something", () => {
    expect(problemsOf(withWaivers({ rule: "ecr-kms-encryption" }, { rule: "ecr-kms-encryption", reason: "   legacy   " }))).toEqual([
      "guardrails.waivers[0].reason: is required (expected string)",
      "guardrails.waivers[1].reason: say why the rule does not apply here, in at least 20 characters; a waiver without a reason is not accepted",
    ]);
  });

  test("an unknown rule id is an error that lists the known ones", () => {
    expect(problemsOf(withWaivers({ rule: "ECR.2", reason: REASON }))).toEqual([
      `guardrails.waivers[0].rule: must be one of ${GUARDRAIL_RULE_IDS.map((id) => JSON.stringify(id)).join(", ")} (got string "ECR.2")`,
    ]);
  });

  test("unknown environments, repositories and template prefixes are errors at their paths", () => {
    expect(
      problemsOf(withWaivers({ rule: "ecr-tag-immutability", environments: ["staging"], repositories: ["ai-models/llm", "ai-models/typo"], creationTemplates: ["quay"], reason: REASON })),
    ).toEqual([
      'guardrails.waivers[0].environments[0]: unknown environment `staging` (known: dev, prod)',
      'guardrails.waivers[0].repositories[1]: unknown repository "ai-models/typo"',
      'guardrails.waivers[0].creationTemplates[0]: unknown creation template "quay" (declared prefixes: ecr-public)',
    ]);
  });

  test("a repository or template that does not exist in the waiver's environments is an error", () => {
    expect(
      problemsOf(withWaivers({ rule: "ecr-tag-immutability", environments: ["prod"], repositories: ["ai-models/scratch"], creationTemplates: ["ecr-public"], reason: REASON })),
    ).toEqual([
      'guardrails.waivers[0].repositories[0]: repository "ai-models/scratch" does not exist in prod',
      "guardrails.waivers[0].creationTemplates[0]: creation templates exist only in environments that manage registry settings, and none of prod does",
    ]);
  });

  test("naming what the rule does not check is an error", () => {
    expect(
      problemsOf(
        withWaivers(
          { rule: "state-backend-locking", repositories: ["ai-models/llm"], reason: REASON },
          { rule: "ecr-no-force-delete", creationTemplates: ["ecr-public"], reason: REASON },
          { rule: "s3-bucket-versioning", environments: ["dev"], reason: REASON },
        ),
      ),
    ).toEqual([
      "guardrails.waivers[0].repositories: state-backend-locking does not check repositories (it checks environments); leave repositories out",
      "guardrails.waivers[1].creationTemplates: ecr-no-force-delete does not check creation templates (it checks repositories); leave creationTemplates out",
      "guardrails.waivers[2].environments: s3-bucket-versioning checks the state stack only, so environments cannot narrow it; leave environments out",
    ]);
  });

  test("empty lists, repeated names and unknown keys are errors", () => {
    expect(problemsOf(withWaivers({ rule: "ecr-kms-encryption", environments: [], repositories: ["ai-models/llm", "ai-models/llm"], reasons: "x", reason: REASON }))).toEqual([
      "guardrails.waivers[0].environments: list at least one environment, or leave the key out",
      "guardrails.waivers[0].repositories: lists a repository twice",
      'guardrails.waivers[0].reasons: unknown key; did you mean "reason"?',
    ]);
  });
});
