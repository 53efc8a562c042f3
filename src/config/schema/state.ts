import { z } from "zod";
import { roleArnSchema } from "./assume-role";
import { noRepeats } from "./unique";
import { accountIdSchema, encryptionSettingSchema, regionSchema } from "./aws";

/** S3 general purpose bucket naming rules. */
export const bucketNameSchema = z
  .string()
  .min(3, { message: "bucket names must be 3 to 63 characters" })
  .max(63, { message: "bucket names must be 3 to 63 characters" })
  .regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, {
    message: "bucket names may contain only lowercase letters, digits, '.' and '-', and must start and end with a letter or digit",
  })
  .refine((b) => !b.includes(".."), { message: "bucket names must not contain '..'" })
  .refine((b) => !/^\d+\.\d+\.\d+\.\d+$/.test(b), { message: "bucket names must not look like an IP address" })
  .refine((b) => !b.startsWith("xn--") && !b.startsWith("sthree-"), { message: "bucket names must not start with xn-- or sthree-" })
  .refine((b) => !b.endsWith("-s3alias") && !b.endsWith("--ol-s3"), { message: "bucket names must not end with -s3alias or --ol-s3" })
  .meta({ title: "S3 bucket name" });

/** The start of state keys: `/`-separated segments. */
export const stateKeyPrefixSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/, { message: "must be '/'-separated segments of letters, digits, '_', '.' or '-'" })
  .meta({ title: "S3 key prefix: /-separated segments" });

export const dynamodbTableSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{3,255}$/, { message: "must be a DynamoDB table name (3-255 letters, digits, '_', '.', '-')" })
  .meta({ title: "DynamoDB table name" });

/** Days S3 keeps a state file's overwritten (noncurrent) versions before deleting them. */
export const DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 90;

export const stateEncryptionSchema = encryptionSettingSchema({
  type: "KMS (SSE-KMS with the bootstrap stack's own rotating key, or kmsKeyArn) or AES256 (SSE-S3).",
  kmsKeyArn: "An existing KMS key for state objects instead of the one the bootstrap stack creates. Only with type KMS.",
});
export type StateEncryption = z.infer<typeof stateEncryptionSchema>;

/** The S3 backend's settings (`backend: s3`, the default). */
const s3Settings = {
  bucket: bucketNameSchema.describe("S3 bucket holding Terraform state for every environment."),
  region: regionSchema.optional().describe("Region of the state bucket. Default: the registry's region."),
  keyPrefix: stateKeyPrefixSchema.optional().describe("State keys are <keyPrefix>/<environment>/terraform.tfstate. Default: the project name."),
  dynamodbTable: dynamodbTableSchema
    .optional()
    .describe("DynamoDB lock table, for teams not yet on S3 native locking (use_lockfile is always on)."),
  encryption: stateEncryptionSchema
    .default({ type: "KMS" })
    .describe("How state objects are encrypted at rest; the environment stacks' backends and the bootstrap stack both follow it."),
  accountId: accountIdSchema
    .optional()
    .describe("AWS account that holds the state bucket; the bootstrap stack's provider refuses other accounts. Default: the registry's accountId."),
  assumeRoleArn: roleArnSchema
    .optional()
    .describe(
      "IAM role the S3 backend assumes to read and write state, e.g. in a shared account that holds the bucket, so environments in other accounts share one bucket without cross-account bucket and key policies. Default: none (the credentials Terraform runs with).",
    ),
  bootstrap: z
    .boolean()
    .default(true)
    .describe("Whether to synthesize the <project>-state stack that creates the state bucket. Turn off when the bucket is managed elsewhere."),
  noncurrentVersionExpirationDays: z
    .number()
    .int({ message: "must be a whole number of days" })
    .min(1, { message: "must be at least 1 day" })
    .default(DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS)
    .describe("Days the state bucket keeps overwritten state versions (for rollback) before deleting them."),
};

/** HCP Terraform's rule for organization and workspace names: letters, numbers, '-' and '_'. */
const HCP_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
/** HCP Terraform's limit on workspace names. */
export const MAX_WORKSPACE_NAME_LENGTH = 90;

export const hcpOrganizationSchema = z
  .string()
  .min(1, { message: "organization names must not be empty" })
  .regex(HCP_NAME_PATTERN, { message: "HCP Terraform organization names may contain only letters, numbers, '-' and '_'" });

