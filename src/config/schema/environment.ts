import { z } from "zod";
import { accountIdSchema, regionSchema } from "./aws";
import { externalIdSchema, roleArnSchema, sessionNameSchema } from "./assume-role";
import { bucketNameSchema, dynamodbTableSchema, stateKeyPrefixSchema } from "./state";

export const environmentNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$|^[a-z]$/, {
    message: "environment names must be 1-32 lowercase letters, digits or '-', starting with a letter (e.g. dev, prod)",
  })
  .meta({ title: "environment name: 1–32 of a-z 0-9 -, starting with a letter" });

/** Where one environment's state lives, when it differs from the registry's `state`. */
export const environmentStateSchema = z.strictObject({
  bucket: bucketNameSchema.optional().describe("S3 bucket of this environment's state, e.g. one in the environment's own account. Default: state.bucket."),
  region: regionSchema.optional().describe("Region of that bucket. Default: state.region."),
  keyPrefix: stateKeyPrefixSchema.optional().describe("Prefix of this environment's state key. Default: state.keyPrefix."),
  dynamodbTable: dynamodbTableSchema.optional().describe("DynamoDB lock table for this environment's state. Default: state.dynamodbTable."),
});

export const environmentSchema = z.strictObject({
  name: environmentNameSchema.describe("Used in the stack name, the state key and the Environment tag, e.g. dev or prod."),
  region: regionSchema.optional().describe("AWS region for this environment. Default: the registry's region."),
  accountId: accountIdSchema.optional().describe("AWS account of this environment; the provider refuses other accounts. Default: the registry's accountId, else the account of assumeRoleArn."),
  stateKey: z
    .string()
    .regex(/^[A-Za-z0-9!_.*'()/-]{1,1024}$/, { message: "must be an S3 object key (letters, digits and !_.*'()/-)" })
    .refine((k) => !k.startsWith("/") && !k.includes("//"), { message: "must not start with '/' or contain '//'" })
    .meta({ title: "S3 object key" })
    .optional()
    .describe("This environment's whole state key. Default: <keyPrefix>/<name>/terraform.tfstate."),
  manageRegistrySettings: z
    .boolean()
    .default(true)
    .describe(
      "Whether this environment's stack owns the registry-wide settings (scanning configuration) of its account and region. Only one environment per account and region may.",
    ),
  protected: z
    .boolean()
    .optional()
    .describe(
      "Guard this environment's repositories and KMS key against destruction: Terraform prevent_destroy, and synth refuses to drop a repository that is not listed in retired. Default: true for environments named prod or production, false otherwise.",
    ),
  assumeRoleArn: roleArnSchema
    .optional()
    .describe(
      "IAM role the AWS provider assumes to deploy this environment. Must be in the environment's account (accountId) and in the partition of its region.",
    ),
  externalId: externalIdSchema.optional().describe("External id the role's trust policy requires. Only with assumeRoleArn."),
  sessionName: sessionNameSchema.optional().describe("Session name of the assumed role, as CloudTrail shows it. Only with assumeRoleArn."),
  allowCrossAccountRole: z
    .boolean()
    .default(false)
    .describe(
      "Accept an assumeRoleArn in an account other than the environment's. allowed_account_ids still names the environment's account only.",
    ),
  state: environmentStateSchema.optional().describe("This environment's own state location; each field falls back to the registry's state."),
}).superRefine((env, ctx) => {
  if (!env.assumeRoleArn) {
    for (const key of ["externalId", "sessionName"] as const) {
      if (env[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: "is only allowed with assumeRoleArn" });
    }
    if (env.allowCrossAccountRole) ctx.addIssue({ code: "custom", path: ["allowCrossAccountRole"], message: "is only allowed with assumeRoleArn" });
  }
  if (env.stateKey !== undefined && env.state?.keyPrefix !== undefined) {
    ctx.addIssue({ code: "custom", path: ["state", "keyPrefix"], message: "has no effect when stateKey is set; set one of them" });
  }
});

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
