import { parse, stringify } from "yaml";
import { DEFAULT_CONFIG_PATH } from "../src/config/load";
import { loadConfig, parseConfig } from "../src/checks";
import { resolveEnvironments } from "../src/plan/environments";
import {
  findingsResourceName,
  pullThroughCacheOutputName,
  pullThroughCachePolicyName,
  pullThroughCacheRuleId,
  replicationPolicyOutputName,
  signerPermissionIds,
  signingPolicyName,
  signingProfileName,
  subscriptionId,
} from "../src/naming";
import { findingNotificationsFor } from "../src/plan/notifications";
import { pullThroughCacheRulesFor } from "../src/plan/pull-through-cache";
import { replicationFor } from "../src/plan/replication";
import { signingProfileFor } from "../src/plan/signing";
import { documentation } from "./support/docs";
import { twoAccountConfig } from "./support/problems";

describe("feature names", () => {
  test("pull-through cache ids and outputs derive from the prefix like repository ids", () => {
    expect(pullThroughCacheRuleId("public/base.images")).toBe("public__base--images");
    expect(pullThroughCacheOutputName("ecr-public")).toBe("pull_through_cache_ecr-public_url");
  });

  test("the replication policy output names the destination account and region", () => {
    expect(replicationPolicyOutputName("333333333333", "eu-west-1")).toBe("replication_registry_policy_333333333333_eu-west-1");
  });

  test("subscription ids are stable and differ by protocol and endpoint", () => {
    expect(subscriptionId("email", "a@example.com")).toBe(subscriptionId("email", "a@example.com"));
    expect(subscriptionId("email", "a@example.com")).toMatch(/^email_[0-9a-f]{12}$/);
    expect(subscriptionId("email", "a@example.com")).not.toBe(subscriptionId("email", "b@example.com"));
    expect(subscriptionId("https", "https://x.example.com").startsWith("https_")).toBe(true);
  });

  test("findings resources and signing profiles are named after the stack", () => {
    expect(findingsResourceName("model-registry", "prod")).toBe("model-registry-prod-scan-findings");
    expect(signingProfileName("model-registry", "prod")).toBe("model_registry_prod");
  });
});

describe("the embedded default config", () => {
  const config = loadConfig(DEFAULT_CONFIG_PATH);
  const [dev, prod] = resolveEnvironments(config);

  test("replicates production model images to an inference region", () => {
    expect(replicationFor(config, prod)?.rules).toEqual([{ repositoryPrefixes: ["ai-models/"], destinations: [{ region: "eu-west-1", registryId: "222222222222" }] }]);
    expect(replicationFor(config, dev)).toBeUndefined();
  });

  test("caches ECR Public base images in every environment", () => {
    expect(pullThroughCacheRulesFor(config, dev).map((r) => r.upstreamRegistryUrl)).toEqual(["public.ecr.aws"]);
    expect(pullThroughCacheRulesFor(config, prod).map((r) => r.prefix)).toEqual(["ecr-public"]);
  });

  test("notifies an email address of CRITICAL and HIGH findings", () => {
    expect(findingNotificationsFor(config, prod)).toMatchObject({ severities: ["CRITICAL", "HIGH"], subscriptions: [{ protocol: "email" }] });
  });

  test("has a signing profile in production only", () => {
    expect(signingProfileFor(config, prod)?.name).toBe("model_registry_prod");
    expect(signingProfileFor(config, dev)).toBeUndefined();
  });

  test("lets the CI role of the tooling account pull through the cache in both environments", () => {
    for (const env of [dev, prod]) {
      expect(pullThroughCacheRulesFor(config, env)[0].consumers).toEqual([
        { arn: "arn:aws:iam::999999999999:role/github-actions/model-image-publisher", sameAccount: false },
      ]);
    }
  });

  test("lets the CI role of the tooling account sign in production, across accounts", () => {
    expect(signingProfileFor(config, prod)?.signers).toEqual([{ arn: "arn:aws:iam::999999999999:role/github-actions/model-image-publisher", sameAccount: false }]);
  });
});

describe("the registry feature examples of docs/", () => {
  // The examples within each feature's section; the pages' opening excerpts are checked by docs-examples.test.ts.
  const cache = documentation("docs/pull-through-cache.md");
  const sections = [
    // After the page's own sections on replicas, which replication-docs.test.ts checks.
    documentation("docs/replication.md").split("\n## Registry features\n")[1],
    cache.slice(0, cache.indexOf("\n## Repository creation templates\n")),
    documentation("docs/notifications.md"),
  ];
  const examples = sections
    .flatMap((section) => [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]))
    .filter((text) => !text.startsWith("# registry.yaml excerpt\n"));

  test("there is one per feature", () => {
    expect(examples.map((text) => Object.keys(parse(text)))).toEqual([["replication"], ["pullThroughCache"], ["notifications"], ["signing"]]);
  });

  test.each(examples.map((text) => [Object.keys(parse(text))[0], text]))("the %s example is valid config", (_key, text) => {
    expect(() => parseConfig(stringify({ ...twoAccountConfig(), ...parse(text) }), "docs/")).not.toThrow();
  });
});

describe("cache and signing policy names", () => {
  test("a cache's identity policy name stays within IAM's 128 characters, unique by a hash of the prefix", () => {
    const project = "p".repeat(40);
    const environment = "e".repeat(32);
    // 30 characters, 14 of them '/', which the id doubles: the name would be 136 characters.
    const a = pullThroughCachePolicyName(project, environment, "a/b/c/d/e/f/g/h/i/j/k/l/m/n/oo");
    const b = pullThroughCachePolicyName(project, environment, "a/b/c/d/e/f/g/h/i/j/k/l/m/n/op");
    expect(a).toHaveLength(128);
    expect(a).toMatch(new RegExp(`^${project}-${environment}-pull-through-cache-a__b__c__.*\\.[0-9a-f]{10}$`));
    expect(a).not.toBe(b);
    expect(pullThroughCachePolicyName("model-registry", "dev", "ecr-public")).toBe("model-registry-dev-pull-through-cache-ecr-public");
  });

  test("a signer's permission ids carry its account and stay within Signer's 38-character statement ids", () => {
    const ids = signerPermissionIds("arn:aws:iam::999999999999:role/github-actions/model-image-publisher");
    expect(ids.logicalId).toMatch(/^signer_999999999999_[0-9a-f]{8}$/);
    expect(ids.statementId).toMatch(/^SignPayload-999999999999-[0-9a-f]{8}$/);
    expect(ids.statementId.length).toBeLessThanOrEqual(38);
    expect(signerPermissionIds("999999999999").statementId).not.toBe(ids.statementId);
    expect(signingPolicyName("model-registry", "prod")).toBe("model-registry-prod-signing");
  });
});
