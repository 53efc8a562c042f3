import { stringify } from "yaml";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { parseRoleArn } from "../src/config/schema/assume-role";
import { parseConfig } from "../src/checks";
import { minimalRawConfig, synthEnvironment, synthJson } from "./support/fixtures";
import { problemsOf } from "./support/problems";

const DEV_ROLE = "arn:aws:iam::111111111111:role/terraform-deploy";
const PROD_ROLE = "arn:aws:iam::222222222222:role/platform/terraform-deploy";


function withEnvironments(...environments: Array<Record<string, unknown>>): Record<string, any> {
  return { ...minimalRawConfig(), environments };
}

const twoAccounts = withEnvironments(
  { name: "dev", accountId: "111111111111", assumeRoleArn: DEV_ROLE },
  { name: "prod", accountId: "222222222222", region: "us-west-2", assumeRoleArn: PROD_ROLE, externalId: "model-registry", sessionName: "model-registry-prod" },
);

describe("environments in several accounts", () => {
  test("each provider assumes its environment's role and allows only its account", () => {
    expect(synthEnvironment(twoAccounts, "dev")).toHaveProviderWithProperties(AwsProvider, {
      region: "us-east-1",
      allowed_account_ids: ["111111111111"],
      assume_role: [{ role_arn: DEV_ROLE }],
    });
    expect(synthEnvironment(twoAccounts, "prod")).toHaveProviderWithProperties(AwsProvider, {
      region: "us-west-2",
      allowed_account_ids: ["222222222222"],
      assume_role: [{ role_arn: PROD_ROLE, external_id: "model-registry", session_name: "model-registry-prod" }],
    });
  });

  test("the assume_role block carries exactly the configured fields", () => {
    expect(synthJson(twoAccounts, "dev").provider.aws[0].assume_role).toEqual([{ role_arn: DEV_ROLE }]);
  });

  test("an environment without a role has no assume_role block", () => {
    expect(synthJson({ ...minimalRawConfig(), accountId: "123456789012" }).provider.aws[0].assume_role).toBeUndefined();
  });

  test("a role in the registry's account needs no accountId on the environment", () => {
    const raw = { ...withEnvironments({ name: "dev", assumeRoleArn: DEV_ROLE }), accountId: "111111111111" };
    expect(synthJson(raw).provider.aws[0].allowed_account_ids).toEqual(["111111111111"]);
  });

  test("without any accountId, the role's account is the only one allowed", () => {
    expect(synthJson(withEnvironments({ name: "dev", assumeRoleArn: PROD_ROLE })).provider.aws[0].allowed_account_ids).toEqual([
      "222222222222",
    ]);
  });

  test("a role in GovCloud or China is accepted in a region of its partition", () => {
    const gov = withEnvironments({ name: "gov", region: "us-gov-west-1", accountId: "333333333333", assumeRoleArn: "arn:aws-us-gov:iam::333333333333:role/deploy" });
    const cn = withEnvironments({ name: "cn", region: "cn-north-1", accountId: "444444444444", assumeRoleArn: "arn:aws-cn:iam::444444444444:role/deploy" });
    expect(synthJson(gov, "gov").provider.aws[0].assume_role).toEqual([{ role_arn: "arn:aws-us-gov:iam::333333333333:role/deploy" }]);
    expect(synthJson(cn, "cn").provider.aws[0].assume_role).toEqual([{ role_arn: "arn:aws-cn:iam::444444444444:role/deploy" }]);
  });
});

