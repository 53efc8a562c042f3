import { z } from "zod";
import { regionSchema } from "./aws";

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

export const stateSchema = z.strictObject({
  bucket: bucketNameSchema.describe("S3 bucket holding Terraform state for every environment."),
  region: regionSchema.optional().describe("Region of the state bucket. Default: the registry's region."),
  keyPrefix: stateKeyPrefixSchema.optional().describe("State keys are <keyPrefix>/<environment>/terraform.tfstate. Default: the project name."),
  dynamodbTable: dynamodbTableSchema
    .optional()
    .describe("DynamoDB lock table, for teams not yet on S3 native locking (use_lockfile is always on)."),
});

export type StateConfig = z.infer<typeof stateSchema>;
