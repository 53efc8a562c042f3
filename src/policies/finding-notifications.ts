import type { Partition } from "../config/schema/aws";
import type { Severity } from "../config/schema/notifications";

/** The service principal EventBridge uses to deliver to targets. */
export const EVENTBRIDGE_PRINCIPAL = "events.amazonaws.com";

/**
 * The EventBridge pattern for findings at the given severities.
 *
 * - BASIC scanning: ECR's `ECR Image Scan` event once a scan completes. Its
 *   `finding-severity-counts` lists only severities that occur, so the pattern asks for a count
 *   above zero at any chosen severity (`$or` when there are several).
 * - ENHANCED scanning: Amazon Inspector's `Inspector2 Finding` event, one per finding, for
 *   active findings on container images at a chosen severity.
 */
export function findingsEventPattern(scanType: "BASIC" | "ENHANCED", severities: readonly Severity[]): Record<string, unknown> {
  if (scanType === "ENHANCED") {
    return {
      source: ["aws.inspector2"],
      "detail-type": ["Inspector2 Finding"],
      detail: {
        severity: [...severities],
        status: ["ACTIVE"],
        resources: { type: ["AWS_ECR_CONTAINER_IMAGE"] },
      },
    };
  }
  const counts = severities.map((severity) => ({ "finding-severity-counts": { [severity]: [{ numeric: [">", 0] }] } }));
  return {
    source: ["aws.ecr"],
    "detail-type": ["ECR Image Scan"],
    detail: { "scan-status": ["COMPLETE"], ...(counts.length === 1 ? counts[0] : { $or: counts }) },
  };
}

export interface FindingsPolicyInput {
  readonly partition: Partition;
  /** The account of the topic, key and rule (a literal id, or a Terraform reference). */
  readonly accountId: string;
  readonly topicArn: string;
  readonly ruleArn: string;
}

/** The topic policy: only EventBridge may publish, and only for this account's findings rule. */
export function findingsTopicPolicy(input: FindingsPolicyInput): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowFindingsRuleToPublish",
        Effect: "Allow",
        Principal: { Service: EVENTBRIDGE_PRINCIPAL },
        Action: "sns:Publish",
        Resource: input.topicArn,
        Condition: {
          ArnEquals: { "aws:SourceArn": input.ruleArn },
          StringEquals: { "aws:SourceAccount": input.accountId },
        },
      },
    ],
  };
}

/**
 * The actions EventBridge needs on an encrypted topic's key to publish to it (Amazon SNS
 * Developer Guide, "Enable compatibility between event sources from AWS services and encrypted
 * topics"; AWS Knowledge Center, "sns-not-getting-eventbridge-notification").
 */
export const EVENTBRIDGE_TOPIC_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"] as const;

/**
 * The key policy of the topic's customer managed key. The account administers the key through
 * IAM (without this statement nobody could); EventBridge may generate and decrypt data keys.
 *
 * The EventBridge statement has no condition. The SNS developer guide says adding
 * `aws:SourceAccount`, `aws:SourceArn` or `aws:SourceOrgID` to the key policy is not supported for
 * EventBridge-to-encrypted-topic delivery: the KMS request does not carry them, so a statement
 * conditioned on them never matches and every notification fails silently (the rule only counts
 * FailedInvocations). SNS's guide documents no encryption-context key for this path either, so
 * `kms:EncryptionContext:aws:sns:topicArn` is not used. Who may publish is decided by the topic
 * policy, which keeps the source conditions; the key protects this one topic and nothing else.
 */
export function findingsKeyPolicy(input: FindingsPolicyInput): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowAccountToAdministerKey",
        Effect: "Allow",
        Principal: { AWS: `arn:${input.partition}:iam::${input.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "AllowEventBridgeToUseKeyForTopic",
        Effect: "Allow",
        Principal: { Service: EVENTBRIDGE_PRINCIPAL },
        Action: [...EVENTBRIDGE_TOPIC_KEY_ACTIONS],
        Resource: "*",
      },
    ],
  };
}
