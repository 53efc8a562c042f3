import * as fs from "fs";
import * as path from "path";
import { PassThrough } from "stream";
import { parse, stringify } from "yaml";
import { App, TerraformResource, TerraformStack } from "cdktf";
import { EcrRegistryScanningConfiguration } from "@cdktf/provider-aws/lib/ecr-registry-scanning-configuration";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { buildApp } from "../src/stacks/app";
import { synthCommand } from "../src/commands/synth";
import { validateCommand } from "../src/commands/validate";
import { ConfigError } from "../src/config/errors";
import { DEFAULT_CONFIG_PATH } from "../src/config/load";
import { loadConfig, parseConfig } from "../src/checks";
import { GuardrailViolationError, enforceGuardrails } from "../src/guardrails/enforce";
import { synthesizedStacks } from "../src/stacks/project-stack";
import { readSynthesizedStacks } from "../src/synthesized/read";
import { currentGuardrailRules, renderGuardrailRules } from "../src/docs/guardrail-rules";
import { GUARDRAILS_FILE, GuardrailReport, evaluateGuardrails, formatViolations, guardrailSummaryLines, guardrailsJson } from "../src/guardrails/evaluate";
import { GUARDRAIL_RULE_IDS } from "../src/config/schema/guardrails";
import { GUARDRAIL_RULES } from "../src/guardrails/rules";
import { documentation } from "./support/docs";
import { minimalRawConfig, runMain, snapshotFolder, tempDir, validConfig, writeConfig } from "./support/fixtures";
import { guardrailsOf, resource } from "./support/guardrail-app";
import { twoAccountConfig } from "./support/problems";


function stackOf(app: App, name: string): TerraformStack {
  return app.node.children.find((c): c is TerraformStack => TerraformStack.isStack(c) && c.node.id === name)!;
}

const violationsOf = (report: GuardrailReport) => report.violations.map((v) => ({ rule: v.rule, stack: v.stack, address: v.address, configPath: v.configPath }));

const REASON = "Accepted for this test: the setting is deliberate and reviewed.";

interface RuleCase {
  readonly rule: string;
  /** What the config or code gets wrong. */
  readonly title: string;
  readonly raw: Record<string, any>;
  readonly mutate?: (app: App) => void;
  readonly violations: Array<{ stack: string; address: string; configPath?: string }>;
  /** The waiver (without rule and reason) that covers exactly these violations. */
  readonly waiver: Record<string, unknown>;
}

const openPolicy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Everyone", Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage"] }] });
const wildcardPolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "Push", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "ecr:*" }],
});

