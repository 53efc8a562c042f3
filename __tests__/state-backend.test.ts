import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { parseConfig } from "../src/checks";
import { stateBucketPolicy } from "../src/policies/state-bucket-policy";
import { PROJECT_ROOT, minimalRawConfig, synthJson } from "./support/fixtures";
import { problemsOf } from "./support/problems";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const TWO_ENVIRONMENTS = [{ name: "dev" }, { name: "prod", region: "us-west-2" }];

function withState(state: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, any> {
  return { ...minimalRawConfig(), environments: TWO_ENVIRONMENTS, ...extra, state };
}


describe("the S3 backend per environment", () => {
  test("each environment has its own key and names the bootstrap stack's KMS key by alias", () => {
    const raw = withState({ bucket: "acme-tfstate" });
    for (const env of ["dev", "prod"]) {
      expect(synthJson(raw, env).terraform.backend).toEqual({
        s3: {
          bucket: "acme-tfstate",
          key: `model-registry/${env}/terraform.tfstate`,
          region: "us-east-1",
          encrypt: true,
          kms_key_id: "alias/model-registry-state",
          use_lockfile: true,
        },
      });
    }
  });

  test("backend: s3 written out is the same as leaving it out", () => {
    expect(parseConfig(stringify(withState({ backend: "s3", bucket: "acme-tfstate" })), "t")).toEqual(
      parseConfig(stringify(withState({ bucket: "acme-tfstate" })), "t"),
    );
  });

  test("an existing state key is named by its ARN", () => {
    expect(synthJson(withState({ bucket: "acme-tfstate", encryption: { kmsKeyArn: KEY_ARN } }), "prod").terraform.backend.s3.kms_key_id).toBe(KEY_ARN);
  });

  test("a state role is assumed by every environment's backend, which then accepts only the state account", () => {
    const raw = withState({ bucket: "acme-tfstate", accountId: "333333333333", assumeRoleArn: "arn:aws:iam::333333333333:role/terraform-state" });
    expect(synthJson(raw, "prod").terraform.backend.s3).toEqual({
      bucket: "acme-tfstate",
      key: "model-registry/prod/terraform.tfstate",
      region: "us-east-1",
      encrypt: true,
      kms_key_id: "alias/model-registry-state",
      use_lockfile: true,
      assume_role: { role_arn: "arn:aws:iam::333333333333:role/terraform-state" },
      allowed_account_ids: ["333333333333"],
    });
  });

  test("without a state role the backend names no allowed account, since a bucket policy may admit other accounts", () => {
    expect(synthJson(withState({ bucket: "acme-tfstate", accountId: "333333333333" }), "prod").terraform.backend.s3.allowed_account_ids).toBeUndefined();
  });

  test("an environment with its own state bucket does not assume the registry's state role", () => {
    const raw = withState(
      { bucket: "acme-tfstate", assumeRoleArn: "arn:aws:iam::333333333333:role/terraform-state" },
      { environments: [{ name: "dev" }, { name: "prod", region: "us-west-2", state: { bucket: "acme-prod-tfstate" } }] },
    );
    expect(synthJson(raw, "dev").terraform.backend.s3.assume_role).toEqual({ role_arn: "arn:aws:iam::333333333333:role/terraform-state" });
    expect(synthJson(raw, "prod").terraform.backend.s3.assume_role).toBeUndefined();
  });

  test("AES256 leaves the key out, so objects get SSE-S3", () => {
    expect(synthJson(withState({ bucket: "acme-tfstate", encryption: { type: "AES256" } }), "prod").terraform.backend).toEqual({
      s3: { bucket: "acme-tfstate", key: "model-registry/prod/terraform.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true },
    });
  });
});

describe("the HCP Terraform backend per environment", () => {
  test("is a cloud block with a workspace named after each environment's stack, and no S3 backend", () => {
    const raw = withState({ backend: "hcp", organization: "acme-ml" });
    for (const env of ["dev", "prod"]) {
      const terraform = synthJson(raw, env).terraform;
      expect(terraform.cloud).toEqual({ organization: "acme-ml", workspaces: { name: `model-registry-${env}` } });
      expect(terraform.backend).toBeUndefined();
    }
  });

  test("a Terraform Enterprise hostname is passed through", () => {
    const raw = withState({ backend: "hcp", organization: "acme-ml", hostname: "tfe.example.com" });
    expect(synthJson(raw, "prod").terraform.cloud).toEqual({
      organization: "acme-ml",
      hostname: "tfe.example.com",
      workspaces: { name: "model-registry-prod" },
    });
  });

  test("workspaceNames renames one environment's workspace and leaves the others' default", () => {
    const raw = withState({ backend: "hcp", organization: "acme-ml", workspaceNames: { prod: "ecr_registry-production" } });
    expect(synthJson(raw, "prod").terraform.cloud.workspaces).toEqual({ name: "ecr_registry-production" });
    expect(synthJson(raw, "dev").terraform.cloud.workspaces).toEqual({ name: "model-registry-dev" });
  });

  test("workspaceTags selects workspaces by the tags plus the environment's tag, sorted", () => {
    const raw = withState({ backend: "hcp", organization: "acme-ml", workspaceTags: ["team:ml", "ecr"] });
    expect(synthJson(raw, "dev").terraform.cloud.workspaces).toEqual({ tags: ["ecr", "environment:dev", "team:ml"] });
    expect(synthJson(raw, "prod").terraform.cloud.workspaces).toEqual({ tags: ["ecr", "environment:prod", "team:ml"] });
  });
});

describe("state validation", () => {
  test("a state role in another account than the state bucket is an error", () => {
    expect(
      problemsOf(withState({ bucket: "acme-tfstate", accountId: "333333333333", assumeRoleArn: "arn:aws:iam::444444444444:role/terraform-state" })),
    ).toEqual([
      "state.assumeRoleArn: is a role in account 444444444444, but the state bucket is in account 333333333333 (state.accountId); the backend would be refused",
    ]);
  });

  test("an unknown backend names the two there are", () => {
    expect(problemsOf(withState({ backend: "gcs", bucket: "acme-tfstate" }))).toEqual(['state.backend: must be "s3" or "hcp" (got "gcs")']);
  });

  test("S3 settings with backend hcp are errors at their own paths", () => {
    const state = {
      backend: "hcp",
      organization: "acme-ml",
      bucket: "acme-tfstate",
      region: "us-east-1",
      keyPrefix: "ml",
      dynamodbTable: "locks",
      encryption: { type: "AES256" },
      bootstrap: false,
    };
    const fix = "is an S3 backend setting; remove it, or set state.backend: s3";
    expect(problemsOf(withState(state))).toEqual([
      `state.bucket: ${fix}`,
      `state.region: ${fix}`,
      `state.keyPrefix: ${fix}`,
      `state.dynamodbTable: ${fix}`,
      `state.encryption: ${fix}`,
      `state.bootstrap: ${fix}`,
    ]);
  });

  test("HCP settings with the S3 backend are errors at their own paths", () => {
    expect(problemsOf(withState({ bucket: "acme-tfstate", organization: "acme-ml", workspaceTags: ["ecr"] }))).toEqual([
      "state.organization: is an HCP Terraform backend setting; remove it, or set state.backend: hcp",
      "state.workspaceTags: is an HCP Terraform backend setting; remove it, or set state.backend: hcp",
    ]);
  });

  test("an environment's stateKey with backend hcp is an error at its path", () => {
    const raw = withState({ backend: "hcp", organization: "acme-ml" }, { environments: [{ name: "dev" }, { name: "prod", region: "us-west-2", stateKey: "p.tfstate" }] });
    expect(problemsOf(raw)).toEqual([
      "environments[1].stateKey: is an S3 backend setting; with state.backend hcp each environment's state lives in its HCP Terraform workspace",
    ]);
  });

  test("hcp needs an organization", () => {
    expect(problemsOf(withState({ backend: "hcp" }))).toEqual(["state.organization: is required (expected string)"]);
  });

  test.each([
    ["acme ml", "state.organization: HCP Terraform organization names may contain only letters, numbers, '-' and '_'"],
    ["acme.ml", "state.organization: HCP Terraform organization names may contain only letters, numbers, '-' and '_'"],
    ["", "state.organization: organization names must not be empty"],
  ])("the organization %j is rejected", (organization, problem) => {
    expect(problemsOf(withState({ backend: "hcp", organization }))).toEqual([problem]);
  });

  test.each([
    ["ml/prod", "state.workspaceNames.prod: HCP Terraform workspace names may contain only letters, numbers, '-' and '_'"],
    ["w".repeat(91), "state.workspaceNames.prod: HCP Terraform workspace names must be at most 90 characters"],
  ])("the workspace name %j is rejected", (name, problem) => {
    expect(problemsOf(withState({ backend: "hcp", organization: "acme", workspaceNames: { prod: name } }))).toEqual([problem]);
  });

  test("a workspace name of 90 characters is accepted", () => {
    const raw = withState({ backend: "hcp", organization: "acme", workspaceNames: { prod: "w".repeat(90) } });
    expect(synthJson(raw, "prod").terraform.cloud.workspaces.name).toBe("w".repeat(90));
  });

  test.each(["-ecr", "ecr:", "team.ml", "team ml"])("the workspace tag %j is rejected", (tag) => {
    expect(problemsOf(withState({ backend: "hcp", organization: "acme", workspaceTags: ["ok", tag] }))).toEqual([
      "state.workspaceTags[1]: HCP Terraform workspace tags may contain only letters, numbers, ':', '-' and '_', and must start and end with a letter or number",
    ]);
  });

  test("a workspace name for an undeclared environment is an error", () => {
    expect(problemsOf(withState({ backend: "hcp", organization: "acme", workspaceNames: { staging: "s" } }))).toEqual([
      'state.workspaceNames.staging: unknown environment `staging` (known: dev, prod)',
    ]);
  });

  test("two environments in one workspace are an error at the override", () => {
    expect(problemsOf(withState({ backend: "hcp", organization: "acme", workspaceNames: { prod: "model-registry-dev" } }))).toEqual([
      `state.workspaceNames.prod: environments dev and prod would share workspace "model-registry-dev" and overwrite each other's state`,
    ]);
    expect(problemsOf(withState({ backend: "hcp", organization: "acme", workspaceNames: { dev: "model-registry-prod" } }))).toEqual([
      `state.workspaceNames.dev: environments dev and prod would share workspace "model-registry-prod" and overwrite each other's state`,
    ]);
  });

  test("workspaceNames and workspaceTags together are an error", () => {
    expect(problemsOf(withState({ backend: "hcp", organization: "acme", workspaceNames: { dev: "d" }, workspaceTags: ["ecr"] }))).toEqual([
      "state.workspaceTags: give either workspaceNames (one workspace per environment) or workspaceTags, not both",
    ]);
  });

  test("a hostname must be a bare host name", () => {
    expect(problemsOf(withState({ backend: "hcp", organization: "acme", hostname: "https://tfe.example.com" }))).toEqual([
      "state.hostname: must be a lowercase host name such as tfe.example.com (optionally with :port), without https://",
    ]);
  });

  test("an environment named state would take the bootstrap stack's name", () => {
    const environments = [{ name: "dev" }, { name: "state", region: "us-west-2" }];
    expect(problemsOf(withState({ bucket: "acme-tfstate" }, { environments }))).toEqual([
      'environments[1].name: "state" would name its stack model-registry-state, the state bootstrap stack\'s name; rename the environment (or set state.bootstrap: false)',
    ]);
    expect(synthJson(withState({ backend: "hcp", organization: "acme" }, { environments }), "state").terraform.cloud.workspaces).toEqual({
      name: "model-registry-state",
    });
  });

  test("without the bootstrap stack, KMS encryption must name the bucket's key", () => {
    expect(problemsOf(withState({ bucket: "acme-tfstate", bootstrap: false }))).toEqual([
      "state.encryption.kmsKeyArn: is required with bootstrap: false and encryption type KMS, because the backend must name the key of a bucket this project does not create (or set encryption type AES256)",
    ]);
  });

  test("a key ARN with AES256 encryption is an error", () => {
    expect(problemsOf(withState({ bucket: "acme-tfstate", encryption: { type: "AES256", kmsKeyArn: KEY_ARN } }))).toEqual([
      "state.encryption.kmsKeyArn: kmsKeyArn is only allowed with type KMS",
    ]);
  });

  test.each([
    [0, "state.noncurrentVersionExpirationDays: must be at least 1 day"],
    [1.5, "state.noncurrentVersionExpirationDays: must be a whole number of days"],
  ])("noncurrentVersionExpirationDays %j is rejected", (days, problem) => {
    expect(problemsOf(withState({ bucket: "acme-tfstate", noncurrentVersionExpirationDays: days }))).toEqual([problem]);
  });

  test("a misspelt key under state is an unknown key, whichever the backend", () => {
    expect(problemsOf(withState({ backend: "hcp", organization: "acme", workspace: "x" }))).toEqual([
      "state.workspace: unknown key (check the spelling; docs/configuration.md lists every key)",
    ]);
  });
});

describe("the remote state examples of docs/state.md", () => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "state.md"), "utf8");
  const codeBlockAfter = (heading: string, language: string): string => {
    const start = readme.indexOf(heading);
    const open = readme.indexOf("```" + language + "\n", start);
    if (start < 0 || open < 0) throw new Error(`no ${language} block after ${heading}`);
    return readme.slice(open + language.length + 4, readme.indexOf("```", open + 3));
  };

  test("the HCP Terraform example is a valid state section", () => {
    const state = parse(codeBlockAfter("### HCP Terraform", "yaml")).state;
    expect(synthJson(withState(state), "prod").terraform.cloud).toEqual({ organization: "acme-ml", workspaces: { name: "model-registry-prod" } });
  });

  test("the bucket policy shown is the one synthesized", () => {
    expect(JSON.parse(codeBlockAfter("The bucket policy, for a bucket named", "json"))).toEqual(
      JSON.parse(stateBucketPolicy("acme-model-registry-tfstate", "aws")),
    );
  });
});
