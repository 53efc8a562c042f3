import { EcrRegistryScanningConfiguration } from "@cdktf/provider-aws/lib/ecr-registry-scanning-configuration";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { minimalRawConfig, synthEnvironment, synthJson } from "./support/fixtures";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function withRepositories(...repositories: Array<Record<string, unknown>>): Record<string, any> {
  return { ...minimalRawConfig(), repositories };
}

describe("a repository with defaults", () => {
  const synthesized = synthEnvironment(withRepositories({ name: "ai-models/llm" }));
  const json = JSON.parse(synthesized);

  test("is immutable, scanned on push, KMS-encrypted with the environment key and never force-deleted", () => {
    expect(synthesized).toHaveResourceWithProperties(EcrRepository, {
      name: "ai-models/llm",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "KMS", kms_key: "${aws_kms_key.registry.arn}" }],
      force_delete: false,
    });
  });

  test("carries the Purpose tag", () => {
    expect(json.resource.aws_ecr_repository["ai-models__llm"].tags).toEqual({ Purpose: "AI Model Storage" });
  });

  test("gets a logical id derived from its name", () => {
    expect(Object.keys(json.resource.aws_ecr_repository)).toEqual(["ai-models__llm"]);
  });

  test("exports its URL, ARN and registry id under names derived from the repository name", () => {
    expect(json.output).toEqual({
      "ai-models__llm_registry_id": {
        description: "Registry (account) id of ai-models/llm",
        value: "${aws_ecr_repository.ai-models__llm.registry_id}",
      },
      "ai-models__llm_repository_arn": { description: "ARN of ai-models/llm", value: "${aws_ecr_repository.ai-models__llm.arn}" },
      "ai-models__llm_repository_url": {
        description: "Push and pull address of ai-models/llm",
        value: "${aws_ecr_repository.ai-models__llm.repository_url}",
      },
    });
  });
});

describe("the environment key", () => {
  test("is a rotating KMS key with a 30-day deletion window and an alias named after the stack", () => {
    const synthesized = synthEnvironment(withRepositories({ name: "ab" }));
    expect(synthesized).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(synthesized).toHaveResourceWithProperties(KmsAlias, {
      name: "alias/model-registry-dev-ecr",
      target_key_id: "${aws_kms_key.registry.key_id}",
    });
  });

  test("is shared by every repository that uses managed KMS", () => {
    const json = synthJson(withRepositories({ name: "ab" }, { name: "cd" }));
    expect(Object.keys(json.resource.aws_kms_key)).toEqual(["registry"]);
    expect(json.resource.aws_ecr_repository.cd.encryption_configuration).toEqual([{ encryption_type: "KMS", kms_key: "${aws_kms_key.registry.arn}" }]);
  });

  test("is not created when no repository needs it", () => {
    const json = synthJson(withRepositories({ name: "ab", encryption: { type: "AES256" } }, { name: "cd", encryption: { kmsKeyArn: KEY_ARN } }));
    expect(json.resource.aws_kms_key).toBeUndefined();
    expect(json.resource.aws_kms_alias).toBeUndefined();
  });
});

describe("repository settings", () => {
  test("the seed's case: MUTABLE tags, scan on push, Purpose tag", () => {
    const synthesized = synthEnvironment(
      withRepositories({ name: "ai-model-repository", tagMutability: "MUTABLE", scanOnPush: true, tags: { Purpose: "AI Model Storage" } }),
    );
    expect(synthesized).toHaveResourceWithProperties(EcrRepository, {
      name: "ai-model-repository",
      image_tag_mutability: "MUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      tags: { Purpose: "AI Model Storage" },
    });
  });

  test("exclusion filters become wildcard tag mutability exclusion filters", () => {
    const json = synthJson(withRepositories({ name: "ab", tagMutability: "IMMUTABLE_WITH_EXCLUSION", mutabilityExclusions: ["latest", "dev-*"] }));
    expect(json.resource.aws_ecr_repository.ab).toMatchObject({
      image_tag_mutability: "IMMUTABLE_WITH_EXCLUSION",
      image_tag_mutability_exclusion_filter: [
        { filter: "dev-*", filter_type: "WILDCARD" },
        { filter: "latest", filter_type: "WILDCARD" },
      ],
    });
  });

  test("MUTABLE_WITH_EXCLUSION is passed through", () => {
    const json = synthJson(withRepositories({ name: "ab", tagMutability: "MUTABLE_WITH_EXCLUSION", mutabilityExclusions: ["release-*"] }));
    expect(json.resource.aws_ecr_repository.ab.image_tag_mutability).toBe("MUTABLE_WITH_EXCLUSION");
  });

  test("scanOnPush false turns off the repository's scan on push", () => {
    expect(synthEnvironment(withRepositories({ name: "ab", scanOnPush: false }))).toHaveResourceWithProperties(EcrRepository, {
      image_scanning_configuration: { scan_on_push: false },
    });
  });

  test("AES256 encryption has no key", () => {
    const json = synthJson(withRepositories({ name: "ab", encryption: { type: "AES256" } }));
    expect(json.resource.aws_ecr_repository.ab.encryption_configuration).toEqual([{ encryption_type: "AES256" }]);
  });

  test("an existing key ARN is used as given", () => {
    const json = synthJson(withRepositories({ name: "ab", encryption: { type: "KMS", kmsKeyArn: KEY_ARN } }));
    expect(json.resource.aws_ecr_repository.ab.encryption_configuration).toEqual([{ encryption_type: "KMS", kms_key: KEY_ARN }]);
  });

  test("repository tags are merged over Purpose and sorted by key", () => {
    const json = synthJson(withRepositories({ name: "ab", tags: { Zeta: "z", Alpha: "a" } }));
    expect(JSON.stringify(json.resource.aws_ecr_repository.ab.tags)).toBe('{"Alpha":"a","Purpose":"AI Model Storage","Zeta":"z"}');
  });

  test("a repository name starting with a digit gets an underscore-prefixed logical id", () => {
    const json = synthJson(withRepositories({ name: "3d-models/nerf" }));
    expect(json.resource.aws_ecr_repository["_3d-models__nerf"].name).toBe("3d-models/nerf");
    expect(json.output["_3d-models__nerf_repository_url"].value).toBe("${aws_ecr_repository._3d-models__nerf.repository_url}");
  });

  test("adding a repository does not rename the others' resources", () => {
    const before = synthJson(withRepositories({ name: "bb" }));
    const after = synthJson(withRepositories({ name: "aa" }, { name: "bb" }));
    expect(after.resource.aws_ecr_repository.bb).toEqual(before.resource.aws_ecr_repository.bb);
    expect(after.output.bb_repository_url).toEqual(before.output.bb_repository_url);
  });

  test("only the repositories of the environment are in its stack", () => {
    const raw = {
      ...minimalRawConfig(),
      environments: [{ name: "dev" }, { name: "prod", region: "us-west-2" }],
      repositories: [{ name: "shared" }, { name: "experiment", environments: ["dev"] }],
    };
    expect(Object.keys(synthJson(raw, "dev").resource.aws_ecr_repository)).toEqual(["experiment", "shared"]);
    expect(Object.keys(synthJson(raw, "prod").resource.aws_ecr_repository)).toEqual(["shared"]);
  });
});