const RULE_CASES: RuleCase[] = [
  {
    rule: "ecr-scan-on-push",
    title: "a repository with scanOnPush: false",
    raw: { ...minimalRawConfig(), repositories: [{ name: "ai-models/llm" }, { name: "ai-models/scratch", scanOnPush: false }] },
    violations: [{ stack: "model-registry-dev", address: "aws_ecr_repository.ai-models__scratch", configPath: "repositories[1].scanOnPush" }],
    waiver: { repositories: ["ai-models/scratch"] },
  },
  {
    rule: "ecr-tag-immutability",
    title: "a MUTABLE repository in the protected environment prod",
    raw: twoAccountConfig({ repositories: [{ name: "ai-models/llm", tagMutability: "MUTABLE" }] }),
    violations: [{ stack: "model-registry-prod", address: "aws_ecr_repository.ai-models__llm", configPath: "repositories[0].tagMutability" }],
    waiver: { repositories: ["ai-models/llm"], environments: ["prod"] },
  },
  {
    rule: "ecr-lifecycle-policy",
    title: "a repository with lifecycle: {enabled: false}",
    raw: { ...minimalRawConfig(), repositories: [{ name: "ai-models/llm", lifecycle: { enabled: false } }] },
    violations: [{ stack: "model-registry-dev", address: "aws_ecr_repository.ai-models__llm", configPath: "repositories[0].lifecycle" }],
    waiver: { repositories: ["ai-models/llm"] },
  },
  {
    rule: "ecr-kms-encryption",
    title: "a repository encrypted with AES256",
    raw: { ...minimalRawConfig(), repositories: [{ name: "ai-models/llm", encryption: { type: "AES256" } }] },
    violations: [{ stack: "model-registry-dev", address: "aws_ecr_repository.ai-models__llm", configPath: "repositories[0].encryption" }],
    waiver: { repositories: ["ai-models/llm"], environments: ["dev"] },
  },
  {
    rule: "ecr-policy-no-public-access",
    title: "a repository policy granting Principal * without an organization condition",
    raw: { ...minimalRawConfig(), consumers: [{ kind: "pull", principal: "111111111111" }] },
    mutate: (app) => resource(app, "model-registry-dev", "aws_ecr_repository_policy.ai-models__llm").addOverride("policy", openPolicy),
    violations: [{ stack: "model-registry-dev", address: "aws_ecr_repository_policy.ai-models__llm", configPath: "consumers" }],
    waiver: { repositories: ["ai-models/llm"] },
  },
  {
    rule: "policy-no-wildcard-actions",
    title: "a repository policy allowing ecr:*",
    raw: { ...minimalRawConfig(), repositories: [{ name: "ai-models/llm", consumers: [{ kind: "push", principal: "111111111111" }] }] },
    mutate: (app) => resource(app, "model-registry-dev", "aws_ecr_repository_policy.ai-models__llm").addOverride("policy", wildcardPolicy),
    violations: [{ stack: "model-registry-dev", address: "aws_ecr_repository_policy.ai-models__llm", configPath: "repositories[0].consumers" }],
    waiver: { repositories: ["ai-models/llm"] },
  },
  {
    rule: "ecr-no-force-delete",
    title: "a repository with force_delete",
    raw: minimalRawConfig(),
    mutate: (app) => resource(app, "model-registry-dev", "aws_ecr_repository.ai-models__llm").addOverride("force_delete", true),
    violations: [{ stack: "model-registry-dev", address: "aws_ecr_repository.ai-models__llm", configPath: "repositories[0]" }],
    waiver: { repositories: ["ai-models/llm"] },
  },
  {
    rule: "prevent-destroy",
    title: "a KMS key without prevent_destroy in prod",
    raw: twoAccountConfig(),
    mutate: (app) => resource(app, "model-registry-prod", "aws_kms_key.registry").addOverride("lifecycle.prevent_destroy", false),
    violations: [{ stack: "model-registry-prod", address: "aws_kms_key.registry", configPath: "environments[1].protected" }],
    waiver: { environments: ["prod"] },
  },
  {
    rule: "kms-key-rotation",
    title: "a KMS key without rotation",
    raw: minimalRawConfig(),
    mutate: (app) => resource(app, "model-registry-dev", "aws_kms_key.registry").addOverride("enable_key_rotation", false),
    violations: [{ stack: "model-registry-dev", address: "aws_kms_key.registry" }],
    waiver: { environments: ["dev"] },
  },
  {
    rule: "state-backend-encryption",
    title: "an S3 backend without encrypt",
    raw: minimalRawConfig(),
    mutate: (app) => stackOf(app, "model-registry-dev").addOverride("terraform.backend.s3.encrypt", false),
    violations: [{ stack: "model-registry-dev", address: "terraform.backend.s3", configPath: "state" }],
    waiver: { environments: ["dev"] },
  },
  {
    rule: "state-backend-locking",
    title: "an S3 backend without locking",
    raw: minimalRawConfig(),
    mutate: (app) => stackOf(app, "model-registry-dev").addOverride("terraform.backend.s3.use_lockfile", false),
    violations: [{ stack: "model-registry-dev", address: "terraform.backend.s3", configPath: "state" }],
    waiver: { environments: ["dev"] },
  },
  {
    rule: "s3-bucket-public-access-block",
    title: "a state bucket that allows public policies",
    raw: minimalRawConfig(),
    mutate: (app) => resource(app, "model-registry-state", "aws_s3_bucket_public_access_block.state").addOverride("block_public_policy", false),
    violations: [{ stack: "model-registry-state", address: "aws_s3_bucket.state", configPath: "state" }],
    waiver: {},
  },
  {
    rule: "s3-bucket-tls-only",
    title: "a state bucket whose policy does not deny plain HTTP",
    raw: minimalRawConfig(),
    mutate: (app) =>
      resource(app, "model-registry-state", "aws_s3_bucket_policy.state").addOverride(
        "policy",
        JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::acme-tfstate" }] }),
      ),
    violations: [{ stack: "model-registry-state", address: "aws_s3_bucket.state", configPath: "state" }],
    waiver: {},
  },
  {
    rule: "s3-bucket-versioning",
    title: "a state bucket with versioning suspended",
    raw: minimalRawConfig(),
    mutate: (app) => resource(app, "model-registry-state", "aws_s3_bucket_versioning.state").addOverride("versioning_configuration.status", "Suspended"),
    violations: [{ stack: "model-registry-state", address: "aws_s3_bucket.state", configPath: "state" }],
    waiver: {},
  },
  {
    rule: "sns-topic-encryption",
    title: "a findings topic without a KMS key",
    raw: { ...minimalRawConfig(), notifications: { subscriptions: [{ protocol: "email", endpoint: "security@example.com" }] } },
    mutate: (app) => resource(app, "model-registry-dev", "aws_sns_topic.scan_findings").addOverride("kms_master_key_id", ""),
    violations: [{ stack: "model-registry-dev", address: "aws_sns_topic.scan_findings", configPath: "notifications" }],
    waiver: { environments: ["dev"] },
  },
  {
    rule: "eventbridge-topic-key",
    title: "a findings topic key that lets EventBridge in only under aws:SourceArn and aws:SourceAccount",
    raw: { ...minimalRawConfig(), notifications: { subscriptions: [{ protocol: "email", endpoint: "security@example.com" }] } },
    mutate: (app) =>
      resource(app, "model-registry-dev", "aws_kms_key.scan_findings").addOverride(
        "policy",
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Sid: "Admin", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" },
            {
              Sid: "EventBridge",
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: ["kms:Decrypt", "kms:GenerateDataKey"],
              Resource: "*",
              Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:events:us-east-1:111111111111:rule/x" }, StringEquals: { "AWS:SourceAccount": "111111111111" } },
            },
          ],
        }),
      ),
    violations: [{ stack: "model-registry-dev", address: "aws_sns_topic.scan_findings", configPath: "notifications" }],
    waiver: { environments: ["dev"] },
  },
  {
    rule: "pull-through-cache-template",
    title: "a pull-through cache rule without a creation template",
    raw: { ...minimalRawConfig(), consumers: [{ kind: "push", principal: "999999999999" }], pullThroughCache: { rules: [{ upstream: "ecr-public" }] } },
    violations: [{ stack: "model-registry-dev", address: "aws_ecr_pull_through_cache_rule.ecr-public", configPath: "repositoryCreationTemplates" }],
    waiver: { environments: ["dev"] },
  },
  {
    rule: "pull-through-cache-mutable-tags",
    title: "a pull-through cache template with immutable tags",
    raw: { ...minimalRawConfig(), accountId: "111111111111", repositoryCreationTemplates: [{ prefix: "ecr-public", appliedFor: ["PULL_THROUGH_CACHE"], tagMutability: "IMMUTABLE_WITH_EXCLUSION", mutabilityExclusions: ["latest"] }] },
    violations: [{ stack: "model-registry-dev", address: "aws_ecr_repository_creation_template.ecr-public", configPath: "repositoryCreationTemplates[0].tagMutability" }],
    waiver: { creationTemplates: ["ecr-public"] },
  },
  {
    rule: "pull-through-cache-access",
    title: "a pull-through cache nobody may use",
    raw: {
      ...minimalRawConfig(),
      accountId: "111111111111",
      consumers: [{ kind: "push", principal: "999999999999" }],
      repositoryCreationTemplates: [{ prefix: "ecr-public", appliedFor: ["PULL_THROUGH_CACHE"] }],
      pullThroughCache: { rules: [{ upstream: "ecr-public", consumers: [] }] },
    },
    violations: [{ stack: "model-registry-dev", address: "aws_ecr_pull_through_cache_rule.ecr-public", configPath: "pullThroughCache.rules[0].consumers" }],
    waiver: { environments: ["dev"] },
  },
  {
    rule: "signing-profile-signers",
    title: "a cross-account signing permission for StartSigningJob",
    raw: twoAccountConfig({ signing: { environments: ["prod"], signers: [{ principal: "arn:aws:iam::999999999999:role/ci" }] } }),
    mutate: (app) => {
      const permission = app.node
        .findAll()
        .find((c): c is TerraformResource => TerraformResource.isTerraformResource(c) && c.terraformResourceType === "aws_signer_signing_profile_permission");
      permission!.addOverride("action", "signer:StartSigningJob");
    },
    violations: [{ stack: "model-registry-prod", address: "aws_signer_signing_profile.model_images", configPath: "signing.signers" }],
    waiver: { environments: ["prod"] },
  },
  {
    rule: "ecr-replica-governed",
    title: "a replication destination in the config's account whose replicas are left to ECR's defaults",
    raw: { ...minimalRawConfig(), accountId: "111111111111", replication: { rules: [{ destinations: [{ region: "eu-west-1", manageReplicas: false }] }] } },
    violations: [{ stack: "model-registry-dev", address: "aws_ecr_repository.ai-models__llm", configPath: "replication" }],
    waiver: { repositories: ["ai-models/llm"] },
  },
];

