import { Testing, TerraformStack } from "cdktf";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { buildApp } from "../src/stacks/app";
import { stateBucketPolicy } from "../src/policies/state-bucket-policy";
import { minimalRawConfig, tempDir, validConfig } from "./support/fixtures";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** The stacks `buildApp` makes for a config, by name. */
function stacksOf(raw: Record<string, any>): Map<string, TerraformStack> {
  const app = buildApp(validConfig(raw), { outdir: tempDir() });
  return new Map(app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack).map((s) => [s.node.id, s]));
}

/** A resource's settings without cdktf's `//` metadata, for exact comparison. */
function settingsOf(json: any, type: string, name = "state"): Record<string, unknown> {
  const { "//": _metadata, ...settings } = json.resource[type][name];
  return settings;
}

function synthBootstrap(state: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const stack = stacksOf({ ...minimalRawConfig(), ...extra, state }).get("model-registry-state");
  if (!stack) throw new Error("no model-registry-state stack");
  return Testing.synth(stack);
}

describe("the state bucket policy", () => {
  test("denies every request not made over TLS, on the bucket and on its objects", () => {
    expect(JSON.parse(stateBucketPolicy("acme-tfstate", "aws"))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: ["arn:aws:s3:::acme-tfstate", "arn:aws:s3:::acme-tfstate/*"],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });

  test("uses the partition of the bucket's region in its ARNs", () => {
    expect(JSON.parse(stateBucketPolicy("acme-tfstate", "aws-cn")).Statement[0].Resource).toEqual([
      "arn:aws-cn:s3:::acme-tfstate",
      "arn:aws-cn:s3:::acme-tfstate/*",
    ]);
  });

  test("is the same text on every call", () => {
    expect(stateBucketPolicy("acme-tfstate", "aws")).toBe(stateBucketPolicy("acme-tfstate", "aws"));
  });
});

describe("the state bootstrap stack with defaults", () => {
  const synthesized = synthBootstrap({ bucket: "acme-tfstate" });
  const json = JSON.parse(synthesized);

  test("requires Terraform 1.10 or later", () => {
    expect(json.terraform.required_version).toBe(">= 1.10.0");
  });

  test("keeps its own state in a local file beside the output folder, never inside it", () => {
    expect(json.terraform.backend).toEqual({ local: { path: "../../../terraform.model-registry-state.tfstate" } });
  });

  test("creates the bucket with force_destroy off and prevent_destroy on", () => {
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: "acme-tfstate", force_destroy: false });
    expect(settingsOf(json, "aws_s3_bucket")).toEqual({ bucket: "acme-tfstate", force_destroy: false, lifecycle: { prevent_destroy: true } });
  });

  test("turns versioning on", () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: "Enabled" } });
    expect(settingsOf(json, "aws_s3_bucket_versioning")).toEqual({
      bucket: "${aws_s3_bucket.state.id}",
      versioning_configuration: { status: "Enabled" },
    });
  });

  test("encrypts with its own rotating KMS key, protected from destroy, with S3 Bucket Keys", () => {
    expect(synthesized).toHaveResource(S3BucketServerSideEncryptionConfigurationA);
    expect(settingsOf(json, "aws_s3_bucket_server_side_encryption_configuration")).toEqual({
      bucket: "${aws_s3_bucket.state.id}",
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.state.arn}" }, bucket_key_enabled: true }],
    });
    expect(synthesized).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    expect(settingsOf(json, "aws_kms_key")).toEqual({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
      description: "Encrypts the Terraform state of model-registry in s3://acme-tfstate",
    });
    expect(synthesized).toHaveResourceWithProperties(KmsAlias, { name: "alias/model-registry-state" });
    expect(settingsOf(json, "aws_kms_alias")).toEqual({ name: "alias/model-registry-state", target_key_id: "${aws_kms_key.state.key_id}" });
  });

  test("blocks all four kinds of public access", () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, { block_public_acls: true });
    expect(settingsOf(json, "aws_s3_bucket_public_access_block")).toEqual({
      bucket: "${aws_s3_bucket.state.id}",
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("disables ACLs: the bucket owner owns every object", () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: "BucketOwnerEnforced" } });
    expect(settingsOf(json, "aws_s3_bucket_ownership_controls")).toEqual({
      bucket: "${aws_s3_bucket.state.id}",
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
  });

  test("attaches the deny-insecure-transport policy after the public access block", () => {
    const { policy, ...rest } = settingsOf(json, "aws_s3_bucket_policy");
    expect(rest).toEqual({ bucket: "${aws_s3_bucket.state.id}", depends_on: ["aws_s3_bucket_public_access_block.state"] });
    expect(JSON.parse(policy as string)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: ["arn:aws:s3:::acme-tfstate", "arn:aws:s3:::acme-tfstate/*"],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });

  test("expires noncurrent state versions after 90 days and aborts stale multipart uploads after 7, once versioning is on", () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, { depends_on: ["aws_s3_bucket_versioning.state"] });
    expect(settingsOf(json, "aws_s3_bucket_lifecycle_configuration")).toEqual({
      bucket: "${aws_s3_bucket.state.id}",
      depends_on: ["aws_s3_bucket_versioning.state"],
      rule: [
        {
          id: "expire-noncurrent-state-versions",
          status: "Enabled",
          filter: [{}],
          noncurrent_version_expiration: [{ noncurrent_days: 90 }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        },
      ],
    });
  });

  test("names every resource state, and creates nothing else", () => {
    expect(Object.fromEntries(Object.entries(json.resource).map(([type, byName]) => [type, Object.keys(byName as object)]))).toEqual({
      aws_kms_alias: ["state"],
      aws_kms_key: ["state"],
      aws_s3_bucket: ["state"],
      aws_s3_bucket_lifecycle_configuration: ["state"],
      aws_s3_bucket_ownership_controls: ["state"],
      aws_s3_bucket_policy: ["state"],
      aws_s3_bucket_public_access_block: ["state"],
      aws_s3_bucket_server_side_encryption_configuration: ["state"],
      aws_s3_bucket_versioning: ["state"],
    });
  });

  test("outputs the settings of the environment stacks' S3 backend", () => {
    expect(json.output).toEqual({
      state_bucket: { description: "S3 backend bucket of the environment stacks", value: "${aws_s3_bucket.state.bucket}" },
      state_region: { description: "S3 backend region of the environment stacks", value: "us-east-1" },
      state_key_prefix: {
        description: "Prefix of each environment's state key: <prefix>/<environment>/terraform.tfstate",
        value: "model-registry",
      },
      state_kms_key_arn: {
        description: "KMS key that encrypts the state objects (S3 backend kms_key_id)",
        value: "${aws_kms_key.state.arn}",
      },
    });
  });

  test("tags its resources as Terraform state, without an Environment tag", () => {
    expect(synthesized).toHaveProviderWithProperties(AwsProvider, {
      region: "us-east-1",
      default_tags: [{ tags: { ManagedBy: "ecr-model-registry", Project: "model-registry", Purpose: "Terraform state" } }],
    });
  });
});

