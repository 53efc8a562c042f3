import { z } from "zod";
import { explainArnError } from "./arn";

/** AWS partitions this project can address, with the region prefixes that belong to each. */
export type Partition = "aws" | "aws-cn" | "aws-us-gov";

const REGION_PATTERN =
  /^(?:us|eu|ap|sa|ca|me|af|il|mx|cn)(?:-gov)?-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

/** An AWS region name such as `us-east-1`, `eu-central-1`, `cn-north-1` or `us-gov-west-1`. */
export const regionSchema = z
  .string()
  .regex(REGION_PATTERN, { message: "must be an AWS region name such as us-east-1 or eu-central-1" })
  .meta({ title: "AWS region" });

/** A 12-digit AWS account id, written as a string so leading zeros survive YAML. */
export const accountIdSchema = z
  .string({ message: "must be a 12-digit AWS account id written as a quoted string" })
  .regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" })
  .meta({ title: "12-digit account id, quoted" });

export function partitionOf(region: string): Partition {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

const PARTITION = "(aws|aws-cn|aws-us-gov)";

/** The ARN of a KMS key (not an alias): ECR's `kms_key` takes a key ARN. */
export const kmsKeyArnSchema = z
  .string()
  .regex(new RegExp(`^arn:${PARTITION}:kms:[a-z0-9-]+:\\d{12}:key/(mrk-)?[0-9a-f-]{32,36}$`), {
    error: explainArnError({
      message: "must be a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      service: "kms",
      region: "required",
      resourceTypes: ["key/"],
    }),
  })
  .meta({ title: "KMS key ARN" });

/**
 * Encryption at rest as this project configures it everywhere (repositories, creation templates,
 * the state bucket): `KMS` (default) with an optional existing key, or `AES256`.
 */
export function encryptionSettingSchema(descriptions: { type: string; kmsKeyArn: string }) {
  return z
    .strictObject({
      type: z.enum(["KMS", "AES256"]).default("KMS").describe(descriptions.type),
      kmsKeyArn: kmsKeyArnSchema.optional().describe(descriptions.kmsKeyArn),
    })
    .refine((e) => !(e.type === "AES256" && e.kmsKeyArn), {
      message: "kmsKeyArn is only allowed with type KMS",
      path: ["kmsKeyArn"],
    });
}