describe("every guardrail rule", () => {
  test("has a test case below", () => {
    expect(RULE_CASES.map((c) => c.rule).sort()).toEqual([...GUARDRAIL_RULE_IDS].sort());
  });

  test.each(RULE_CASES.map((c) => [c.rule, c.title, c]))("%s: %s fails with exactly that rule", (_rule, _title, c) => {
    expect(violationsOf(guardrailsOf(c.raw, c.mutate))).toEqual(c.violations.map((v) => ({ rule: c.rule, configPath: undefined, ...v })));
  });

  test.each(RULE_CASES.map((c) => [c.rule, c]))("%s: a waiver with a reason lets it pass and is recorded", (rule, c) => {
    const raw = { ...c.raw, guardrails: { waivers: [{ rule, ...c.waiver, reason: REASON }] } };
    const report = guardrailsOf(raw, c.mutate);
    expect(report.passed).toBe(true);
    expect(report.waived.map((w) => ({ rule: w.rule, stack: w.stack, address: w.address, waiver: w.waiver }))).toEqual(
      c.violations.map((v) => ({ rule, stack: v.stack, address: v.address, waiver: 0 })),
    );
    const json = JSON.parse(guardrailsJson(report));
    expect(json.waivers).toEqual([{ configPath: "guardrails.waivers[0]", rule, ...c.waiver, reason: REASON, matched: c.violations.map((v) => ({ stack: v.stack, address: v.address })) }]);
    expect(json.rules.find((r: { id: string }) => r.id === rule)).toMatchObject({ waived: c.violations.length, violations: 0 });
    expect(guardrailSummaryLines(report, "cdktf.out/guardrails.json")).toContain(`    ${REASON}`);
  });

  test.each(RULE_CASES.map((c) => [c.rule, c]))("%s: a waiver without a reason is a config error", (rule, c) => {
    const raw = { ...c.raw, guardrails: { waivers: [{ rule, ...c.waiver }] } };
    expect(() => parseConfig(stringify(raw), "registry.yaml")).toThrow("guardrails.waivers[0].reason: is required (expected string)");
  });
});