describe("state bootstrap settings", () => {
  test("AES256 encryption uses S3-managed keys and creates no KMS key", () => {
    const json = JSON.parse(synthBootstrap({ bucket: "acme-tfstate", encryption: { type: "AES256" } }));
    expect(json.resource.aws_s3_bucket_server_side_encryption_configuration.state.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    expect(json.resource.aws_kms_key).toBeUndefined();
    expect(json.output.state_kms_key_arn).toBeUndefined();
  });

  test("an existing key ARN encrypts the bucket instead of a new key", () => {
    const json = JSON.parse(synthBootstrap({ bucket: "acme-tfstate", encryption: { kmsKeyArn: KEY_ARN } }));
    expect(json.resource.aws_s3_bucket_server_side_encryption_configuration.state.rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "aws:kms",
      kms_master_key_id: KEY_ARN,
    });
    expect(json.resource.aws_kms_key).toBeUndefined();
    expect(json.output.state_kms_key_arn.value).toBe(KEY_ARN);
  });

  test("the noncurrent version expiration comes from config", () => {
    const json = JSON.parse(synthBootstrap({ bucket: "acme-tfstate", noncurrentVersionExpirationDays: 30 }));
    expect(json.resource.aws_s3_bucket_lifecycle_configuration.state.rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
  });

  test("the bucket's region, account and key prefix come from state, its tags from the registry", () => {
    const json = JSON.parse(
      synthBootstrap(
        { bucket: "acme-tfstate", region: "cn-north-1", accountId: "333333333333", keyPrefix: "teams/ml" },
        { accountId: "111111111111", tags: { Team: "ml-platform" } },
      ),
    );
    expect(json.provider.aws[0].region).toBe("cn-north-1");
    expect(json.provider.aws[0].allowed_account_ids).toEqual(["333333333333"]);
    expect(json.provider.aws[0].default_tags[0].tags.Team).toBe("ml-platform");
    expect(json.output.state_region.value).toBe("cn-north-1");
    expect(json.output.state_key_prefix.value).toBe("teams/ml");
    expect(JSON.parse(json.resource.aws_s3_bucket_policy.state.policy).Statement[0].Resource[0]).toBe("arn:aws-cn:s3:::acme-tfstate");
  });

  test("the bucket's account defaults to the registry's account", () => {
    const json = JSON.parse(synthBootstrap({ bucket: "acme-tfstate" }, { accountId: "111111111111" }));
    expect(json.provider.aws[0].allowed_account_ids).toEqual(["111111111111"]);
  });
});

describe("which stacks the app builds", () => {
  const environments = [{ name: "dev" }, { name: "prod", region: "us-west-2" }];

  test("the bootstrap stack comes first, then one stack per environment, with the S3 backend", () => {
    expect([...stacksOf({ ...minimalRawConfig(), environments }).keys()]).toEqual([
      "model-registry-state",
      "model-registry-dev",
      "model-registry-prod",
    ]);
  });

  test("no bootstrap stack with bootstrap: false", () => {
    const raw = { ...minimalRawConfig(), environments, state: { bucket: "acme-tfstate", bootstrap: false, encryption: { type: "AES256" } } };
    expect([...stacksOf(raw).keys()]).toEqual(["model-registry-dev", "model-registry-prod"]);
  });

  test("no bootstrap stack with HCP Terraform", () => {
    const raw = { ...minimalRawConfig(), environments, state: { backend: "hcp", organization: "acme" } };
    expect([...stacksOf(raw).keys()]).toEqual(["model-registry-dev", "model-registry-prod"]);
  });
});