export const hcpWorkspaceNameSchema = z
  .string()
  .min(1, { message: "workspace names must not be empty" })
  .max(MAX_WORKSPACE_NAME_LENGTH, { message: `HCP Terraform workspace names must be at most ${MAX_WORKSPACE_NAME_LENGTH} characters` })
  .regex(HCP_NAME_PATTERN, { message: "HCP Terraform workspace names may contain only letters, numbers, '-' and '_'" });

export const hcpWorkspaceTagSchema = z
  .string()
  .max(255, { message: "HCP Terraform workspace tags must be at most 255 characters" })
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9:_-]*[A-Za-z0-9])?$/, {
    message: "HCP Terraform workspace tags may contain only letters, numbers, ':', '-' and '_', and must start and end with a letter or number",
  });

/** The HCP Terraform (or Terraform Enterprise) backend's settings (`backend: hcp`). */
const hcpSettings = {
  organization: hcpOrganizationSchema.describe("HCP Terraform organization that holds the workspaces."),
  hostname: z
    .string()
    .max(253, { message: "host names must be at most 253 characters" })
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+(?::\d{1,5})?$/, {
      message: "must be a lowercase host name such as tfe.example.com (optionally with :port), without https://",
    })
    .optional()
    .describe("Host of a Terraform Enterprise installation. Default: app.terraform.io (HCP Terraform)."),
  workspaceNames: z
    .record(z.string(), hcpWorkspaceNameSchema)
    .optional()
    .describe("Workspace name per environment name, for environments whose workspace is not <project>-<environment>."),
  workspaceTags: z
    .array(hcpWorkspaceTagSchema)
    .min(1)
    .superRefine(noRepeats("workspace tag"))
    .optional()
    .describe("Select workspaces by tags instead of by name: each environment's stack uses the workspaces carrying all of these tags plus environment:<name>."),
};

type Backend = "s3" | "hcp";

/** A field of the other backend: accepted only when absent, so setting it names the mistake. */
function otherBackendField(backend: Backend) {
  const label = backend === "s3" ? "an S3 backend setting" : "an HCP Terraform backend setting";
  return z
    .never({ message: `is ${label}; remove it, or set state.backend: ${backend}` })
    .optional()
    .describe(`Not allowed here: ${label} (only with backend: ${backend}).`);
}

/**
 * Every field of `backend`'s settings as a field that must stay unset, derived from the settings
 * themselves so a field added to one backend is refused by the other without a second list.
 */
function refusedFields<T extends object>(settings: T, backend: Backend): Record<keyof T, ReturnType<typeof otherBackendField>> {
  const fields = Object.keys(settings).map((key) => [key, otherBackendField(backend)]);
  return Object.fromEntries(fields) as Record<keyof T, ReturnType<typeof otherBackendField>>;
}

export const s3StateSchema = z.strictObject({
  backend: z.literal("s3").default("s3").describe("Where state lives: s3 (default) or hcp (HCP Terraform / Terraform Enterprise)."),
  ...s3Settings,
  ...refusedFields(hcpSettings, "hcp"),
});

export const hcpStateSchema = z
  .strictObject({
    backend: z.literal("hcp").describe("Where state lives: s3 (default) or hcp (HCP Terraform / Terraform Enterprise)."),
    ...hcpSettings,
    ...refusedFields(s3Settings, "s3"),
  })
  .superRefine((state, ctx) => {
    if (state.workspaceNames && state.workspaceTags)
      ctx.addIssue({
        code: "custom",
        path: ["workspaceTags"],
        message: "give either workspaceNames (one workspace per environment) or workspaceTags, not both",
      });
  });

export const stateSchema = z.discriminatedUnion("backend", [s3StateSchema, hcpStateSchema], {
  error: (issue) =>
    issue.code === "invalid_union"
      ? `must be "s3" or "hcp" (got ${JSON.stringify((issue.input as { backend?: unknown } | undefined)?.backend)})`
      : undefined,
});

export type StateConfig = z.infer<typeof stateSchema>;
export type S3StateConfig = z.infer<typeof s3StateSchema>;
export type HcpStateConfig = z.infer<typeof hcpStateSchema>;