describe("the default registry.yaml", () => {
  const config = loadConfig(DEFAULT_CONFIG_PATH);
  const outdir = path.join(tempDir(), "cdktf.out");
  const app = buildApp(config, { outdir });
  app.synth();
  const report = enforceGuardrails(synthesizedStacks(app), config, "registry.yaml");
  const json = JSON.parse(guardrailsJson(report));

  test("passes every rule, and every rule has something to check", () => {
    expect(report.violations).toEqual([]);
    expect(report.rules.map((r) => r.id)).toEqual(GUARDRAIL_RULE_IDS);
    expect(report.rules.filter((r) => r.checks === 0).map((r) => r.id)).toEqual([]);
  });

  test("deviates only where its two waivers say, each with its reason", () => {
    expect(json.waivers).toEqual([
      {
        configPath: "guardrails.waivers[0]",
        rule: "ecr-tag-immutability",
        environments: ["prod"],
        repositories: ["ai-model-repository"],
        reason: config.guardrails.waivers[0].reason,
        matched: [{ stack: "model-registry-prod", address: "aws_ecr_repository.ai-model-repository" }],
      },
      {
        configPath: "guardrails.waivers[1]",
        rule: "ecr-kms-encryption",
        environments: ["dev"],
        repositories: ["ai-models/vision-classifier"],
        reason: config.guardrails.waivers[1].reason,
        matched: [{ stack: "model-registry-dev", address: "aws_ecr_repository.ai-models__vision-classifier" }],
      },
    ]);
    expect(json.results.filter((r: { status: string }) => r.status !== "pass")).toEqual([
      {
        rule: "ecr-tag-immutability",
        stack: "model-registry-prod",
        environment: "prod",
        address: "aws_ecr_repository.ai-model-repository",
        repository: "ai-model-repository",
        status: "waived",
        detail: "image_tag_mutability is MUTABLE in the protected environment prod",
        waiver: "guardrails.waivers[0]",
      },
      {
        rule: "ecr-kms-encryption",
        stack: "model-registry-dev",
        environment: "dev",
        address: "aws_ecr_repository.ai-models__vision-classifier",
        repository: "ai-models/vision-classifier",
        status: "waived",
        detail: "encryption_type is AES256 (S3-managed keys)",
        waiver: "guardrails.waivers[1]",
      },
    ]);
  });

  test("guardrails.json summarizes every rule with its controls and counts", () => {
    expect(json.passed).toBe(true);
    expect(json.summary).toEqual({ rules: 21, checks: json.results.length, passed: json.results.length - 2, waived: 2, violations: 0 });
    expect(json.violations).toEqual([]);
    expect(json.rules[0]).toEqual({
      id: "ecr-scan-on-push",
      reason: GUARDRAIL_RULES[0].reason,
      controls: ["AWS Security Hub ECR.1", "checkov CKV_AWS_163"],
      scope: GUARDRAIL_RULES[0].scope,
      fix: GUARDRAIL_RULES[0].fix,
      checks: 11,
      passed: 11,
      waived: 0,
      violations: 0,
    });
    // 4 repositories in dev, 3 in prod and 2 replicas of them in eu-west-1, and the ecr-public creation template in each environment.
    expect(json.results.filter((r: { rule: string }) => r.rule === "ecr-scan-on-push").map((r: { stack: string; address: string }) => `${r.stack} ${r.address}`)).toEqual([
      "model-registry-dev aws_ecr_repository.ai-model-repository",
      "model-registry-dev aws_ecr_repository.ai-models__embeddings",
      "model-registry-dev aws_ecr_repository.ai-models__llm-inference",
      "model-registry-dev aws_ecr_repository.ai-models__vision-classifier",
      "model-registry-dev aws_ecr_repository_creation_template.ecr-public",
      "model-registry-prod aws_ecr_repository.ai-model-repository",
      "model-registry-prod aws_ecr_repository.ai-models__embeddings",
      "model-registry-prod aws_ecr_repository.ai-models__embeddings__eu-west-1",
      "model-registry-prod aws_ecr_repository.ai-models__llm-inference",
      "model-registry-prod aws_ecr_repository.ai-models__llm-inference__eu-west-1",
      "model-registry-prod aws_ecr_repository_creation_template.ecr-public",
    ]);
  });

  test("prevent_destroy set by the stack's own aspect is what the guardrail sees (the guardrail aspect runs after it)", () => {
    expect(json.results.filter((r: { rule: string }) => r.rule === "prevent-destroy").map((r: { stack: string; address: string; status: string }) => [r.stack, r.address, r.status])).toEqual([
      ["model-registry-prod", "aws_ecr_repository.ai-model-repository", "pass"],
      ["model-registry-prod", "aws_ecr_repository.ai-models__embeddings", "pass"],
      ["model-registry-prod", "aws_ecr_repository.ai-models__embeddings__eu-west-1", "pass"],
      ["model-registry-prod", "aws_ecr_repository.ai-models__llm-inference", "pass"],
      ["model-registry-prod", "aws_ecr_repository.ai-models__llm-inference__eu-west-1", "pass"],
      ["model-registry-prod", "aws_kms_key.registry", "pass"],
      ["model-registry-prod", "aws_kms_key.registry__eu-west-1", "pass"],
      ["model-registry-prod", "aws_kms_key.scan_findings", "pass"],
      ["model-registry-state", "aws_s3_bucket.state", "pass"],
      ["model-registry-state", "aws_kms_key.state", "pass"],
    ]);
  });
});

describe("ecr-scan-on-push reads what ECR scans", () => {
  const scanResults = (report: GuardrailReport) =>
    report.results.filter((r) => r.rule === "ecr-scan-on-push").map((r) => ({ stack: r.stack, address: r.address, status: r.status, detail: r.detail }));

  test("a repository whose scan_on_push is true but that no registry rule matches is a violation", () => {
    const report = guardrailsOf(minimalRawConfig(), (app) =>
      (resource(app, "model-registry-dev", "aws_ecr_registry_scanning_configuration.registry") as EcrRegistryScanningConfiguration).putRule([
        { scanFrequency: "SCAN_ON_PUSH", repositoryFilter: [{ filter: "other/*", filterType: "WILDCARD" }] },
      ]),
    );
    expect(scanResults(report)).toEqual([
      {
        stack: "model-registry-dev",
        address: "aws_ecr_repository.ai-models__llm",
        status: "violation",
        detail:
          'scan_on_push is true, but no rule of aws_ecr_registry_scanning_configuration.registry of model-registry-dev matches "ai-models/llm", and the registry\'s rules override a repository\'s flag, so ECR does not scan it',
      },
    ]);
  });

  test("continuous scanning counts, and the filter matches the repository's name in AWS", () => {
    const raw = {
      ...minimalRawConfig(),
      scanning: { type: "ENHANCED", rules: [{ frequency: "CONTINUOUS_SCAN", filters: ["llm*"] }] },
      repositories: [{ name: "ai-models/llm", renamedFrom: ["llm"] }],
    };
    expect(scanResults(guardrailsOf(raw))).toEqual([
      {
        stack: "model-registry-dev",
        address: "aws_ecr_repository.ai-models__llm",
        status: "pass",
        detail: 'scanned continuously: the filter "llm*" of aws_ecr_registry_scanning_configuration.registry of model-registry-dev matches "llm"',
      },
    ]);
  });

  test("an environment that does not manage its registry is covered by the stack that does (same account and region)", () => {
    const raw = {
      ...minimalRawConfig(),
      accountId: "111111111111",
      environments: [{ name: "dev" }, { name: "staging", manageRegistrySettings: false }],
    };
    const staging = scanResults(guardrailsOf(raw)).find((r) => r.stack === "model-registry-staging");
    expect(staging).toEqual({
      stack: "model-registry-staging",
      address: "aws_ecr_repository.ai-models__llm",
      status: "pass",
      detail: 'scanned on push: the filter "*" of aws_ecr_registry_scanning_configuration.registry of model-registry-dev matches "ai-models/llm"',
    });
  });

  test("a registry whose scanning no stack manages passes on the repository's flag and says so", () => {
    const raw = { ...minimalRawConfig(), environments: [{ name: "dev", accountId: "111111111111", manageRegistrySettings: false }] };
    expect(scanResults(guardrailsOf(raw))).toEqual([
      {
        stack: "model-registry-dev",
        address: "aws_ecr_repository.ai-models__llm",
        status: "pass",
        detail:
          "scan_on_push is true; no stack of this config manages the scanning configuration of its registry (account 111111111111, us-east-1), so that registry's rules are not checked here",
      },
    ]);
  });

  test("a creation template whose namespace no registry rule covers is a violation", () => {
    const raw = { ...minimalRawConfig(), accountId: "123456789012", repositoryCreationTemplates: [{ prefix: "ecr-public", appliedFor: ["PULL_THROUGH_CACHE"] }] };
    const report = guardrailsOf(raw, (app) =>
      (resource(app, "model-registry-dev", "aws_ecr_registry_scanning_configuration.registry") as EcrRegistryScanningConfiguration).putRule([
        { scanFrequency: "SCAN_ON_PUSH", repositoryFilter: [{ filter: "ai-models/llm", filterType: "WILDCARD" }] },
      ]),
    );
    expect(violationsOf(report)).toEqual([
      { rule: "ecr-scan-on-push", stack: "model-registry-dev", address: "aws_ecr_repository_creation_template.ecr-public", configPath: "repositoryCreationTemplates[0].prefix" },
    ]);
  });
});