describe("role validation", () => {
  test("a role in another account than the environment's accountId is an error at the role's path", () => {
    const raw = withEnvironments({ name: "dev" }, { name: "prod", region: "us-west-2", accountId: "222222222222", assumeRoleArn: DEV_ROLE });
    expect(problemsOf(raw)).toEqual([
      "environments[1].assumeRoleArn: is a role in account 111111111111, but this environment deploys into account 222222222222 (environments[1].accountId); use a role in 222222222222, correct the accountId, or set allowCrossAccountRole: true",
    ]);
  });

  test("a role in another account than the registry's accountId is an error naming the registry's accountId", () => {
    const raw = { ...withEnvironments({ name: "dev", assumeRoleArn: PROD_ROLE }), accountId: "111111111111" };
    expect(problemsOf(raw)).toEqual([
      "environments[0].assumeRoleArn: is a role in account 222222222222, but this environment deploys into account 111111111111 (the registry's accountId); use a role in 111111111111, correct the accountId, or set allowCrossAccountRole: true",
    ]);
  });

  test("allowCrossAccountRole accepts the mismatch but still allows only the environment's account", () => {
    const raw = withEnvironments({ name: "dev", accountId: "111111111111", assumeRoleArn: PROD_ROLE, allowCrossAccountRole: true });
    expect(synthEnvironment(raw)).toHaveProviderWithProperties(AwsProvider, {
      allowed_account_ids: ["111111111111"],
      assume_role: [{ role_arn: PROD_ROLE }],
    });
  });

  test("a role in a partition other than the region's is an error", () => {
    const raw = withEnvironments({ name: "dev", accountId: "111111111111", assumeRoleArn: "arn:aws-cn:iam::111111111111:role/deploy" });
    expect(problemsOf(raw)).toEqual([
      "environments[0].assumeRoleArn: is in partition aws-cn, but the environment's region us-east-1 is in partition aws",
    ]);
  });

  test("a bad region is reported once, not again as a partition mismatch", () => {
    const raw = withEnvironments({ name: "dev", region: "cn-norf-1", assumeRoleArn: "arn:aws-cn:iam::111111111111:role/deploy" });
    expect(problemsOf(raw)).toEqual(["environments[0].region: must be an AWS region name such as us-east-1 or eu-central-1"]);
  });

  test.each([
    ["arn:aws:iam::111111111111:user/deploy", 'the resource "user/deploy" should be role/<name>'],
    ["arn:aws:iam::1111:role/deploy", 'the account "1111" has 4 digits, not 12'],
    ["arn:aws:sts::111111111111:assumed-role/deploy/session", 'the service "sts" should be "iam"; the resource "assumed-role/deploy/session" should be role/<name>'],
    ["arn:aws-eu:iam::111111111111:role/deploy", 'the partition "aws-eu" is not aws, aws-cn or aws-us-gov'],
    ["terraform-deploy", 'it does not start with "arn:"'],
  ])("%j is not a role ARN, and the message says which field is wrong", (arn, field) => {
    expect(problemsOf(withEnvironments({ name: "dev", assumeRoleArn: arn }))).toEqual([
      `environments[0].assumeRoleArn: must be an IAM role ARN such as arn:aws:iam::123456789012:role/terraform-deploy (partition aws, aws-cn or aws-us-gov): ${field}`,
    ]);
  });

  test("externalId, sessionName and allowCrossAccountRole without a role are errors at their paths", () => {
    expect(problemsOf(withEnvironments({ name: "dev", externalId: "abc", sessionName: "me", allowCrossAccountRole: true }))).toEqual([
      "environments[0].externalId: is only allowed with assumeRoleArn",
      "environments[0].sessionName: is only allowed with assumeRoleArn",
      "environments[0].allowCrossAccountRole: is only allowed with assumeRoleArn",
    ]);
  });

  test("a session name with a space and a one-character external id are rejected", () => {
    expect(problemsOf(withEnvironments({ name: "dev", assumeRoleArn: DEV_ROLE, externalId: "x", sessionName: "my session" }))).toEqual([
      "environments[0].externalId: must be 2-1224 letters, digits or + = , . @ : / _ -",
      "environments[0].sessionName: must be 2-64 letters, digits or + = , . @ _ -",
    ]);
  });

  test("parseRoleArn splits partition, account and role name with its path", () => {
    expect(parseRoleArn(PROD_ROLE)).toEqual({ partition: "aws", accountId: "222222222222", roleName: "platform/terraform-deploy" });
    expect(parseRoleArn("arn:aws:iam::111111111111:user/x")).toBeUndefined();
  });
});

