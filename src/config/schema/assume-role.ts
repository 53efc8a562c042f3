import { z } from "zod";
import { explainArnError } from "./arn";
import { Partition } from "./aws";

/**
 * An IAM role ARN in any partition this project addresses. Role names (1–64 characters) and path
 * segments use IAM's name characters: letters, digits and `+ = , . @ _ -`.
 */
const ROLE_ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64})$/;

export const roleArnSchema = z
  .string()
  .max(2048, { message: "role ARNs are at most 2048 characters" })
  .regex(ROLE_ARN_PATTERN, {
    error: explainArnError({
      message: "must be an IAM role ARN such as arn:aws:iam::123456789012:role/terraform-deploy (partition aws, aws-cn or aws-us-gov)",
      service: "iam",
      region: "none",
      resourceTypes: ["role/"],
    }),
  })
  .meta({ title: "IAM role ARN" });

/** STS `ExternalId`: 2–1224 characters. */
export const externalIdSchema = z
  .string()
  .regex(/^[\w+=,.@:/-]{2,1224}$/, { message: "must be 2-1224 letters, digits or + = , . @ : / _ -" })
  .meta({ title: "STS external id" });

/** STS `RoleSessionName`: 2–64 characters; it shows up in CloudTrail as the caller's session. */
export const sessionNameSchema = z
  .string()
  .regex(/^[\w+=,.@-]{2,64}$/, { message: "must be 2-64 letters, digits or + = , . @ _ -" })
  .meta({ title: "STS session name" });

export interface RoleArn {
  readonly partition: Partition;
  readonly accountId: string;
  readonly roleName: string;
}

/**
 * Splits a role ARN into partition, account and role name (with path); undefined when it is not
 * one (cross-field rules run even when a field failed its own check, so they must tolerate that).
 */
export function parseRoleArn(arn: string): RoleArn | undefined {
  const match = ROLE_ARN_PATTERN.exec(arn);
  return match ? { partition: match[1] as Partition, accountId: match[2], roleName: match[3] } : undefined;
}