describe("the other repository rules", () => {
  test("tag immutability is checked only in protected environments, and accepts an explicit exclusion list", () => {
    const raw = twoAccountConfig({
      repositories: [
        { name: "ai-models/llm", tagMutability: "IMMUTABLE_WITH_EXCLUSION", mutabilityExclusions: ["latest"] },
        { name: "ai-models/scratch", tagMutability: "MUTABLE", environments: ["dev"] },
        { name: "ai-models/vision", tagMutability: "MUTABLE_WITH_EXCLUSION", mutabilityExclusions: ["v*"] },
      ],
    });
    const results = guardrailsOf(raw).results.filter((r) => r.rule === "ecr-tag-immutability");
    expect(results.map((r) => [r.stack, r.address, r.status, r.detail])).toEqual([
      ["model-registry-prod", "aws_ecr_repository.ai-models__llm", "pass", "image_tag_mutability is IMMUTABLE_WITH_EXCLUSION; only latest may move"],
      ["model-registry-prod", "aws_ecr_repository.ai-models__vision", "violation", "image_tag_mutability is MUTABLE_WITH_EXCLUSION in the protected environment prod"],
    ]);
  });

  test("creation templates get the repository rules: a MUTABLE replication template without a lifecycle policy in prod fails both", () => {
    const raw = twoAccountConfig({
      repositoryCreationTemplates: [{ prefix: "replicas", appliedFor: ["REPLICATION"], tagMutability: "MUTABLE", lifecycle: { enabled: false } }],
    });
    expect(violationsOf(guardrailsOf(raw))).toEqual([
      { rule: "ecr-tag-immutability", stack: "model-registry-prod", address: "aws_ecr_repository_creation_template.replicas", configPath: "repositoryCreationTemplates[0].tagMutability" },
      { rule: "ecr-lifecycle-policy", stack: "model-registry-dev", address: "aws_ecr_repository_creation_template.replicas", configPath: "repositoryCreationTemplates[0].lifecycle" },
      { rule: "ecr-lifecycle-policy", stack: "model-registry-prod", address: "aws_ecr_repository_creation_template.replicas", configPath: "repositoryCreationTemplates[0].lifecycle" },
    ]);
  });

  test("a pull-through cache template is exempt from tag immutability in prod, and passes the cache rule with its MUTABLE default", () => {
    const raw = twoAccountConfig({ repositoryCreationTemplates: [{ prefix: "cache", appliedFor: ["PULL_THROUGH_CACHE", "REPLICATION"] }] });
    const report = guardrailsOf(raw);
    expect(violationsOf(report)).toEqual([]);
    expect(report.results.filter((r) => r.rule === "ecr-tag-immutability" && r.address.startsWith("aws_ecr_repository_creation_template"))).toEqual([]);
    expect(report.results.filter((r) => r.rule === "pull-through-cache-mutable-tags").map((r) => [r.stack, r.status, r.detail])).toEqual([
      ["model-registry-dev", "pass", "image_tag_mutability is MUTABLE, so ECR can refresh cached tags"],
      ["model-registry-prod", "pass", "image_tag_mutability is MUTABLE, so ECR can refresh cached tags"],
    ]);
  });

  test("a registry-wide lifecycle: {enabled: false} is blamed on the registry-wide field", () => {
    const report = guardrailsOf({ ...minimalRawConfig(), lifecycle: { enabled: false } });
    expect(violationsOf(report)).toEqual([{ rule: "ecr-lifecycle-policy", stack: "model-registry-dev", address: "aws_ecr_repository.ai-models__llm", configPath: "lifecycle" }]);
  });

  test("sharing with an organization (Principal * with aws:PrincipalOrgID) passes the public-access rule", () => {
    const raw = { ...minimalRawConfig(), consumers: [{ kind: "organization", organizationId: "o-a1b2c3d4e5" }] };
    const result = guardrailsOf(raw).results.find((r) => r.rule === "ecr-policy-no-public-access")!;
    expect([result.status, result.detail]).toEqual(["pass", 'Principal "*" only with an aws:PrincipalOrgID condition (1 statement)']);
  });

  test("a KMS repository without a customer managed key (aws/ecr) fails ecr-kms-encryption", () => {
    const report = guardrailsOf(minimalRawConfig(), (app) =>
      (resource(app, "model-registry-dev", "aws_ecr_repository.ai-models__llm") as EcrRepository).putEncryptionConfiguration([{ encryptionType: "KMS" }]),
    );
    expect(report.violations.map((v) => [v.rule, v.detail])).toEqual([["ecr-kms-encryption", "encryption_type is KMS without kms_key, i.e. the AWS managed key aws/ecr"]]);
  });

  test("HCP Terraform state passes both backend rules", () => {
    const raw = { ...minimalRawConfig(), state: { backend: "hcp", organization: "acme-ml" } };
    const results = guardrailsOf(raw).results.filter((r) => r.rule.startsWith("state-backend-"));
    expect(results.map((r) => [r.rule, r.address, r.status, r.detail])).toEqual([
      ["state-backend-encryption", "terraform.cloud", "pass", "HCP Terraform keeps the state, encrypted at rest"],
      ["state-backend-locking", "terraform.cloud", "pass", "HCP Terraform locks the workspace during runs"],
    ]);
  });
});