describe("registry settings across accounts", () => {
  test("environments in different accounts, known from their roles, may both manage one region", () => {
    expect(() => parseConfig(stringify(withEnvironments({ name: "dev", assumeRoleArn: DEV_ROLE }, { name: "prod", assumeRoleArn: PROD_ROLE })), "t")).not.toThrow();
  });

  test("two environments in one account and region may not both manage them, even when one account comes from a role", () => {
    const raw = withEnvironments({ name: "dev", accountId: "111111111111" }, { name: "prod", assumeRoleArn: DEV_ROLE });
    expect(problemsOf(raw)).toEqual([
      "environments[1].manageRegistrySettings: environments[0] (dev) already manages the registry settings of us-east-1 of account 111111111111; registry scanning is one setting per account and region, so set manageRegistrySettings: false here or give the environments different regions",
    ]);
  });

  test("an environment of unknown account conflicts with any owner in its region, since it may share the account", () => {
    const raw = withEnvironments({ name: "dev", accountId: "111111111111" }, { name: "prod" });
    expect(problemsOf(raw)).toEqual([
      "environments[1].manageRegistrySettings: environments[0] (dev) already manages the registry settings of us-east-1; registry scanning is one setting per account and region, so set manageRegistrySettings: false here or give the environments different regions (or, if they are in different accounts, declare accountId for both)",
    ]);
  });
});

describe("per-environment state", () => {
  const raw = {
    ...minimalRawConfig(),
    state: { bucket: "acme-tfstate", region: "us-east-1", dynamodbTable: "terraform-locks" },
    environments: [
      { name: "dev", manageRegistrySettings: false },
      { name: "prod", accountId: "222222222222", state: { bucket: "acme-prod-tfstate", region: "eu-west-1", keyPrefix: "registry" } },
    ],
  };

  test("an environment's bucket, region and key prefix replace the registry's", () => {
    expect(synthJson(raw, "prod").terraform.backend.s3).toEqual({
      bucket: "acme-prod-tfstate",
      region: "eu-west-1",
      key: "registry/prod/terraform.tfstate",
      dynamodb_table: "terraform-locks",
      encrypt: true,
      use_lockfile: true,
    });
  });

  test("an environment without overrides keeps the registry's state settings", () => {
    expect(synthJson(raw, "dev").terraform.backend.s3).toEqual({
      bucket: "acme-tfstate",
      region: "us-east-1",
      key: "model-registry/dev/terraform.tfstate",
      dynamodb_table: "terraform-locks",
      encrypt: true,
      kms_key_id: "alias/model-registry-state",
      use_lockfile: true,
    });
  });

  test("an environment with its own bucket gets no kms_key_id: the registry's state key encrypts only the registry's bucket", () => {
    expect(synthJson(raw, "prod").terraform.backend.s3.kms_key_id).toBeUndefined();
  });

  test("an environment's own lock table replaces the registry's", () => {
    const own = withEnvironments({ name: "dev", state: { dynamodbTable: "dev-locks" } });
    expect(synthJson(own).terraform.backend.s3.dynamodb_table).toBe("dev-locks");
  });

  test("a key prefix next to a stateKey is an error, since the key wins", () => {
    expect(problemsOf(withEnvironments({ name: "dev", stateKey: "dev.tfstate", state: { keyPrefix: "x" } }))).toEqual([
      "environments[0].state.keyPrefix: has no effect when stateKey is set; set one of them",
    ]);
  });

  test("two environments with one state file are an error at the stateKey that caused it", () => {
    const clash = withEnvironments({ name: "dev", stateKey: "model-registry/prod/terraform.tfstate", manageRegistrySettings: false }, { name: "prod" });
    expect(problemsOf(clash)).toEqual([
      "environments[0].stateKey: environments[1] (prod) already keeps its state at s3://acme-tfstate/model-registry/prod/terraform.tfstate; two environments sharing a state file would overwrite each other",
    ]);
  });

  test("one key in two different buckets is fine", () => {
    const apart = withEnvironments(
      { name: "dev", stateKey: "registry.tfstate", manageRegistrySettings: false },
      { name: "prod", stateKey: "registry.tfstate", state: { bucket: "acme-prod-tfstate" } },
    );
    expect(() => parseConfig(stringify(apart), "t")).not.toThrow();
  });

  test("bad override values are reported at their nested paths", () => {
    expect(problemsOf(withEnvironments({ name: "dev", state: { bucket: "Bad_Bucket", region: "mars-1", extra: 1 } }))).toEqual([
      "environments[0].state.bucket: bucket names may contain only lowercase letters, digits, '.' and '-', and must start and end with a letter or digit",
      "environments[0].state.region: must be an AWS region name such as us-east-1 or eu-central-1",
      "environments[0].state.extra: unknown key (check the spelling; docs/configuration.md lists every key)",
    ]);
  });
});
