import {
  DEFAULT_LIFECYCLE,
  LifecyclePolicySpec,
  assignPriorities,
  countWildcards,
  ecrLifecycleRules,
  lifecyclePolicyProblems,
  renderLifecyclePolicy,
  tagPatternProblem,
} from "../src/lifecycle/policy";

function rulesOf(spec: LifecyclePolicySpec): any[] {
  return JSON.parse(renderLifecyclePolicy(spec)).rules;
}

describe("the default lifecycle policy", () => {
  const rules = rulesOf(DEFAULT_LIFECYCLE);

  test("has four rules: two protected tags, then untagged expiry, then the tagged count", () => {
    expect(rules.map((r) => r.rulePriority)).toEqual([1, 2, 3, 4]);
  });

  test("rule 1 protects prod-* images with a count they never reach", () => {
    expect(rules[0]).toEqual({
      rulePriority: 1,
      description: "Protect images tagged prod-*: later rules cannot expire them",
      selection: { tagStatus: "tagged", tagPatternList: ["prod-*"], countType: "imageCountMoreThan", countNumber: 100000 },
      action: { type: "expire" },
    });
  });

  test("rule 2 protects release-* images the same way", () => {
    expect(rules[1]).toEqual({
      rulePriority: 2,
      description: "Protect images tagged release-*: later rules cannot expire them",
      selection: { tagStatus: "tagged", tagPatternList: ["release-*"], countType: "imageCountMoreThan", countNumber: 100000 },
      action: { type: "expire" },
    });
  });

  test("rule 3 expires untagged images 14 days after push", () => {
    expect(rules[2]).toEqual({
      rulePriority: 3,
      description: "Expire untagged images 14 days after push",
      selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
      action: { type: "expire" },
    });
  });

  test("rule 4 keeps the 30 most recent tagged images", () => {
    expect(rules[3]).toEqual({
      rulePriority: 4,
      description: "Keep the 30 most recent tagged images",
      selection: { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: 30 },
      action: { type: "expire" },
    });
  });

  test("passes every check", () => {
    expect(lifecyclePolicyProblems(DEFAULT_LIFECYCLE)).toEqual([]);
  });
});

describe("rendering", () => {
  test("olderThanDays becomes sinceImagePushed counted in days", () => {
    expect(rulesOf({ protectedTags: [], rules: [{ tagStatus: "tagged", tagPatterns: ["dev-*"], olderThanDays: 7 }] })[0].selection).toEqual({
      tagStatus: "tagged",
      tagPatternList: ["dev-*"],
      countType: "sinceImagePushed",
      countUnit: "days",
      countNumber: 7,
    });
  });

  test("keepLast becomes imageCountMoreThan without a count unit", () => {
    expect(rulesOf({ protectedTags: [], rules: [{ tagStatus: "tagged", tagPrefixes: ["v"], keepLast: 5 }] })[0].selection).toEqual({
      tagStatus: "tagged",
      tagPrefixList: ["v"],
      countType: "imageCountMoreThan",
      countNumber: 5,
    });
  });

  test("a rule without a description has no description key", () => {
    expect(Object.keys(rulesOf({ protectedTags: [], rules: [{ tagStatus: "any", keepLast: 100 }] })[0])).toEqual([
      "rulePriority",
      "selection",
      "action",
    ]);
  });

  test("rules are sorted by priority whatever their order in config", () => {
    const spec: LifecyclePolicySpec = {
      protectedTags: [],
      rules: [
        { tagStatus: "any", keepLast: 100, priority: 9 },
        { tagStatus: "untagged", olderThanDays: 1, priority: 2 },
      ],
    };
    expect(rulesOf(spec).map((r) => [r.rulePriority, r.selection.tagStatus])).toEqual([
      [2, "untagged"],
      [9, "any"],
    ]);
  });

  test("each protected tag gets its own rule, because patterns in one rule must all match", () => {
    expect(ecrLifecycleRules({ protectedTags: ["prod-*", "release-*", "stable"], rules: [] }).map((r) => r.selection.tagPatternList)).toEqual([
      ["prod-*"],
      ["release-*"],
      ["stable"],
    ]);
  });

  test("is compact JSON with keys in ECR's documented order, the same for the same spec", () => {
    const text = renderLifecyclePolicy({ protectedTags: [], rules: [{ description: "d", tagStatus: "untagged", olderThanDays: 3 }] });
    expect(text).toBe(
      '{"rules":[{"rulePriority":1,"description":"d","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":3},"action":{"type":"expire"}}]}',
    );
    expect(renderLifecyclePolicy(DEFAULT_LIFECYCLE)).toBe(renderLifecyclePolicy(JSON.parse(JSON.stringify(DEFAULT_LIFECYCLE))));
  });
});

describe("priority assignment", () => {
  test("rules without a priority follow the protected tag rules in config order", () => {
    expect(
      assignPriorities({
        protectedTags: ["prod-*"],
        rules: [
          { tagStatus: "untagged", olderThanDays: 1 },
          { tagStatus: "any", keepLast: 9 },
        ],
      }),
    ).toEqual([2, 3]);
  });

  test("explicit priorities are kept and unnumbered rules come after the highest of them", () => {
    expect(
      assignPriorities({
        protectedTags: ["prod-*"],
        rules: [
          { tagStatus: "untagged", olderThanDays: 1 },
          { tagStatus: "tagged", tagPatterns: ["v*"], keepLast: 5, priority: 10 },
          { tagStatus: "any", keepLast: 9 },
        ],
      }),
    ).toEqual([11, 10, 12]);
  });
});

describe("wildcards", () => {
  test.each([
    ["prod", 0],
    ["*", 1],
    ["*test*1*2*3", 4],
    ["test*1*2*3*4*5*6", 6],
  ])("%j has %d", (pattern, count) => {
    expect(countWildcards(pattern)).toBe(count);
  });

  test("a tag pattern may have four, not five", () => {
    expect([tagPatternProblem("*test*1*2*3"), tagPatternProblem("test*1*2*3*4*")]).toEqual([undefined, "has 5 wildcards; ECR allows at most 4 '*' per tag pattern"]);
  });
});

describe("policy checks", () => {
  test("report per-rule problems first, under rules[i]", () => {
    expect(lifecyclePolicyProblems({ protectedTags: [], rules: [{ tagStatus: "untagged", tagPatterns: ["x"], olderThanDays: 1 }] })).toEqual([
      { path: ["rules", 0, "tagPatterns"], message: "is only allowed with tagStatus tagged (got untagged)" },
    ]);
  });

  test("blame protected tags for a priority clash when the rules are inherited", () => {
    expect(
      lifecyclePolicyProblems({ protectedTags: ["a", "b"], rules: [{ tagStatus: "untagged", olderThanDays: 1, priority: 2 }] }, "protectedTags"),
    ).toEqual([
      {
        path: ["protectedTags"],
        message: "2 protected tags take priorities 1-2, but the inherited rules[0] has priority 2; protected tag rules must come first",
      },
    ]);
  });
});
