import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { DEFAULT_CONFIG_PATH } from "../src/config/load";
import { loadConfig } from "../src/checks";
import { minimalRawConfig, synthEnvironment, synthJson } from "./support/fixtures";

function withRepositories(...repositories: Array<Record<string, unknown>>): Record<string, any> {
  return { ...minimalRawConfig(), repositories };
}

function policyRules(json: any, id: string): any[] {
  return JSON.parse(json.resource.aws_ecr_lifecycle_policy[id].policy).rules;
}

describe("a repository's lifecycle policy", () => {
  test("is the default for a repository without a lifecycle setting, attached by reference to the repository", () => {
    expect(synthEnvironment(withRepositories({ name: "ai-models/llm" }))).toHaveResourceWithProperties(EcrLifecyclePolicy, {
      repository: "${aws_ecr_repository.ai-models__llm.name}",
    });
  });

  test("renders the default rules as a JSON string, rule by rule", () => {
    const rules = policyRules(synthJson(withRepositories({ name: "ai-models/llm" })), "ai-models__llm");
    expect(rules).toEqual([
      {
        rulePriority: 1,
        description: "Protect images tagged prod-*: later rules cannot expire them",
        selection: { tagStatus: "tagged", tagPatternList: ["prod-*"], countType: "imageCountMoreThan", countNumber: 100000 },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: "Protect images tagged release-*: later rules cannot expire them",
        selection: { tagStatus: "tagged", tagPatternList: ["release-*"], countType: "imageCountMoreThan", countNumber: 100000 },
        action: { type: "expire" },
      },
      {
        rulePriority: 3,
        description: "Expire untagged images 14 days after push",
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
        action: { type: "expire" },
      },
      {
        rulePriority: 4,
        description: "Keep the 30 most recent tagged images",
        selection: { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: 30 },
        action: { type: "expire" },
      },
    ]);
  });

  test("is a literal string, identical across synths of the same config", () => {
    const first = synthJson(withRepositories({ name: "ab" })).resource.aws_ecr_lifecycle_policy.ab.policy;
    const second = synthJson(withRepositories({ name: "ab" })).resource.aws_ecr_lifecycle_policy.ab.policy;
    expect(typeof first).toBe("string");
    expect(first).not.toContain("${");
    expect(second).toBe(first);
  });

  test("gets a logical id derived from the repository name", () => {
    const json = synthJson(withRepositories({ name: "team.a/models_v2" }, { name: "cd" }));
    expect(Object.keys(json.resource.aws_ecr_lifecycle_policy).sort()).toEqual(["cd", "team--a__models_v2"]);
  });

  test("follows the repository's own rules, keeping the inherited protected tags", () => {
    const raw = withRepositories({
      name: "ab",
      lifecycle: { rules: [{ description: "Keep 5 versions", tagPatterns: ["v*"], keepLast: 5 }, { tagStatus: "any", olderThanDays: 365 }] },
    });
    expect(policyRules(synthJson(raw), "ab").map((r) => [r.rulePriority, r.selection])).toEqual([
      [1, { tagStatus: "tagged", tagPatternList: ["prod-*"], countType: "imageCountMoreThan", countNumber: 100000 }],
      [2, { tagStatus: "tagged", tagPatternList: ["release-*"], countType: "imageCountMoreThan", countNumber: 100000 }],
      [3, { tagStatus: "tagged", tagPatternList: ["v*"], countType: "imageCountMoreThan", countNumber: 5 }],
      [4, { tagStatus: "any", countType: "sinceImagePushed", countUnit: "days", countNumber: 365 }],
    ]);
  });

  test("uses explicit priorities as written", () => {
    const raw = withRepositories({
      name: "ab",
      lifecycle: { protectedTags: [], rules: [{ tagStatus: "untagged", olderThanDays: 1, priority: 10 }, { tagPrefixes: ["nightly-"], olderThanDays: 7, priority: 20 }] },
    });
    expect(policyRules(synthJson(raw), "ab").map((r) => r.rulePriority)).toEqual([10, 20]);
  });

  test("is absent for a repository with enabled: false", () => {
    const json = synthJson(withRepositories({ name: "ab", lifecycle: { enabled: false } }, { name: "cd" }));
    expect(Object.keys(json.resource.aws_ecr_lifecycle_policy)).toEqual(["cd"]);
  });

  test("is absent everywhere when the registry-wide lifecycle is disabled", () => {
    const json = synthJson({ ...withRepositories({ name: "ab" }), lifecycle: { enabled: false } });
    expect(json.resource.aws_ecr_lifecycle_policy).toBeUndefined();
  });

  test("follows the registry-wide setting", () => {
    const json = synthJson({ ...withRepositories({ name: "ab" }), lifecycle: { protectedTags: ["stable"], rules: [{ tagStatus: "untagged", keepLast: 1 }] } });
    expect(policyRules(json, "ab").map((r) => r.selection)).toEqual([
      { tagStatus: "tagged", tagPatternList: ["stable"], countType: "imageCountMoreThan", countNumber: 100000 },
      { tagStatus: "untagged", countType: "imageCountMoreThan", countNumber: 1 },
    ]);
  });
});

describe("the embedded registry.yaml", () => {
  test("shows a registry-wide policy, a per-repository override and an any rule", () => {
    const json = synthJson(loadConfig(DEFAULT_CONFIG_PATH), "dev");
    expect(policyRules(json, "ai-model-repository").map((r) => r.description)).toEqual([
      "Protect images tagged prod-*: later rules cannot expire them",
      "Protect images tagged release-*: later rules cannot expire them",
      "Expire untagged images 14 days after push",
      "Keep the 30 most recent tagged images",
    ]);
    expect(policyRules(json, "ai-models__llm-inference").map((r) => [r.rulePriority, r.selection.tagPatternList ?? r.selection.tagStatus])).toEqual([
      [1, ["prod-*"]],
      [2, ["release-*"]],
      [3, "untagged"],
      [4, ["v*"]],
      [5, ["*"]],
    ]);
    expect(policyRules(json, "ai-models__vision-classifier")).toEqual([
      {
        rulePriority: 1,
        description: "Expire every image 30 days after push",
        selection: { tagStatus: "any", countType: "sinceImagePushed", countUnit: "days", countNumber: 30 },
        action: { type: "expire" },
      },
    ]);
  });
});
