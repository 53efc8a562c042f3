import { EcrPullThroughCacheRule } from "@cdktf/provider-aws/lib/ecr-pull-through-cache-rule";
import { UPSTREAM_REGISTRIES } from "../src/config/schema/pull-through-cache";
import { minimalRawConfig, synthEnvironment, synthJson } from "./support/fixtures";
import { problemsOf, twoAccountConfig } from "./support/problems";

const DOCKER_SECRET = "arn:aws:secretsmanager:us-east-1:111111111111:secret:ecr-pullthroughcache/docker-hub-AbCdEf";
const ROLE = "arn:aws:iam::111111111111:role/ecr-pull-through-cache";

function withCacheRules(rules: Array<Record<string, unknown>>, base = twoAccountConfig()): Record<string, any> {
  return { ...base, pullThroughCache: { rules } };
}

describe("the upstream table", () => {
  test("holds ECR's documented registry URL for every upstream", () => {
    const urls = Object.fromEntries(Object.entries(UPSTREAM_REGISTRIES).map(([kind, u]) => [kind, typeof u.url === "string" ? u.url : u.url({ registryId: "444444444444", region: "eu-west-1" })]));
    expect(urls).toEqual({
      "ecr-public": "public.ecr.aws",
      quay: "quay.io",
      k8s: "registry.k8s.io",
      "docker-hub": "registry-1.docker.io",
      "github-container-registry": "ghcr.io",
      "gitlab-container-registry": "registry.gitlab.com",
      ecr: "444444444444.dkr.ecr.eu-west-1.amazonaws.com",
    });
  });

  test("builds China ECR upstream URLs with the amazonaws.com.cn suffix", () => {
    const url = UPSTREAM_REGISTRIES.ecr.url({ registryId: "444444444444", region: "cn-north-1" });
    expect(url).toBe("444444444444.dkr.ecr.cn-north-1.amazonaws.com.cn");
  });
});

describe("pull-through cache rules", () => {
  test("a public upstream gets its conventional prefix and no credentials", () => {
    expect(synthEnvironment(withCacheRules([{ upstream: "ecr-public" }]), "dev")).toHaveResourceWithProperties(EcrPullThroughCacheRule, {
      ecr_repository_prefix: "ecr-public",
      upstream_registry_url: "public.ecr.aws",
    });
  });

  test.each([
    ["quay", "quay", "quay.io"],
    ["k8s", "k8s", "registry.k8s.io"],
  ])("%s caches under %s from %s", (upstream, prefix, url) => {
    const json = synthJson(withCacheRules([{ upstream }]), "dev");
    expect(json.resource.aws_ecr_pull_through_cache_rule[prefix]).toMatchObject({ ecr_repository_prefix: prefix, upstream_registry_url: url });
    expect(json.resource.aws_ecr_pull_through_cache_rule[prefix].credential_arn).toBeUndefined();
  });

  test.each([
    ["docker-hub", "docker-hub", "registry-1.docker.io"],
    ["github-container-registry", "github", "ghcr.io"],
    ["gitlab-container-registry", "gitlab", "registry.gitlab.com"],
  ])("%s caches under %s from %s with its credentials", (upstream, prefix, url) => {
    const credentialArn = `arn:aws:secretsmanager:us-east-1:111111111111:secret:ecr-pullthroughcache/${prefix}-AbCdEf`;
    expect(synthEnvironment(withCacheRules([{ upstream, credentialArn, environments: ["dev"] }]), "dev")).toHaveResourceWithProperties(EcrPullThroughCacheRule, {
      ecr_repository_prefix: prefix,
      upstream_registry_url: url,
      credential_arn: credentialArn,
    });
  });

  test("an ECR upstream in another account uses its registry URL, the role and the upstream prefix", () => {
    const raw = withCacheRules([{ upstream: "ecr", prefix: "platform", registryId: "444444444444", region: "us-east-1", customRoleArn: ROLE, upstreamPrefix: "base-images", environments: ["dev"] }]);
    expect(synthJson(raw, "dev").resource.aws_ecr_pull_through_cache_rule.platform).toEqual({
      ecr_repository_prefix: "platform",
      upstream_registry_url: "444444444444.dkr.ecr.us-east-1.amazonaws.com",
      custom_role_arn: ROLE,
      upstream_repository_prefix: "base-images",
    });
  });

  test("a prefix from config replaces the conventional one and names the resource", () => {
    const json = synthJson(withCacheRules([{ upstream: "ecr-public", prefix: "public/base" }]), "dev");
    expect(Object.keys(json.resource.aws_ecr_pull_through_cache_rule)).toEqual(["public__base"]);
    expect(json.resource.aws_ecr_pull_through_cache_rule.public__base.ecr_repository_prefix).toBe("public/base");
  });

  test("each rule exports the address to pull cached images from", () => {
    expect(synthJson(withCacheRules([{ upstream: "ecr-public" }]), "prod").output["pull_through_cache_ecr-public_url"]).toEqual({
      value: "${aws_ecr_pull_through_cache_rule.ecr-public.registry_id}.dkr.ecr.us-west-2.amazonaws.com/ecr-public",
      description: "Pull public.ecr.aws/<image> through the cache as <this value>/<image>",
    });
  });

  test("the pull address in a China region ends in amazonaws.com.cn", () => {
    const raw = withCacheRules([{ upstream: "quay" }], { ...minimalRawConfig(), region: "cn-north-1" });
    expect(synthJson(raw).output.pull_through_cache_quay_url.value).toBe(
      "${aws_ecr_pull_through_cache_rule.quay.registry_id}.dkr.ecr.cn-north-1.amazonaws.com.cn/quay",
    );
  });

  test("rules apply only to the environments they name", () => {
    const raw = withCacheRules([{ upstream: "ecr-public" }, { upstream: "docker-hub", credentialArn: DOCKER_SECRET, environments: ["dev"] }]);
    expect(Object.keys(synthJson(raw, "dev").resource.aws_ecr_pull_through_cache_rule)).toEqual(["docker-hub", "ecr-public"]);
    expect(Object.keys(synthJson(raw, "prod").resource.aws_ecr_pull_through_cache_rule)).toEqual(["ecr-public"]);
  });

  test("are left out of an environment that does not manage registry settings", () => {
    const raw = withCacheRules([{ upstream: "ecr-public" }], { ...minimalRawConfig(), environments: [{ name: "dev" }, { name: "dev2", manageRegistrySettings: false }] });
    expect(synthJson(raw, "dev2").resource.aws_ecr_pull_through_cache_rule).toBeUndefined();
  });
});

