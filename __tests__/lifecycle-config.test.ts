import { stringify } from "yaml";
import { effectiveLifecycle } from "../src/plan/lifecycle";
import { parseConfig } from "../src/checks";
import { DEFAULT_LIFECYCLE } from "../src/lifecycle/policy";
import { minimalRawConfig } from "./support/fixtures";
import { problemsOf } from "./support/problems";

/** A config whose third repository (index 2) has the given lifecycle setting. */
function withLifecycle(lifecycle: unknown): Record<string, any> {
  return { ...minimalRawConfig(), repositories: [{ name: "models/a" }, { name: "models/b" }, { name: "models/c", lifecycle }] };
}

function withRules(...rules: unknown[]): Record<string, any> {
  return withLifecycle({ protectedTags: ["prod-*"], rules });
}

const untagged14 = { tagStatus: "untagged", olderThanDays: 14 };

describe("which lifecycle a repository gets", () => {
  function resolved(raw: Record<string, any>, index = 0) {
    const config = parseConfig(stringify(raw), "t");
    return effectiveLifecycle(config.lifecycle, config.repositories[index].lifecycle);
  }

  test("without any lifecycle setting, the built-in default", () => {
    expect(resolved(minimalRawConfig())).toEqual(DEFAULT_LIFECYCLE);
  });

  test("enabled: false on the repository: none", () => {
    expect(resolved({ ...minimalRawConfig(), repositories: [{ name: "ab", lifecycle: { enabled: false } }] })).toBeUndefined();
  });

  test("enabled: false registry-wide: none for repositories without their own", () => {
    expect(resolved({ ...minimalRawConfig(), lifecycle: { enabled: false } })).toBeUndefined();
  });

  test("the registry-wide setting replaces the default field by field", () => {
    expect(resolved({ ...minimalRawConfig(), lifecycle: { protectedTags: ["stable-*"] } })).toEqual({
      protectedTags: ["stable-*"],
      rules: DEFAULT_LIFECYCLE.rules,
    });
  });

  test("a repository's fields win over the registry-wide ones, which fill in the rest", () => {
    const raw = {
      ...minimalRawConfig(),
      lifecycle: { protectedTags: ["stable-*"] },
      repositories: [{ name: "ab", lifecycle: { rules: [untagged14] } }],
    };
    expect(resolved(raw)).toEqual({ protectedTags: ["stable-*"], rules: [{ tagStatus: "untagged", olderThanDays: 14 }] });
  });

  test("a repository may opt in with its own fields when the registry-wide default is off; the rest is built in", () => {
    const raw = { ...minimalRawConfig(), lifecycle: { enabled: false }, repositories: [{ name: "ab", lifecycle: { protectedTags: [] } }] };
    expect(resolved(raw)).toEqual({ protectedTags: [], rules: DEFAULT_LIFECYCLE.rules });
  });

  test("tagStatus defaults to tagged", () => {
    expect(resolved(withLifecycle({ rules: [{ tagPatterns: ["v*"], keepLast: 3 }] }), 2)!.rules[0]).toEqual({
      tagStatus: "tagged",
      tagPatterns: ["v*"],
      keepLast: 3,
    });
  });
});