describe("the rules for what AWS must be able to do", () => {
  const CI = "arn:aws:iam::999999999999:role/ci";
  const detailsOf = (report: GuardrailReport, rule: string) => report.results.filter((r) => r.rule === rule).map((r) => [r.stack, r.address, r.status, r.detail]);
  const cacheConfig = (extra: Record<string, unknown> = {}) =>
    twoAccountConfig({
      consumers: [{ kind: "push", principal: CI }],
      repositoryCreationTemplates: [{ prefix: "ecr-public", appliedFor: ["PULL_THROUGH_CACHE"] }],
      pullThroughCache: { rules: [{ upstream: "ecr-public", environments: ["dev"] }] },
      ...extra,
    });

  test("a cache whose importers the template's repository policy does not let pull is a violation", () => {
    const report = guardrailsOf(cacheConfig(), (app) =>
      resource(app, "model-registry-dev", "aws_ecr_repository_creation_template.ecr-public").addOverride("repository_policy", undefined),
    );
    expect(detailsOf(report, "pull-through-cache-access")).toEqual([
      [
        "model-registry-dev",
        "aws_ecr_pull_through_cache_rule.ecr-public",
        "violation",
        `${CI} may import images into ecr-public/ but the repository policy of aws_ecr_repository_creation_template.ecr-public does not let it pull them`,
      ],
    ]);
  });

  test("a cache used through the registry policy and the template passes, and says by what", () => {
    expect(detailsOf(guardrailsOf(cacheConfig()), "pull-through-cache-access")).toEqual([
      ["model-registry-dev", "aws_ecr_pull_through_cache_rule.ecr-public", "pass", "principals may import into and pull from ecr-public/ (1 by the registry policy)"],
    ]);
  });

  test("a Notation profile nobody may sign with is a violation", () => {
    const report = guardrailsOf(twoAccountConfig({ signing: { environments: ["prod"], signers: [] } }));
    expect(detailsOf(report, "signing-profile-signers")).toEqual([
      ["model-registry-prod", "aws_signer_signing_profile.model_images", "violation", "nobody may sign with it: no profile permission or IAM policy of this stack grants signer:SignPayload on it"],
    ]);
  });

  test("a same-account signer's identity policy counts as a grant", () => {
    const raw = twoAccountConfig({ identityPolicies: true, signing: { environments: ["prod"], signers: [{ principal: "arn:aws:iam::222222222222:role/signer" }] } });
    expect(detailsOf(guardrailsOf(raw), "signing-profile-signers")).toEqual([
      ["model-registry-prod", "aws_signer_signing_profile.model_images", "pass", "signer:SignPayload is granted by aws_iam_policy.model_images"],
    ]);
  });

  test("the findings topic's key passes when EventBridge may use it unconditioned", () => {
    const report = guardrailsOf({ ...minimalRawConfig(), notifications: { subscriptions: [{ protocol: "email", endpoint: "security@example.com" }] } });
    expect(detailsOf(report, "eventbridge-topic-key")).toEqual([
      [
        "model-registry-dev",
        "aws_sns_topic.scan_findings",
        "pass",
        "aws_kms_key.scan_findings lets events.amazonaws.com use kms:Decrypt and kms:GenerateDataKey without source conditions",
      ],
    ]);
  });

  test("a key policy without any EventBridge statement is a violation too", () => {
    const report = guardrailsOf({ ...minimalRawConfig(), notifications: { subscriptions: [{ protocol: "email", endpoint: "security@example.com" }] } }, (app) =>
      resource(app, "model-registry-dev", "aws_kms_key.scan_findings").addOverride(
        "policy",
        JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" }] }),
      ),
    );
    expect(detailsOf(report, "eventbridge-topic-key")).toEqual([
      [
        "model-registry-dev",
        "aws_sns_topic.scan_findings",
        "violation",
        "aws_kms_key.scan_findings does not let events.amazonaws.com use kms:Decrypt and kms:GenerateDataKey, so EventBridge cannot publish to the topic",
      ],
    ]);
  });
});

describe("waivers", () => {
  const mutable = twoAccountConfig({
    repositories: [
      { name: "ai-models/llm", tagMutability: "MUTABLE" },
      { name: "ai-models/vision", tagMutability: "MUTABLE" },
    ],
  });

  test("cover only the repositories they name", () => {
    const report = guardrailsOf({ ...mutable, guardrails: { waivers: [{ rule: "ecr-tag-immutability", repositories: ["ai-models/llm"], reason: REASON }] } });
    expect(report.waived.map((w) => w.address)).toEqual(["aws_ecr_repository.ai-models__llm"]);
    expect(violationsOf(report)).toEqual([
      { rule: "ecr-tag-immutability", stack: "model-registry-prod", address: "aws_ecr_repository.ai-models__vision", configPath: "repositories[1].tagMutability" },
    ]);
  });

  test("cover only the environments they name", () => {
    const raw = {
      ...minimalRawConfig(),
      environments: [{ name: "dev" }, { name: "prod", region: "us-west-2" }],
      repositories: [{ name: "ai-models/llm", encryption: { type: "AES256" } }],
      guardrails: { waivers: [{ rule: "ecr-kms-encryption", environments: ["dev"], reason: REASON }] },
    };
    expect(violationsOf(guardrailsOf(raw)).map((v) => v.stack)).toEqual(["model-registry-prod"]);
  });

  test("without repositories or environments, cover every check of the rule; the first matching waiver is credited", () => {
    const report = guardrailsOf({
      ...mutable,
      guardrails: {
        waivers: [
          { rule: "ecr-tag-immutability", reason: REASON },
          { rule: "ecr-tag-immutability", repositories: ["ai-models/vision"], reason: REASON },
        ],
      },
    });
    expect(report.passed).toBe(true);
    expect(report.waivers.map((w) => w.matched.length)).toEqual([2, 0]);
    expect(guardrailSummaryLines(report, "out/guardrails.json")).toEqual([
      `Guardrails: 21 rules, ${report.results.length} checks, no violations, 2 waivers (out/guardrails.json):`,
      "  ecr-tag-immutability, everywhere (2 checks):",
      `    ${REASON}`,
      "  ecr-tag-immutability, repository ai-models/vision everywhere (matched nothing):",
      `    ${REASON}`,
    ]);
  });

  test("a waiver for another rule covers nothing", () => {
    const report = guardrailsOf({ ...mutable, guardrails: { waivers: [{ rule: "ecr-kms-encryption", repositories: ["ai-models/llm"], reason: REASON }] } });
    expect(report.violations.map((v) => v.rule)).toEqual(["ecr-tag-immutability", "ecr-tag-immutability"]);
  });
});