describe("pull-through cache validation", () => {
  test.each([
    [{ upstream: "docker" }, /^pullThroughCache\.rules\[0\]\.upstream: must be one of "ecr-public", "quay", "k8s", "docker-hub", "github-container-registry", "gitlab-container-registry", "ecr" \(got string "docker"\)$/],
    [{ prefix: "cache" }, /^pullThroughCache\.rules\[0\]\.upstream: is required \(one of "ecr-public", "quay", "k8s", "docker-hub", "github-container-registry", "gitlab-container-registry", "ecr"\)$/],
    [{ upstream: "quay", prefix: "ROOT" }, /^pullThroughCache\.rules\[0\]\.prefix: ROOT is ECR's reserved prefix for every repository of the registry;/],
    [{ upstream: "quay", prefix: "q" }, /^pullThroughCache\.rules\[0\]\.prefix: prefixes must be 2 to 30 characters$/],
    [{ upstream: "quay", prefix: "q".repeat(31) }, /^pullThroughCache\.rules\[0\]\.prefix: prefixes must be 2 to 30 characters$/],
    [{ upstream: "quay", prefix: "quay/" }, /^pullThroughCache\.rules\[0\]\.prefix: must not end with '\/': ECR always adds one/],
    [{ upstream: "quay", prefix: "Quay.IO" }, /^pullThroughCache\.rules\[0\]\.prefix: must be lowercase letters and digits/],
    [{ upstream: "docker-hub", environments: ["dev"] }, /^pullThroughCache\.rules\[0\]\.credentialArn: is required for docker-hub: Docker Hub needs credentials in a Secrets Manager secret named ecr-pullthroughcache\/\.\.\.$/],
    [{ upstream: "github-container-registry", environments: ["dev"] }, /^pullThroughCache\.rules\[0\]\.credentialArn: is required for github-container-registry/],
    [{ upstream: "ecr-public", credentialArn: DOCKER_SECRET }, /^pullThroughCache\.rules\[0\]\.credentialArn: is only for docker-hub, github-container-registry and gitlab-container-registry; ecr-public is public$/],
    [
      { upstream: "docker-hub", credentialArn: "arn:aws:iam::111111111111:role/x" },
      /^pullThroughCache\.rules\[0\]\.credentialArn: must be a Secrets Manager secret ARN such as \S+: the service "iam" should be "secretsmanager"; the region is empty; the resource "role\/x" should be secret:<name>$/,
    ],
    [
      { upstream: "ecr", prefix: "platform", registryId: "444444444444", region: "us-east-1", environments: ["dev"], customRoleArn: "arn:aws:iam::444444444444:ecr-pull" },
      /^pullThroughCache\.rules\[0\]\.customRoleArn: must be an IAM role ARN such as \S+ \(partition aws, aws-cn or aws-us-gov\): the resource "ecr-pull" should be role\/<name>$/,
    ],
    [
      { upstream: "docker-hub", credentialArn: "arn:aws:secretsmanager:us-east-1:111111111111:secret:dockerhub-AbCdEf", environments: ["dev"] },
      /^pullThroughCache\.rules\[0\]\.credentialArn: the secret's name must start with ecr-pullthroughcache\/ \(ECR only reads secrets named so\)$/,
    ],
    [{ upstream: "quay", registryId: "444444444444" }, /^pullThroughCache\.rules\[0\]\.registryId: is only for upstream ecr \(ECR-to-ECR caching\), not quay$/],
    [{ upstream: "quay", upstreamPrefix: "base" }, /^pullThroughCache\.rules\[0\]\.upstreamPrefix: is only for upstream ecr/],
    [{ upstream: "ecr", registryId: "444444444444", region: "us-east-1", environments: ["dev"], customRoleArn: ROLE }, /^pullThroughCache\.rules\[0\]\.prefix: is required for upstream ecr/],
    [{ upstream: "ecr", prefix: "platform", region: "us-east-1", environments: ["dev"] }, /^pullThroughCache\.rules\[0\]\.registryId: is required for upstream ecr: the account of the upstream registry$/],
    [{ upstream: "ecr", prefix: "platform", registryId: "111111111111", environments: ["dev"] }, /^pullThroughCache\.rules\[0\]\.region: is required for upstream ecr: the region of the upstream registry$/],
    [{ upstream: "ecr", prefix: "platform", registryId: "111111111111", region: "us-east-1", environments: ["dev"] }, /^pullThroughCache\.rules\[0\]\.registryId: is environment dev's own registry; a registry cannot cache itself$/],
    [
      { upstream: "ecr", prefix: "platform", registryId: "444444444444", region: "us-east-1", environments: ["dev"] },
      /^pullThroughCache\.rules\[0\]\.customRoleArn: is required: the upstream registry 444444444444 is another account than environment dev \(111111111111\)$/,
    ],
    [
      { upstream: "ecr", prefix: "platform", registryId: "444444444444", region: "cn-north-1", customRoleArn: ROLE, environments: ["dev"] },
      /^pullThroughCache\.rules\[0\]\.region: is in partition aws-cn but environment dev is in aws$/,
    ],
    [
      { upstream: "ecr", prefix: "platform", registryId: "444444444444", region: "us-east-1", customRoleArn: "arn:aws:iam::111111111111:user/ci", environments: ["dev"] },
      /^pullThroughCache\.rules\[0\]\.customRoleArn: must be an IAM role ARN/,
    ],
    [{ upstream: "quay", environments: ["staging"] }, /^pullThroughCache\.rules\[0\]\.environments\[0\]: unknown environment `staging` \(known: dev, prod\)$/],
  ])("the rule %j is rejected", (rule, problem) => {
    expect(problemsOf(withCacheRules([rule]))).toEqual([expect.stringMatching(problem)]);
  });

  test("a secret in another region than the rule is rejected", () => {
    expect(problemsOf(withCacheRules([{ upstream: "docker-hub", credentialArn: DOCKER_SECRET }]))).toEqual([
      "pullThroughCache.rules[0].credentialArn: is in region us-east-1 but environment prod is in us-west-2; ECR only reads a secret in the rule's own account and region (restrict this rule with environments, one secret per region)",
    ]);
  });

  test("a secret in another account than the rule is rejected", () => {
    const credentialArn = "arn:aws:secretsmanager:us-east-1:999999999999:secret:ecr-pullthroughcache/docker-hub-AbCdEf";
    expect(problemsOf(withCacheRules([{ upstream: "docker-hub", credentialArn, environments: ["dev"] }]))).toEqual([
      "pullThroughCache.rules[0].credentialArn: is in account 999999999999 but environment dev is account 111111111111; ECR only reads a secret in the rule's own account and region (restrict this rule with environments, one secret per region)",
    ]);
  });

  test("a secret in another partition than the rule is rejected", () => {
    const credentialArn = "arn:aws-us-gov:secretsmanager:us-gov-west-1:111111111111:secret:ecr-pullthroughcache/docker-hub-AbCdEf";
    expect(problemsOf(withCacheRules([{ upstream: "docker-hub", credentialArn, environments: ["dev"] }]))).toEqual([
      expect.stringMatching(/^pullThroughCache\.rules\[0\]\.credentialArn: is in partition aws-us-gov but environment dev is in aws;/),
    ]);
  });

  test("a secret in a GovCloud environment's own partition, region and account is accepted", () => {
    const credentialArn = "arn:aws-us-gov:secretsmanager:us-gov-west-1:111111111111:secret:ecr-pullthroughcache/docker-hub-AbCdEf";
    const raw = withCacheRules([{ upstream: "docker-hub", credentialArn }], {
      ...minimalRawConfig(),
      region: "us-gov-west-1",
      environments: [{ name: "dev", accountId: "111111111111" }],
    });
    expect(synthJson(raw).resource.aws_ecr_pull_through_cache_rule["docker-hub"].credential_arn).toBe(credentialArn);
  });

  test("two rules with the same prefix in one environment are rejected, even when one prefix is the default", () => {
    expect(problemsOf(withCacheRules([{ upstream: "quay", prefix: "ecr-public" }, { upstream: "ecr-public" }]))).toEqual([
      'pullThroughCache.rules[1].prefix: "ecr-public" is already used by pullThroughCache.rules[0] ("ecr-public") in environment dev; each cache needs its own namespace',
    ]);
  });

  test("the same prefix in different environments is accepted", () => {
    const raw = withCacheRules([{ upstream: "quay", prefix: "base", environments: ["dev"] }, { upstream: "k8s", prefix: "base", environments: ["prod"] }]);
    expect(synthJson(raw, "prod").resource.aws_ecr_pull_through_cache_rule.base.upstream_registry_url).toBe("registry.k8s.io");
  });

  test("a prefix inside another rule's namespace is rejected", () => {
    expect(problemsOf(withCacheRules([{ upstream: "quay", prefix: "cache" }, { upstream: "k8s", prefix: "cache/k8s" }]))).toEqual([
      'pullThroughCache.rules[1].prefix: "cache/k8s" overlaps the namespace of pullThroughCache.rules[0] ("cache") in environment dev; each cache needs its own namespace',
    ]);
  });

  test("a prefix that model repositories live under is rejected", () => {
    expect(problemsOf(withCacheRules([{ upstream: "quay", prefix: "ai-models" }], { ...twoAccountConfig(), repositories: [{ name: "ai-models/llm" }] }))).toEqual([
      'pullThroughCache.rules[0].prefix: "ai-models" would make model repository ai-models/llm (environment dev) part of the cache namespace; choose a prefix no model repository starts with',
    ]);
  });

  test("more than 50 rules in one environment is rejected", () => {
    const rules = Array.from({ length: 51 }, (_, i) => ({ upstream: "quay", prefix: `quay-${i}` }));
    expect(problemsOf(withCacheRules(rules))).toEqual([
      "pullThroughCache.rules: environment dev would have 51 pull-through cache rules; ECR allows at most 50 per registry",
    ]);
  });

  test("an empty rule list is rejected", () => {
    expect(problemsOf(withCacheRules([]))).toEqual(["pullThroughCache.rules: list at least one rule, or leave pullThroughCache out"]);
  });

  test("a rule naming an environment that does not manage registry settings is rejected", () => {
    const raw = withCacheRules([{ upstream: "quay", environments: ["dev2"] }], { ...minimalRawConfig(), environments: [{ name: "dev" }, { name: "dev2", manageRegistrySettings: false }] });
    expect(problemsOf(raw)).toEqual([
      'pullThroughCache.rules[0].environments[0]: a pull-through cache rule is a registry-wide setting (one per account and region), but environment "dev2" has manageRegistrySettings: false; list the environment that manages this registry instead',
    ]);
  });
});

describe("who may pull through a cache", () => {
  const CI = "arn:aws:iam::999999999999:role/ci";
  const DEV_BUILDER = "arn:aws:iam::111111111111:role/base-image-builder";
  const PULL = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
  const template = { prefix: "ecr-public", appliedFor: ["PULL_THROUGH_CACHE"] };
  const withCache = (rule: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    twoAccountConfig({ repositoryCreationTemplates: [template], pullThroughCache: { rules: [{ upstream: "ecr-public", ...rule }] }, ...extra });
  const registryPolicy = (json: any) => JSON.parse(json.resource.aws_ecr_registry_policy.registry.policy);
  const templatePolicy = (json: any, prefix = "ecr-public") => JSON.parse(json.resource.aws_ecr_repository_creation_template[prefix].repository_policy);

  describe("by default, the registry-wide push consumers (a CI role in another account)", () => {
    const json = synthJson(withCache({}, { consumers: [{ kind: "push", principal: CI }, { kind: "pull", principal: "arn:aws:iam::111111111111:role/ecs" }] }), "prod");

    test("may import upstream images and create repositories under the cache's prefix only, by the registry policy", () => {
      expect(registryPolicy(json)).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "PullThroughCacheEcrPublic",
            Effect: "Allow",
            Principal: { AWS: [CI] },
            Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
            Resource: "arn:aws:ecr:us-west-2:222222222222:repository/ecr-public/*",
          },
        ],
      });
    });

    test("may pull from the repositories the cache creates, by the template's repository policy", () => {
      expect(templatePolicy(json)).toEqual({
        Version: "2012-10-17",
        Statement: [{ Sid: "PullThroughCachePull", Effect: "Allow", Principal: { AWS: [CI] }, Action: PULL }],
      });
    });

    test("get no identity policy: one in another account is that account's to write", () => {
      expect(json.resource.aws_iam_policy).toBeUndefined();
    });
  });

  test("a same-account consumer gets an identity policy with the login token and the pull and import actions on the cache's namespace", () => {
    const raw = withCache({ consumers: [{ principal: DEV_BUILDER, environments: ["dev"] }] }, { identityPolicies: true });
    const json = synthJson(raw, "dev");
    expect(json.resource.aws_iam_policy["pull_through_cache_ecr-public"]).toMatchObject({
      name: "model-registry-dev-pull-through-cache-ecr-public",
      path: "/model-registry/",
    });
    expect(JSON.parse(json.resource.aws_iam_policy["pull_through_cache_ecr-public"].policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "GetAuthorizationToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
        {
          Sid: "PullThroughCache",
          Effect: "Allow",
          Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:BatchImportUpstreamImage", "ecr:CreateRepository", "ecr:GetDownloadUrlForLayer"],
          Resource: "arn:aws:ecr:us-east-1:111111111111:repository/ecr-public/*",
        },
      ],
    });
    expect(json.output["pull_through_cache_ecr-public_policy_arn"].value).toBe("${aws_iam_policy.pull_through_cache_ecr-public.arn}");
    // The registry and template policies name it too, as repository policies name same-account consumers.
    expect(registryPolicy(json).Statement[0].Principal).toEqual({ AWS: [DEV_BUILDER] });
    expect(templatePolicy(json).Statement[0].Principal).toEqual({ AWS: [DEV_BUILDER] });
    // In prod the consumer does not apply: no grant at all.
    const prod = synthJson(raw, "prod");
    expect(prod.resource.aws_ecr_registry_policy).toBeUndefined();
    expect(prod.resource.aws_ecr_repository_creation_template["ecr-public"].repository_policy).toBeUndefined();
  });

  test("explicit consumers replace the default, account ids become root principals, and consumers: [] grants nobody", () => {
    const json = synthJson(withCache({ consumers: [{ principal: "444444444444" }, { principal: CI }] }, { consumers: [{ kind: "push", principal: "arn:aws:iam::555555555555:role/other" }] }), "dev");
    expect(registryPolicy(json).Statement[0].Principal).toEqual({ AWS: ["arn:aws:iam::444444444444:root", CI] });
    const none = synthJson(withCache({ consumers: [] }, { consumers: [{ kind: "push", principal: CI }] }), "dev");
    expect(none.resource.aws_ecr_registry_policy).toBeUndefined();
    expect(none.resource.aws_ecr_repository_creation_template["ecr-public"].repository_policy).toBeUndefined();
  });

  test("each cache gets its own statement and the most specific template serves it; ROOT serves the rest", () => {
    const raw = twoAccountConfig({
      consumers: [{ kind: "push", principal: CI }],
      repositoryCreationTemplates: [{ prefix: "ROOT", appliedFor: ["PULL_THROUGH_CACHE"] }, template],
      pullThroughCache: { rules: [{ upstream: "ecr-public" }, { upstream: "quay", consumers: [{ principal: "444444444444" }] }] },
    });
    const json = synthJson(raw, "dev");
    expect(registryPolicy(json).Statement.map((s: any) => [s.Sid, s.Principal.AWS, s.Resource])).toEqual([
      ["PullThroughCacheEcrPublic", [CI], "arn:aws:ecr:us-east-1:111111111111:repository/ecr-public/*"],
      ["PullThroughCacheQuay", ["arn:aws:iam::444444444444:root"], "arn:aws:ecr:us-east-1:111111111111:repository/quay/*"],
    ]);
    expect(templatePolicy(json).Statement[0].Principal.AWS).toEqual([CI]);
    expect(templatePolicy(json, "ROOT").Statement[0].Principal.AWS).toEqual(["arn:aws:iam::444444444444:root"]);
  });

  test("prefixes that camel-case alike get statement ids that tell them apart", () => {
    const raw = twoAccountConfig({
      consumers: [{ kind: "push", principal: CI }],
      pullThroughCache: { rules: [{ upstream: "quay", prefix: "base-q" }, { upstream: "k8s", prefix: "base.q" }] },
    });
    expect(registryPolicy(synthJson(raw, "dev")).Statement.map((s: any) => s.Sid)).toEqual(["PullThroughCacheBaseQDash", "PullThroughCacheBaseQDot"]);
  });

  test("shares the one registry policy with cross-account replication sources", () => {
    const raw = withCache({}, { consumers: [{ kind: "push", principal: CI }], replication: { acceptFrom: [{ environment: "dev", sourceAccounts: ["444444444444"] }] } });
    expect(registryPolicy(synthJson(raw, "dev")).Statement.map((s: any) => [s.Sid, s.Action])).toEqual([
      ["ReplicationFrom444444444444", ["ecr:CreateRepository", "ecr:ReplicateImage"]],
      ["PullThroughCacheEcrPublic", ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"]],
    ]);
  });

  test("without the environment's account the policy names the deploying account", () => {
    const raw = { ...minimalRawConfig(), consumers: [{ kind: "push", principal: CI }], pullThroughCache: { rules: [{ upstream: "ecr-public" }] } };
    expect(registryPolicy(synthJson(raw)).Statement[0].Resource).toBe("arn:aws:ecr:us-east-1:${data.aws_caller_identity.current.account_id}:repository/ecr-public/*");
  });

  test.each([
    [{ consumers: [{ principal: "*" }] }, /^pullThroughCache\.rules\[0\]\.consumers\[0\]\.principal: the principal "\*" would let every AWS account in/],
    [{ consumers: [{ principal: CI }, { principal: CI }] }, /^pullThroughCache\.rules\[0\]\.consumers\[1\]\.principal: duplicate principal: entry 0 of this list already names/],
    [{ consumers: [{ principal: "111111111111" }, { principal: "arn:aws:iam::111111111111:root" }] }, /^pullThroughCache\.rules\[0\]\.consumers\[1\]\.principal: duplicate principal/],
    [{ consumers: [{ principal: CI, environments: ["qa"] }] }, /^pullThroughCache\.rules\[0\]\.consumers\[0\]\.environments\[0\]: this cache rule does not exist in environment "qa" \(it exists in: dev, prod\)$/],
    [{ environments: ["dev"], consumers: [{ principal: CI, environments: ["prod"] }] }, /^pullThroughCache\.rules\[0\]\.consumers\[0\]\.environments\[0\]: this cache rule does not exist in environment "prod" \(it exists in: dev\)$/],
    [{ consumers: [{ principal: "arn:aws-cn:iam::999999999999:role/ci" }] }, /^pullThroughCache\.rules\[0\]\.consumers\[0\]\.principal: is in partition aws-cn but environment dev \(us-east-1\) is in partition aws/],
    [{ consumers: [{ principal: CI, actions: ["ecr:*"] }] }, /^pullThroughCache\.rules\[0\]\.consumers\[0\]\.actions: unknown key/],
  ])("%j is rejected", (rule, message) => {
    const problems = problemsOf(withCacheRules([{ upstream: "ecr-public", ...rule }]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});
