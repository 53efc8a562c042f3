import { z } from "zod";
import { explainArn, parseArn } from "./arn";
import { environmentSelectionSchema } from "./selection";

/** Finding severities both ECR basic scanning and Amazon Inspector report, most severe first. */
export const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DEFAULT_SEVERITIES: readonly Severity[] = ["CRITICAL", "HIGH"];

export const SUBSCRIPTION_PROTOCOLS = ["email", "https", "sqs"] as const;
export type SubscriptionProtocol = (typeof SUBSCRIPTION_PROTOCOLS)[number];

/** EventBridge's limit on rule names. */
export const MAX_RULE_NAME_LENGTH = 64;

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const SQS_QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/;

/** What is wrong with an endpoint for its protocol, or undefined. */
function endpointProblem(protocol: SubscriptionProtocol, endpoint: string): string | undefined {
  switch (protocol) {
    case "email":
      return EMAIL.test(endpoint) && endpoint.length <= 254 ? undefined : "must be an email address such as ml-security@example.com";
    case "https": {
      let url: URL;
      try {
        url = new URL(endpoint);
      } catch {
        return "must be an https:// URL such as https://hooks.example.com/ecr-findings";
      }
      if (url.protocol !== "https:") return "must be an https:// URL: findings are not sent over plain HTTP";
      if (url.username || url.password) return "must not contain credentials: the URL is stored in Terraform state and shown in plans";
      return undefined;
    }
    case "sqs": {
      const arn = parseArn(endpoint);
      if (!arn || arn.service !== "sqs" || !arn.region || !arn.account || !SQS_QUEUE_NAME.test(arn.resource)) {
        return explainArn(endpoint, {
          message: "must be an SQS queue ARN such as arn:aws:sqs:us-east-1:123456789012:ecr-findings",
          service: "sqs",
          region: "required",
          resourceTypes: ["<name>"],
        });
      }
      if (arn.resource.endsWith(".fifo")) return "is a FIFO queue; the findings topic is a standard topic, which cannot deliver to FIFO queues";
      return undefined;
    }
  }
}

const subscriptionSchema = z
  .strictObject({
    protocol: z.enum(SUBSCRIPTION_PROTOCOLS).describe("email, https or sqs."),
    endpoint: z.string().describe("An email address, an https:// URL or an SQS queue ARN."),
  })
  .superRefine((subscription, ctx) => {
    const problem = endpointProblem(subscription.protocol, subscription.endpoint);
    if (problem) ctx.addIssue({ code: "custom", path: ["endpoint"], message: problem });
  });

export const notificationsSchema = z.strictObject({
  severities: z
    .array(z.enum(SEVERITIES))
    .min(1, { message: "list at least one severity" })
    .default([...DEFAULT_SEVERITIES])
    .describe("Finding severities that notify: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL."),
  subscriptions: z.array(subscriptionSchema).default([]).describe("Who is notified: email addresses, HTTPS endpoints, SQS queues."),
  environments: environmentSelectionSchema
    .optional()
    .describe("Environments whose registry findings notify. Default: every environment that manages registry settings."),
});

export type NotificationsConfig = z.infer<typeof notificationsSchema>;

