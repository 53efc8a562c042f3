import { EcrRegistryScanningConfiguration } from "@cdktf/provider-aws/lib/ecr-registry-scanning-configuration";
import { scanFilterCoversPrefix, scanFilterMatches } from "../src/config/schema/scanning";
import { minimalRawConfig, synthEnvironment, synthJson } from "./support/fixtures";
import { problemsOf } from "./support/problems";

function config(scanning: unknown, ...repositories: Array<Record<string, unknown>>): Record<string, any> {
  return { ...minimalRawConfig(), scanning, repositories: repositories.length ? repositories : [{ name: "ai-models/llm" }] };
}

const wildcard = (filter: string) => ({ filter, filter_type: "WILDCARD" });

describe("ECR's filter matching", () => {
  // The table in the Amazon ECR User Guide, "Filters to choose which repositories are scanned".
  const names = ["prod", "repo-prod", "prod-repo", "repo-prod-repo", "prodrepo"];
  test.each([
    ["prod", [true, true, true, true, true]],
    ["*prod", [true, true, false, false, false]],
    ["prod*", [true, false, true, false, true]],
    ["*prod*", [true, true, true, true, true]],
    ["prod*repo", [false, false, true, false, true]],
  ])("filter %j matches as in ECR's table", (filter, expected) => {
    expect(names.map((name) => scanFilterMatches(filter, name))).toEqual(expected);
  });

  test.each([
    ["*", "ROOT", true],
    ["ai-models/*", "ROOT", false],
    ["ecr-public/*", "ecr-public", true],
    ["ecr-*", "ecr-public", true],
    ["ecr-public", "ecr-public", true],
    ["*public*", "ecr-public", true],
    ["ecr-public/x*", "ecr-public", false],
    ["quay/*", "ecr-public", false],
  ])("filter %j covers everything under prefix %j: %s", (filter, prefix, covers) => {
    expect(scanFilterCoversPrefix(filter, prefix)).toBe(covers);
  });
});