describe("the provider", () => {
  test("uses the environment region and default tags for Purpose, ManagedBy, Environment, Project and the config's tags", () => {
    const raw = { ...minimalRawConfig(), tags: { Team: "ml-platform" }, environments: [{ name: "dev", region: "eu-central-1" }] };
    expect(synthEnvironment(raw)).toHaveProviderWithProperties(AwsProvider, {
      region: "eu-central-1",
      default_tags: [
        {
          tags: {
            Environment: "dev",
            ManagedBy: "ecr-model-registry",
            Project: "model-registry",
            Purpose: "AI Model Storage",
            Team: "ml-platform",
          },
        },
      ],
    });
  });

  test("refuses other accounts when the account id is known", () => {
    const raw = { ...minimalRawConfig(), accountId: "123456789012" };
    expect(synthJson(raw).provider.aws[0].allowed_account_ids).toEqual(["123456789012"]);
  });

  test("an environment's account id overrides the registry's", () => {
    const raw = { ...minimalRawConfig(), accountId: "123456789012", environments: [{ name: "dev", accountId: "210987654321" }] };
    expect(synthJson(raw).provider.aws[0].allowed_account_ids).toEqual(["210987654321"]);
  });

  test("has no allowed account ids when no account id is configured", () => {
    expect(synthJson(minimalRawConfig()).provider.aws[0].allowed_account_ids).toBeUndefined();
  });
});

describe("the terraform block", () => {
  test("requires Terraform 1.10 or later, for S3 native locking and removed blocks", () => {
    expect(synthJson(minimalRawConfig()).terraform.required_version).toBe(">= 1.10.0");
  });
});

describe("the S3 backend", () => {
  test("is encrypted with the state key, uses S3 native locking and one key per environment", () => {
    const raw = { ...minimalRawConfig(), environments: [{ name: "dev" }, { name: "prod", region: "us-west-2" }] };
    expect(synthJson(raw, "prod").terraform.backend).toEqual({
      s3: {
        bucket: "acme-tfstate",
        key: "model-registry/prod/terraform.tfstate",
        region: "us-east-1",
        encrypt: true,
        kms_key_id: "alias/model-registry-state",
        use_lockfile: true,
      },
    });
  });

  test("takes the state region, an environment's own key and a DynamoDB lock table from config", () => {
    const raw = {
      ...minimalRawConfig(),
      state: { bucket: "acme-tfstate", region: "eu-west-1", dynamodbTable: "terraform-locks", encryption: { type: "AES256" } },
      environments: [{ name: "dev", stateKey: "legacy/dev.tfstate" }],
    };
    expect(synthJson(raw).terraform.backend.s3).toEqual({
      bucket: "acme-tfstate",
      key: "legacy/dev.tfstate",
      region: "eu-west-1",
      encrypt: true,
      use_lockfile: true,
      dynamodb_table: "terraform-locks",
    });
  });
});

describe("registry scanning", () => {
  test("is BASIC with a scan-on-push rule for every repository when all of them scan", () => {
    expect(synthEnvironment(withRepositories({ name: "ab" }, { name: "cd" }))).toHaveResourceWithProperties(EcrRegistryScanningConfiguration, {
      scan_type: "BASIC",
      rule: [{ scan_frequency: "SCAN_ON_PUSH", repository_filter: [{ filter: "*", filter_type: "WILDCARD" }] }],
    });
  });

  test("lists exactly the scanned repositories when one opts out, so the registry rule does not override it", () => {
    const json = synthJson(withRepositories({ name: "zz" }, { name: "ab", scanOnPush: false }, { name: "cd" }));
    expect(json.resource.aws_ecr_registry_scanning_configuration.registry.rule).toEqual([
      {
        scan_frequency: "SCAN_ON_PUSH",
        repository_filter: [
          { filter: "cd", filter_type: "WILDCARD" },
          { filter: "zz", filter_type: "WILDCARD" },
        ],
      },
    ]);
  });

  test("is left out of an environment that does not manage registry settings", () => {
    const raw = { ...minimalRawConfig(), environments: [{ name: "dev", manageRegistrySettings: false }] };
    expect(synthJson(raw).resource.aws_ecr_registry_scanning_configuration).toBeUndefined();
  });
});