describe("synth with a violation", () => {
  const readme = documentation("docs/guardrails.md");
  const example = [...readme.matchAll(/```yaml\n(project:[\s\S]*?)```/g)].map((m) => m[1]).find((text) => text.includes("tagMutability: MUTABLE"))!;

  test("fails with the report docs/guardrails.md shows, keeps the previous output and writes nothing", () => {
    const dir = tempDir();
    const outdir = path.join(dir, "cdktf.out");
    const good = writeConfig(dir, parse(example.replace("tagMutability: MUTABLE", "tagMutability: IMMUTABLE")), "good.yaml");
    synthCommand({ REGISTRY_CONFIG: good, CDKTF_OUTDIR: outdir }, new PassThrough());
    const before = snapshotFolder(outdir);
    expect(Object.keys(before)).toContain(GUARDRAILS_FILE);

    const cwd = process.cwd();
    process.chdir(dir);
    let error: unknown;
    try {
      synthCommand({ REGISTRY_CONFIG: writeConfig(dir, example), CDKTF_OUTDIR: outdir }, new PassThrough());
    } catch (e) {
      error = e;
    } finally {
      process.chdir(cwd);
    }
    expect(error).toBeInstanceOf(GuardrailViolationError);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as GuardrailViolationError).message;
    expect(readme).toContain(`\`\`\`\nerror: ${message}\n\`\`\``);
    expect((error as ConfigError).problems).toEqual([
      {
        path: "repositories[0].tagMutability",
        message: "ecr-tag-immutability: model-registry-prod aws_ecr_repository.ai-models__llm-inference: image_tag_mutability is MUTABLE in the protected environment prod",
        location: "registry.yaml:11:20",
        subject: "repository ai-models/llm-inference",
      },
    ]);
    expect(snapshotFolder(outdir)).toEqual(before);
    expect(fs.readdirSync(dir).sort()).toEqual(["cdktf.out", "good.yaml", "registry.yaml"]);
  });

  test("npm run synth prints it without a stack trace and exits 1", () => {
    const dir = tempDir();
    const result = runMain(dir, { REGISTRY_CONFIG: writeConfig(dir, example) });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: registry\.yaml fails 1 guardrail check; nothing was written:\n  ecr-tag-immutability: model-registry-prod /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(dir)).toEqual(["registry.yaml"]);
  });

  test("npm run validate fails the same way, and counts the waivers of a passing config", () => {
    const dir = tempDir();
    // Its own baseline folder: the project's cdktf.out (whatever was synthesized last) is not this config's.
    const CDKTF_OUTDIR = path.join(dir, "cdktf.out");
    expect(() => validateCommand({ env: { REGISTRY_CONFIG: writeConfig(dir, example), CDKTF_OUTDIR }, out: new PassThrough() })).toThrow(GuardrailViolationError);
    const waived = { ...parse(example), guardrails: { waivers: [{ rule: "ecr-tag-immutability", environments: ["prod"], reason: REASON }] } };
    const out = new PassThrough();
    validateCommand({ env: { REGISTRY_CONFIG: writeConfig(dir, waived), CDKTF_OUTDIR }, out });
    expect(String(out.read())).toMatch(/; 21 guardrails passed \(1 waiver\); nothing written\.\n$/);
  });

  test("a passing synth writes guardrails.json, the report of what it wrote", () => {
    const dir = tempDir();
    const outdir = path.join(dir, "cdktf.out");
    const config = validConfig(minimalRawConfig());
    synthCommand({ REGISTRY_CONFIG: writeConfig(dir, minimalRawConfig()), CDKTF_OUTDIR: outdir }, new PassThrough());
    const stacks = fs.readdirSync(path.join(outdir, "stacks")).map((name) => ({ name, json: JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) }));
    expect(fs.readFileSync(path.join(outdir, GUARDRAILS_FILE), "utf8")).toBe(guardrailsJson(evaluateGuardrails(stacks, config)));
  });
});

describe("the stacks the guardrails read", () => {
  test("are refused for an app that was not synthesized", () => {
    const config = validConfig(minimalRawConfig());
    const app = buildApp(config, { outdir: path.join(tempDir(), "cdktf.out") });
    expect(() => synthesizedStacks(app)).toThrow("guardrails run on a synthesized app: call app.synth() first");
  });

  test("are exactly what synth wrote: each stack's cdk.tf.json parses to the document the guardrails read", () => {
    const config = validConfig(twoAccountConfig());
    const outdir = path.join(tempDir(), "cdktf.out");
    const app = buildApp(config, { outdir });
    app.synth();
    const stacks = synthesizedStacks(app);
    expect(stacks.map((s) => s.name)).toEqual(["model-registry-state", "model-registry-dev", "model-registry-prod"]);
    for (const stack of stacks) {
      expect(JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack.name, "cdk.tf.json"), "utf8"))).toEqual(stack.json);
    }
  });

  test("after an HCL synth, are the JSON of what the HCL declares", () => {
    const config = validConfig(twoAccountConfig());
    const jsonApp = buildApp(config, { outdir: path.join(tempDir(), "cdktf.out") });
    jsonApp.synth();
    process.env.SYNTH_HCL_OUTPUT = "true";
    let hclApp: App;
    try {
      hclApp = buildApp(config, { outdir: path.join(tempDir(), "cdktf.out") });
    } finally {
      delete process.env.SYNTH_HCL_OUTPUT;
    }
    hclApp.synth();
    expect(fs.existsSync(path.join(hclApp.outdir, "stacks/model-registry-dev/cdk.tf"))).toBe(true);
    expect(synthesizedStacks(hclApp)).toEqual(synthesizedStacks(jsonApp));
  });
});