describe("lifecycle validation (ECR's rules)", () => {
  test("priorities must be unique", () => {
    expect(problemsOf(withRules({ ...untagged14, priority: 5 }, { tagPatterns: ["v*"], keepLast: 3, priority: 5 }))).toEqual([
      "repositories[2].lifecycle.rules[1].priority: priority 5 is already used by rules[0]; priorities must be unique",
    ]);
  });

  test("an explicit priority may not take a protected tag rule's place", () => {
    expect(problemsOf(withRules({ ...untagged14, priority: 1 }))).toEqual([
      "repositories[2].lifecycle.rules[0].priority: priority 1 belongs to the protected tag rule, which must come first; use 2 or more",
    ]);
  });

  test("only one rule may select untagged images", () => {
    expect(problemsOf(withRules(untagged14, { tagStatus: "untagged", keepLast: 5 }))).toEqual([
      "repositories[2].lifecycle.rules[1].tagStatus: rules[0] already selects untagged images; ECR allows only one rule with tagStatus untagged",
    ]);
  });

  test("a tagStatus any rule must have the highest priority number", () => {
    expect(problemsOf(withRules({ tagStatus: "any", keepLast: 50 }, untagged14))).toEqual([
      "repositories[2].lifecycle.rules[0].tagStatus: a rule with tagStatus any must be evaluated last (highest priority number), but its priority is 2 and another rule has 3; move it to the end or give it the highest priority",
    ]);
  });

  test("a tagStatus any rule last is accepted", () => {
    expect(parseConfig(stringify(withRules(untagged14, { tagStatus: "any", keepLast: 50 })), "t").repositories[2].lifecycle?.rules?.map((r) => r.tagStatus)).toEqual([
      "untagged",
      "any",
    ]);
  });

  test("a tagged rule needs tagPrefixes or tagPatterns", () => {
    expect(problemsOf(withRules({ tagStatus: "tagged", keepLast: 3 }))).toEqual([
      "repositories[2].lifecycle.rules[0]: a rule with tagStatus tagged needs tagPrefixes or tagPatterns to say which tags it selects",
    ]);
  });

  test("an untagged rule may not select by tag prefix", () => {
    expect(problemsOf(withRules({ ...untagged14, tagPrefixes: ["v"] }))).toEqual([
      "repositories[2].lifecycle.rules[0].tagPrefixes: is only allowed with tagStatus tagged (got untagged)",
    ]);
  });

  test("an any rule may not select by tag pattern", () => {
    expect(problemsOf(withRules({ tagStatus: "any", tagPatterns: ["v*"], keepLast: 3 }))).toEqual([
      "repositories[2].lifecycle.rules[0].tagPatterns: is only allowed with tagStatus tagged (got any)",
    ]);
  });

  test("a rule may not use both tagPrefixes and tagPatterns", () => {
    expect(problemsOf(withRules({ tagPrefixes: ["v"], tagPatterns: ["v*"], keepLast: 3 }))).toEqual([
      "repositories[2].lifecycle.rules[0].tagPatterns: use either tagPrefixes or tagPatterns in one rule, not both (ECR rejects both)",
    ]);
  });

  test("a protected tag may have at most four wildcards too", () => {
    expect(problemsOf(withLifecycle({ protectedTags: ["*a*b*c*d*"] }))).toEqual([
      "repositories[2].lifecycle.protectedTags[0]: has 5 wildcards; ECR allows at most 4 '*' per tag pattern",
    ]);
  });

  test("a tag prefix may not contain a wildcard", () => {
    expect(problemsOf(withRules({ tagPrefixes: ["v*"], keepLast: 3 }))).toEqual([
      "repositories[2].lifecycle.rules[0].tagPrefixes[0]: tag prefixes may contain letters, digits, '.', '_' and '-', and start with a letter, digit or '_' (wildcards belong in tagPatterns)",
    ]);
  });

  test("a tag pattern may only contain tag characters and *", () => {
    expect(problemsOf(withRules({ tagPatterns: ["v1/*"], keepLast: 3 }))).toEqual([
      "repositories[2].lifecycle.rules[0].tagPatterns[0]: tag patterns may contain letters, digits, '.', '_', '-' and the '*' wildcard",
    ]);
  });

  test("a rule needs exactly one of keepLast and olderThanDays (olderThanDays is always counted in days)", () => {
    expect(problemsOf(withRules({ tagPatterns: ["v*"], keepLast: 3, olderThanDays: 30 }))).toEqual([
      "repositories[2].lifecycle.rules[0]: give exactly one of keepLast (keep the N most recent images) and olderThanDays (expire images pushed more than N days ago)",
    ]);
  });

  test("a rule without a count is rejected the same way", () => {
    expect(problemsOf(withRules({ tagPatterns: ["v*"] }))).toEqual([
      "repositories[2].lifecycle.rules[0]: give exactly one of keepLast (keep the N most recent images) and olderThanDays (expire images pushed more than N days ago)",
    ]);
  });

  test.each([
    ["keepLast", 0, "keepLast must be at least 1"],
    ["olderThanDays", -3, "olderThanDays must be at least 1"],
    ["olderThanDays", 1.5, "olderThanDays must be a whole number"],
    ["priority", 0, "priorities must be at least 1"],
  ])("%s %j is rejected", (key, value, message) => {
    const rule = key === "keepLast" ? { tagPatterns: ["v*"], keepLast: value } : { ...untagged14, [key]: value };
    expect(problemsOf(withRules(rule))).toEqual([`repositories[2].lifecycle.rules[0].${key}: ${message}`]);
  });

  test("two rules may not select the same tags", () => {
    expect(problemsOf(withRules({ tagPatterns: ["v*", "gpu"], keepLast: 3 }, { tagPatterns: ["gpu", "v*"], olderThanDays: 90 }))).toEqual([
      "repositories[2].lifecycle.rules[1].tagPatterns: selects the same tags as rules[0]; ECR requires every rule to select a different set of tags",
    ]);
  });

  test("a rule may not select exactly a protected tag", () => {
    expect(problemsOf(withRules({ tagPatterns: ["prod-*"], keepLast: 3 }))).toEqual([
      'repositories[2].lifecycle.rules[0].tagPatterns: selects the same tags as protected tag "prod-*" (protectedTags[0]); ECR requires every rule to select a different set of tags',
    ]);
  });

  test("a protected tag may not be listed twice", () => {
    expect(problemsOf(withLifecycle({ protectedTags: ["prod-*", "prod-*"] }))).toEqual([
      'repositories[2].lifecycle.protectedTags[1]: is listed twice (first as protected tag "prod-*" (protectedTags[0]))',
    ]);
  });

  test("a policy may have at most 50 rules, counting protected tags", () => {
    const protectedTags = Array.from({ length: 49 }, (_, i) => `keep-${i}-*`);
    expect(problemsOf(withLifecycle({ protectedTags, rules: [untagged14, { tagPatterns: ["*"], keepLast: 30 }] }))).toEqual([
      "repositories[2].lifecycle: renders 51 rules (49 protected tags + 2 rules); ECR allows at most 50 per lifecycle policy",
    ]);
  });

  test("a policy may have at most 30,720 characters", () => {
    const rules = Array.from({ length: 40 }, (_, i) => ({ description: "x".repeat(700), tagPatterns: [`v${i}-*`], keepLast: 3 }));
    expect(problemsOf(withLifecycle({ protectedTags: [], rules }))).toEqual([
      expect.stringMatching(/^repositories\[2\]\.lifecycle: renders to 3\d{4} characters; ECR allows at most 30720 per lifecycle policy$/),
    ]);
  });

  test("a policy needs at least one rule", () => {
    expect(problemsOf(withLifecycle({ protectedTags: [], rules: [] }))).toEqual([
      "repositories[2].lifecycle: has no protected tags and no rules; ECR needs at least one rule (write enabled: false for no policy)",
    ]);
  });

  test("rules next to enabled: false are an error, since they would do nothing", () => {
    expect(problemsOf(withLifecycle({ enabled: false, rules: [untagged14] }))).toEqual([
      "repositories[2].lifecycle.rules: has no effect with enabled: false; remove it or enable the lifecycle policy",
    ]);
  });

  test("a type error deep in a rule keeps its path", () => {
    expect(problemsOf(withRules({ tagPatterns: ["v*"], keepLast: "5" }))).toEqual([
      'repositories[2].lifecycle.rules[0].keepLast: expected number, got string "5"',
    ]);
  });

  test("unknown rule keys are errors", () => {
    expect(problemsOf(withRules({ ...untagged14, countUnit: "days" }))).toEqual([
      "repositories[2].lifecycle.rules[0].countUnit: unknown key (check the spelling; docs/configuration.md lists every key)",
    ]);
  });

  test("a repository's protected tags that collide with inherited rule priorities are reported on its protectedTags", () => {
    const raw = {
      ...minimalRawConfig(),
      lifecycle: { protectedTags: [], rules: [{ ...untagged14, priority: 2 }] },
      repositories: [{ name: "ab", lifecycle: { protectedTags: ["prod-*", "release-*"] } }],
    };
    expect(problemsOf(raw)).toEqual([
      "repositories[0].lifecycle.protectedTags: 2 protected tags take priorities 1-2, but the inherited rules[0] has priority 2; protected tag rules must come first",
    ]);
  });
});
