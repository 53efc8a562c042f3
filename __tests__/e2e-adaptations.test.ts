import * as fs from "fs";
import * as path from "path";
import {
  adaptStack,
  allowedEmulatorDiff,
  DEFERRED_RESOURCE_TYPES,
  DROPPED_ARGUMENTS,
  DROPPED_RESOURCE_TYPES,
  emulatorBackendConfig,
  emulatorOverride,
  EMULATOR_DIFFS,
  MIRROR_PROVIDER_VERSION,
  providerAccount,
  REPLACED_VALUES,
  SETTLING_RESOURCE_TYPES,
} from "../e2e/adaptations";
import { findTools, terraformCliConfig } from "../e2e/tools";
import { withRename, withRepository, withRetired, withoutRepository } from "../e2e/variants";
import { PROJECT_ROOT } from "./support/fixtures";

const stack = () => ({
  terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" } } },
  provider: {
    aws: [
      { region: "us-west-2", allowed_account_ids: ["222222222222"] },
      { alias: "eu-west-1", region: "eu-west-1", allowed_account_ids: ["222222222222"] },
    ],
  },
  resource: {
    aws_ecr_repository: {
      models: {
        name: "models",
        image_tag_mutability: "IMMUTABLE_WITH_EXCLUSION",
        image_tag_mutability_exclusion_filter: [{ filter: "latest", filter_type: "WILDCARD" }],
      },
    },
    aws_ecr_pull_through_cache_rule: { "ecr-public": { ecr_repository_prefix: "ecr-public" } },
    aws_ecr_registry_policy: {
      registry: { policy: JSON.stringify({ Statement: [{ Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"] }] }) },
    },
    aws_ecr_repository_policy: { models: { repository: "${aws_ecr_repository.models.name}", policy: "{}" } },
    aws_s3_bucket_policy: { state: { bucket: "b", policy: "{}" } },
    aws_iam_role_policy: { cache: { policy: "${aws_ecr_pull_through_cache_rule.ecr-public.registry_id}" } },
  },
  output: {
    cache_url: { value: "${aws_ecr_pull_through_cache_rule.ecr-public.registry_id}" },
    models_url: { value: "${aws_ecr_repository.models.repository_url}" },
  },
});

describe("adaptStack", () => {
  const { json, adaptations } = adaptStack(stack());

  test("pins the AWS provider to the mirror's version", () => {
    expect(json.terraform.required_providers.aws).toEqual({ source: "aws", version: MIRROR_PROVIDER_VERSION });
  });

  test("drops provider 6 arguments and maps the values 5.100 refuses", () => {
    expect(json.resource.aws_ecr_repository.models).toEqual({ name: "models", image_tag_mutability: "IMMUTABLE" });
  });

  test("drops resource types the emulator does not implement, with what refers to them", () => {
    expect(Object.keys(json.resource).sort()).toEqual(["aws_ecr_repository", "aws_ecr_repository_policy"]);
    expect(Object.keys(json.output)).toEqual(["models_url"]);
  });

  test("keeps a registry policy whose actions the emulator accepts", () => {
    const replication = stack();
    replication.resource.aws_ecr_registry_policy.registry.policy = JSON.stringify({ Statement: [{ Action: ["ecr:CreateRepository", "ecr:ReplicateImage"] }] });
    expect(adaptStack(replication).json.resource.aws_ecr_registry_policy).toBeDefined();
  });

  test("keeps deferred resource types when asked to", () => {
    expect(adaptStack(stack(), { deferred: "keep" }).json.resource.aws_s3_bucket_policy).toEqual({ state: { bucket: "b", policy: "{}" } });
  });

  test("says what it changed, one line each", () => {
    expect(adaptations).toEqual([
      "terraform.required_providers.aws.version: 6.25.0 -> 5.100.0 (the machine's provider mirror)",
      "aws_ecr_repository.models: dropped image_tag_mutability_exclusion_filter (tag-mutability exclusion filters arrived in AWS provider 6.x; 5.100 has no such argument)",
      "aws_ecr_repository.models: image_tag_mutability IMMUTABLE_WITH_EXCLUSION -> IMMUTABLE (5.100 accepts only MUTABLE and IMMUTABLE (the exclusion filters above are dropped with it))",
      "aws_ecr_pull_through_cache_rule.ecr-public: dropped (moto answers NotImplemented for CreatePullThroughCacheRule)",
      expect.stringMatching(/^aws_ecr_registry_policy\.registry: dropped \(moto accepts only ecr:CreateRepository and ecr:ReplicateImage/),
      expect.stringMatching(/^aws_s3_bucket_policy\.state: dropped \(moto treats a Deny statement/),
      "aws_iam_role_policy.cache: dropped (refers to a dropped resource)",
      "output.cache_url: dropped (refers to a dropped resource)",
    ]);
  });

  test("leaves the stack it was given unchanged", () => {
    const original = stack();
    adaptStack(original);
    expect(original).toEqual(stack());
  });
});

describe("the emulator's Terraform settings", () => {
  test("point every provider block, by alias, at its account's emulator", () => {
    const override = emulatorOverride(stack(), (account) => `https://127.0.0.1:${account === "222222222222" ? 4000 : 1}`);
    expect(override.provider.aws.map((p: any) => [p.alias, p.endpoints[0].ecr, p.endpoints[0].sts, p.access_key])).toEqual([
      [undefined, "https://127.0.0.1:4000", "https://127.0.0.1:4000", "test"],
      ["eu-west-1", "https://127.0.0.1:4000", "https://127.0.0.1:4000", "test"],
    ]);
  });

  test("name a provider's account only when it pins exactly one", () => {
    expect(providerAccount({ allowed_account_ids: ["111111111111"] })).toBe("111111111111");
    expect(providerAccount({ allowed_account_ids: ["1", "2"] })).toBeUndefined();
    expect(providerAccount({})).toBeUndefined();
  });

  test("give the S3 backend endpoints and test credentials, nothing of the stack's own", () => {
    const config = emulatorBackendConfig("https://127.0.0.1:4000");
    expect(config).toContain('endpoints = { s3 = "https://127.0.0.1:4000", sts = "https://127.0.0.1:4000", iam = "https://127.0.0.1:4000" }');
    expect(config).not.toMatch(/^(bucket|key|region|encrypt|kms_key_id|use_lockfile|assume_role)\b/m);
  });

  test("are not needed to say plainly what a machine lacks", () => {
    expect(findTools({ PATH: "", E2E_PROVIDER_MIRROR: "/nonexistent", HOME: "/nonexistent" })).toEqual(
      expect.arrayContaining(["terraform on PATH", "moto_server on PATH (pip install 'moto[server]')", "openssl on PATH"]),
    );
  });

  test("install providers from the mirror only", () => {
    expect(terraformCliConfig("/opt/tf-plugins")).toBe(
      'provider_installation {\n  filesystem_mirror {\n    path    = "/opt/tf-plugins"\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n',
    );
  });

  test("allow a re-plan change only on the attributes listed with a reason", () => {
    expect(allowedEmulatorDiff("aws_sns_topic", ["signature_version"])?.map((d) => d.attribute)).toEqual(["signature_version"]);
    expect(allowedEmulatorDiff("aws_sns_topic", ["signature_version", "name"])).toBeUndefined();
    expect(allowedEmulatorDiff("aws_ecr_repository", ["signature_version"])).toBeUndefined();
    expect(allowedEmulatorDiff("aws_sns_topic", [])).toBeUndefined();
  });
});

describe("the e2e's config changes", () => {
  const config = "project: p\nrepositories:\n  # the first\n  - name: a\n  - name: b\nretired: []\n";

  test("rename a repository and list its old name in renamedFrom, keeping comments", () => {
    expect(withRename(config, "a", "c")).toBe("project: p\nrepositories:\n  # the first\n  - name: c\n    renamedFrom:\n      - a\n  - name: b\nretired: []\n");
  });

  test("retire a repository: gone from repositories, listed in retired", () => {
    expect(withRetired(config, "b")).toBe("project: p\nrepositories:\n  # the first\n  - name: a\nretired:\n  - b\n");
  });

  test("drop a repository and nothing else (a comment before the list stays)", () => {
    expect(withoutRepository(config, "a")).toBe("project: p\nrepositories:\n  # the first\n  - name: b\nretired: []\n");
  });

  test("add a repository and its guardrail waivers", () => {
    const added = withRepository(config, { name: "c", adopt: ["dev"] }, [{ rule: "r", repositories: ["c"], reason: "why" }]);
    expect(added).toBe(
      "project: p\nrepositories:\n  # the first\n  - name: a\n  - name: b\n  - name: c\n    adopt:\n      - dev\nretired: []\nguardrails:\n  waivers:\n    - rule: r\n      repositories:\n        - c\n      reason: why\n",
    );
  });

  test("refuse a repository the config does not have", () => {
    expect(() => withRename(config, "x", "y")).toThrow("the config has no repository x");
  });
});

describe("docs/e2e.md", () => {
  const page = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "e2e.md"), "utf8");

  test("names every adaptation, deferred type, settling type and allowed emulator difference", () => {
    const named = [
      ...DROPPED_ARGUMENTS.map((a) => a.argument),
      ...REPLACED_VALUES.map((v) => v.from),
      ...[...DROPPED_RESOURCE_TYPES, ...DEFERRED_RESOURCE_TYPES, ...SETTLING_RESOURCE_TYPES, ...EMULATOR_DIFFS].map((t) => t.resourceType),
      ...EMULATOR_DIFFS.map((d) => d.attribute),
    ];
    expect(named.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });
});