describe("docs/guardrails.md", () => {
  const readme = documentation("docs/guardrails.md");

  test("lists every rule id in its generated rule table, which is up to date", () => {
    // If this fails, run `npm run docs` and commit the result.
    expect(currentGuardrailRules(readme)).toBe(renderGuardrailRules(GUARDRAIL_RULES));
    const rows = currentGuardrailRules(readme).split("\n").slice(2);
    expect(rows.map((row) => /^\| `([a-z0-9-]+)` \|/.exec(row)?.[1])).toEqual(GUARDRAIL_RULE_IDS);
  });

  test("its waiver example is valid config", () => {
    const section = readme.slice(readme.indexOf("### Waivers"), readme.indexOf("### `guardrails.json`"));
    const waivers = parse(/```yaml\n([\s\S]*?)```/.exec(section)![1]);
    const raw = twoAccountConfig({ repositories: [{ name: "ai-model-repository", tagMutability: "MUTABLE" }], ...waivers });
    expect(guardrailsOf(raw).waived.map((w) => w.address)).toEqual(["aws_ecr_repository.ai-model-repository"]);
  });
});

describe("formatViolations", () => {
  test("names the rule, stack, resource, config path and fix of each violation, then shows how to waive the first", () => {
    const report = guardrailsOf({ ...minimalRawConfig(), lifecycle: { enabled: false } });
    expect(formatViolations("registry.yaml", report)).toBe(
      [
        "registry.yaml fails 1 guardrail check; nothing was written:",
        "  ecr-lifecycle-policy: model-registry-dev aws_ecr_repository.ai-models__llm (lifecycle)",
        "    no aws_ecr_lifecycle_policy applies to it",
        "    fix: Remove lifecycle: {enabled: false} from the repository or template (or from the registry-wide lifecycle), or give it rules.",
        "A rule can be waived only with a written reason, in the config, e.g.:",
        "  guardrails:",
        "    waivers:",
        "      - rule: ecr-lifecycle-policy",
        "        repositories: [ai-models/llm]",
        "        environments: [dev]",
        "        reason: <why this rule does not apply here>",
      ].join("\n"),
    );
  });
});

describe("readSynthesizedStacks", () => {
  test("reads an output folder back, so a synth can be evaluated after the fact with the same result", () => {
    const config = validConfig(twoAccountConfig());
    const outdir = path.join(tempDir(), "cdktf.out");
    const app = buildApp(config, { outdir });
    app.synth();
    const stacks = readSynthesizedStacks(outdir);
    expect(stacks.map((s) => s.name)).toEqual(["model-registry-dev", "model-registry-prod", "model-registry-state"]);
    expect(guardrailsJson(evaluateGuardrails(stacks, config))).toBe(guardrailsJson(evaluateGuardrails(synthesizedStacks(app), config)));
  });
});

describe("policy documents, read as AWS reads them (pure evaluation of hand-written stacks)", () => {
  const config = validConfig(minimalRawConfig());
  /** A dev stack holding only a repository policy with these statements (or this text). */
  const withPolicy = (policy: unknown) => [
    {
      name: "model-registry-dev",
      json: {
        resource: {
          aws_ecr_repository_policy: {
            "ai-models__llm": { repository: "ai-models/llm", policy: typeof policy === "string" ? policy : JSON.stringify({ Version: "2012-10-17", Statement: policy }) },
          },
        },
      },
    },
  ];
  const outcome = (rule: string, policy: unknown) => {
    const result = evaluateGuardrails(withPolicy(policy), config).results.find((r) => r.rule === rule)!;
    return [result.status, result.detail];
  };
  const everyone = { Effect: "Allow", Principal: { AWS: "*" }, Action: "ecr:BatchGetImage" };

  test.each([
    ["an organization condition in any letter case", { ...everyone, Condition: { StringEquals: { "AWS:PrincipalOrgId": "o-a1b2c3d4e5" } } }, "pass"],
    ["ForAnyValue:StringEquals on aws:PrincipalOrgID", { ...everyone, Condition: { "ForAnyValue:StringEquals": { "aws:PrincipalOrgID": ["o-a1b2c3d4e5"] } } }, "pass"],
    ["an organization id with a wildcard", { ...everyone, Condition: { StringLike: { "aws:PrincipalOrgID": "o-*" } } }, "violation"],
    ["a condition on something else", { ...everyone, Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } } }, "violation"],
    ["a Deny to everyone", { ...everyone, Effect: "Deny" }, "pass"],
  ])("Principal * with %s: %s", (_what, statement, status) => {
    expect(outcome("ecr-policy-no-public-access", [statement])[0]).toBe(status);
  });

  test("NotPrincipal in an Allow statement is public", () => {
    expect(outcome("ecr-policy-no-public-access", [{ Sid: "AllButOne", Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "ecr:BatchGetImage" }])).toEqual([
      "violation",
      "statement AllButOne allows everyone except a NotPrincipal",
    ]);
  });

  test.each([
    ["ecr:*", "statement 1 allows ecr:*"],
    ["*", "statement 1 allows *"],
    ["ecr:Put*", "statement 1 allows ecr:Put*"],
    ["ecr:BatchGet?mage", "statement 1 allows ecr:BatchGet?mage"],
  ])("the action %j, written as a string, is a wildcard", (action, detail) => {
    expect(outcome("policy-no-wildcard-actions", [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: action }])).toEqual(["violation", detail]);
  });

  test("NotAction in an Allow statement grants everything else", () => {
    expect(outcome("policy-no-wildcard-actions", [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, NotAction: ["ecr:DeleteRepository"] }])).toEqual([
      "violation",
      "statement 1 allows every action except NotAction ecr:DeleteRepository",
    ]);
  });

  test("text that is not a policy document cannot pass", () => {
    expect(outcome("ecr-policy-no-public-access", "${data.aws_iam_policy_document.x.json}")).toEqual(["violation", "the policy is not a JSON policy document, so it cannot be checked"]);
  });
});