describe("explicit scanning rules", () => {
  test("are rendered as written, with WILDCARD filters", () => {
    const raw = config(
      {
        type: "ENHANCED",
        rules: [
          { frequency: "CONTINUOUS_SCAN", filters: ["ai-models/*"] },
          { frequency: "SCAN_ON_PUSH", filters: ["*"] },
        ],
      },
      { name: "ai-models/llm" },
      { name: "base/python" },
    );
    expect(synthEnvironment(raw)).toHaveResourceWithProperties(EcrRegistryScanningConfiguration, {
      scan_type: "ENHANCED",
      rule: [
        { scan_frequency: "CONTINUOUS_SCAN", repository_filter: [wildcard("ai-models/*")] },
        { scan_frequency: "SCAN_ON_PUSH", repository_filter: [wildcard("*")] },
      ],
    });
  });

  test("an empty list leaves every repository unscanned, which repositories must agree with", () => {
    const raw = config({ type: "BASIC", rules: [] }, { name: "ab", scanOnPush: false });
    expect(synthJson(raw).resource.aws_ecr_registry_scanning_configuration.registry.rule).toEqual([]);
  });

  test("CONTINUOUS_SCAN needs ENHANCED scanning", () => {
    expect(problemsOf(config({ type: "BASIC", rules: [{ frequency: "CONTINUOUS_SCAN", filters: ["*"] }] }))).toEqual([
      "scanning.rules[0].frequency: CONTINUOUS_SCAN needs scanning type ENHANCED (Amazon Inspector); BASIC scanning supports SCAN_ON_PUSH only",
    ]);
  });

  test("each frequency has one rule", () => {
    const rules = [
      { frequency: "SCAN_ON_PUSH", filters: ["a*"] },
      { frequency: "SCAN_ON_PUSH", filters: ["*"] },
    ];
    expect(problemsOf(config({ type: "ENHANCED", rules }))).toEqual([
      "scanning.rules[1].frequency: rules[0] is already the SCAN_ON_PUSH rule; put all of a frequency's filters in one rule",
    ]);
  });

  test("at most two rules", () => {
    const rule = { frequency: "SCAN_ON_PUSH", filters: ["*"] };
    expect(problemsOf(config({ type: "ENHANCED", rules: [rule, rule, rule] }))).toEqual([
      "scanning.rules: ECR allows at most 2 scanning rules (one per frequency)",
    ]);
  });

  test("at most 100 filters per rule", () => {
    const filters = Array.from({ length: 101 }, (_, i) => `m${i}*`);
    expect(problemsOf(config({ rules: [{ frequency: "SCAN_ON_PUSH", filters }] }))).toEqual([
      "scanning.rules[0].filters: ECR allows at most 100 filters per scanning rule",
    ]);
  });

  test.each([
    ["AI-Models/*", "scan filters are lowercase repository-name characters and '*' wildcards, e.g. ai-models/* or *llm*"],
    ["-llm", "scan filters are lowercase repository-name characters and '*' wildcards, e.g. ai-models/* or *llm*"],
    ["a".repeat(256), "scan filters must be at most 255 characters"],
  ])("the filter %j is rejected", (filter, message) => {
    expect(problemsOf(config({ rules: [{ frequency: "SCAN_ON_PUSH", filters: [filter] }] }))).toEqual([`scanning.rules[0].filters[0]: ${message}`]);
  });

  test("an unknown frequency lists the allowed ones", () => {
    expect(problemsOf(config({ rules: [{ frequency: "MANUAL", filters: ["*"] }] }))).toEqual([
      'scanning.rules[0].frequency: must be one of "SCAN_ON_PUSH", "CONTINUOUS_SCAN" (got string "MANUAL")',
    ]);
  });

  test("a repository that scans on push must be matched by a rule, since registry rules decide", () => {
    const raw = config({ rules: [{ frequency: "SCAN_ON_PUSH", filters: ["ai-models/*"] }] }, { name: "ai-models/llm" }, { name: "base/python" });
    expect(problemsOf(raw)).toEqual([
      'repositories[1].scanOnPush: is true, but no scanning.rules filter matches "base/python"; registry rules decide what ECR scans, so it would not be scanned: add a filter for it or set scanOnPush: false',
    ]);
  });

  test("a repository that opted out must not be matched by a rule", () => {
    const raw = config({ rules: [{ frequency: "SCAN_ON_PUSH", filters: ["*"] }] }, { name: "ai-models/llm" }, { name: "scratch", scanOnPush: false });
    expect(problemsOf(raw)).toEqual([
      'repositories[1].scanOnPush: is false, but scanning.rules[0].filters[0] ("*") matches "scratch" and registry rules override a repository\'s own setting, so ECR would scan it: narrow the filter or set scanOnPush: true',
    ]);
  });

  test("a continuous scanning rule counts as scanning on push", () => {
    const raw = config({ type: "ENHANCED", rules: [{ frequency: "CONTINUOUS_SCAN", filters: ["ai-models/*"] }] }, { name: "ai-models/llm" });
    expect(synthJson(raw).resource.aws_ecr_registry_scanning_configuration.registry.rule).toEqual([
      { scan_frequency: "CONTINUOUS_SCAN", repository_filter: [wildcard("ai-models/*")] },
    ]);
  });
});

describe("derived scan-on-push rule", () => {
  test("a repository that opted out but contains a scanned repository's name is an error, because ECR filters without * match substrings", () => {
    const raw = config(undefined, { name: "ai-models/llm" }, { name: "ai-models/llm-experimental", scanOnPush: false });
    expect(problemsOf(raw)).toEqual([
      'repositories[1].scanOnPush: is false, but the scan-on-push filter "ai-models/llm" (the name of repositories[0]) also matches "ai-models/llm-experimental": ECR treats a filter without \'*\' as "name contains", so ECR would scan this repository anyway; scan both, rename one, or write scanning.rules',
    ]);
  });

  test("covers the repositories of every environment sharing the registry", () => {
    const raw = {
      ...minimalRawConfig(),
      environments: [{ name: "dev" }, { name: "staging", manageRegistrySettings: false }],
      repositories: [{ name: "ab" }, { name: "cd", environments: ["staging"], scanOnPush: false }],
    };
    expect(synthJson(raw, "dev").resource.aws_ecr_registry_scanning_configuration.registry.rule).toEqual([
      { scan_frequency: "SCAN_ON_PUSH", repository_filter: [wildcard("ab")] },
    ]);
  });

  test("has no rule when no repository scans on push", () => {
    expect(synthJson(config(undefined, { name: "ab", scanOnPush: false })).resource.aws_ecr_registry_scanning_configuration.registry.rule).toEqual([]);
  });

  test("more than 100 distinct filters is an error", () => {
    const repositories = [...Array.from({ length: 101 }, (_, i) => ({ name: `m${i}x` })), { name: "off", scanOnPush: false }];
    expect(problemsOf(config(undefined, ...repositories))).toEqual([
      "repositories: in environment dev, 101 repositories and templates scan on push and others do not; ECR's scan-on-push rule takes at most 100 repository filters, so turn scanOnPush on for all of them or off for fewer",
    ]);
  });
});
