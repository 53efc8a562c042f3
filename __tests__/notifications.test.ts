import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { findingsEventPattern } from "../src/policies/finding-notifications";
import { subscriptionId } from "../src/naming";
import { minimalRawConfig, synthEnvironment, synthJson } from "./support/fixtures";
import { problemsOf, twoAccountConfig } from "./support/problems";

const QUEUE = "arn:aws:sqs:us-east-1:111111111111:ecr-findings";
const TOPIC_ARN = "arn:aws:sns:us-east-1:111111111111:model-registry-dev-scan-findings";
const RULE_ARN = "arn:aws:events:us-east-1:111111111111:rule/model-registry-dev-scan-findings";

function withNotifications(notifications: Record<string, unknown>, base = twoAccountConfig()): Record<string, any> {
  return { ...base, notifications };
}

describe("the findings event pattern", () => {
  test("with basic scanning matches completed ECR scans with a CRITICAL or HIGH count above zero", () => {
    expect(findingsEventPattern("BASIC", ["CRITICAL", "HIGH"])).toEqual({
      source: ["aws.ecr"],
      "detail-type": ["ECR Image Scan"],
      detail: {
        "scan-status": ["COMPLETE"],
        $or: [
          { "finding-severity-counts": { CRITICAL: [{ numeric: [">", 0] }] } },
          { "finding-severity-counts": { HIGH: [{ numeric: [">", 0] }] } },
        ],
      },
    });
  });

  test("with one severity needs no $or", () => {
    expect(findingsEventPattern("BASIC", ["CRITICAL"])).toEqual({
      source: ["aws.ecr"],
      "detail-type": ["ECR Image Scan"],
      detail: { "scan-status": ["COMPLETE"], "finding-severity-counts": { CRITICAL: [{ numeric: [">", 0] }] } },
    });
  });

  test("with enhanced scanning matches active Inspector findings on container images at those severities", () => {
    expect(findingsEventPattern("ENHANCED", ["CRITICAL", "HIGH", "MEDIUM"])).toEqual({
      source: ["aws.inspector2"],
      "detail-type": ["Inspector2 Finding"],
      detail: { severity: ["CRITICAL", "HIGH", "MEDIUM"], status: ["ACTIVE"], resources: { type: ["AWS_ECR_CONTAINER_IMAGE"] } },
    });
  });
});

describe("finding notifications", () => {
  const raw = withNotifications({ subscriptions: [{ protocol: "email", endpoint: "ml-security@example.com" }] });
  const synthesized = synthEnvironment(raw, "dev");
  const json = JSON.parse(synthesized);

  test("an EventBridge rule on ECR scan results with the default severities, CRITICAL and HIGH", () => {
    expect(synthesized).toHaveResourceWithProperties(CloudwatchEventRule, {
      name: "model-registry-dev-scan-findings",
      description: "ECR image scans that found CRITICAL or HIGH vulnerabilities",
    });
    expect(JSON.parse(json.resource.aws_cloudwatch_event_rule.scan_findings.event_pattern)).toEqual(findingsEventPattern("BASIC", ["CRITICAL", "HIGH"]));
  });

  test("the rule targets the topic without a role, so the topic's resource policy decides", () => {
    expect(json.resource.aws_cloudwatch_event_target.scan_findings).toEqual({
      rule: "${aws_cloudwatch_event_rule.scan_findings.name}",
      target_id: "findings-topic",
      arn: "${aws_sns_topic.scan_findings.arn}",
    });
    expect(synthesized).toHaveResource(CloudwatchEventTarget);
  });

  test("the topic is encrypted with its own customer managed key and signs messages with SHA256", () => {
    expect(synthesized).toHaveResourceWithProperties(SnsTopic, {
      name: "model-registry-dev-scan-findings",
      kms_master_key_id: "${aws_kms_key.scan_findings.arn}",
      signature_version: 2,
    });
    expect(synthesized).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(json.resource.aws_kms_alias.scan_findings).toEqual({ name: "alias/model-registry-dev-scan-findings", target_key_id: "${aws_kms_key.scan_findings.key_id}" });
  });

  test("the topic policy lets only EventBridge publish, for this account's rule", () => {
    expect(json.resource.aws_sns_topic_policy.scan_findings.arn).toBe("${aws_sns_topic.scan_findings.arn}");
    expect(JSON.parse(json.resource.aws_sns_topic_policy.scan_findings.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowFindingsRuleToPublish",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sns:Publish",
          Resource: TOPIC_ARN,
          Condition: { ArnEquals: { "aws:SourceArn": RULE_ARN }, StringEquals: { "aws:SourceAccount": "111111111111" } },
        },
      ],
    });
  });

  test("the key policy lets the account administer the key and EventBridge use it without source conditions, which SNS does not support on the key", () => {
    expect(JSON.parse(json.resource.aws_kms_key.scan_findings.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowAccountToAdministerKey",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111111111111:root" },
          Action: "kms:*",
          Resource: "*",
        },
        {
          Sid: "AllowEventBridgeToUseKeyForTopic",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: "*",
        },
      ],
    });
  });

  test("the environment's repository key is not touched", () => {
    expect(json.resource.aws_kms_key.registry.policy).toBeUndefined();
  });

  test("subscriptions come from config, named by protocol and a digest of the endpoint", () => {
    expect(synthesized).toHaveResourceWithProperties(SnsTopicSubscription, {
      topic_arn: "${aws_sns_topic.scan_findings.arn}",
      protocol: "email",
      endpoint: "ml-security@example.com",
    });
    expect(Object.keys(json.resource.aws_sns_topic_subscription)).toEqual([subscriptionId("email", "ml-security@example.com")]);
  });

  test("the topic ARN is an output", () => {
    expect(json.output.scan_findings_topic_arn.value).toBe("${aws_sns_topic.scan_findings.arn}");
  });
});

describe("finding notification options", () => {
  test("enhanced scanning listens to Amazon Inspector findings at the configured severities", () => {
    const json = synthJson(withNotifications({ severities: ["MEDIUM", "CRITICAL"] }, { ...twoAccountConfig(), scanning: { type: "ENHANCED" } }), "dev");
    expect(json.resource.aws_cloudwatch_event_rule.scan_findings.description).toBe("Amazon Inspector findings of severity CRITICAL or MEDIUM on container images");
    expect(JSON.parse(json.resource.aws_cloudwatch_event_rule.scan_findings.event_pattern).detail.severity).toEqual(["CRITICAL", "MEDIUM"]);
  });

  test("email, HTTPS and SQS subscriptions each get their protocol", () => {
    const subscriptions = [
      { protocol: "sqs", endpoint: QUEUE },
      { protocol: "https", endpoint: "https://hooks.example.com/ecr" },
      { protocol: "email", endpoint: "a@example.com" },
    ];
    const json = synthJson(withNotifications({ subscriptions }), "dev");
    const byId = json.resource.aws_sns_topic_subscription;
    for (const { protocol, endpoint } of subscriptions) {
      expect(byId[subscriptionId(protocol, endpoint)]).toEqual({ topic_arn: "${aws_sns_topic.scan_findings.arn}", protocol, endpoint });
    }
    expect(Object.keys(byId)).toHaveLength(3);
  });

  test("reordering subscriptions renames nothing", () => {
    const a = { protocol: "email", endpoint: "a@example.com" };
    const b = { protocol: "email", endpoint: "b@example.com" };
    const first = synthJson(withNotifications({ subscriptions: [a, b] }), "dev").resource.aws_sns_topic_subscription;
    const second = synthJson(withNotifications({ subscriptions: [b, a] }), "dev").resource.aws_sns_topic_subscription;
    expect(second).toEqual(first);
  });

  test("without an account id the policies name the deploying account", () => {
    const json = synthJson(withNotifications({}, minimalRawConfig()));
    const topicPolicy = JSON.parse(json.resource.aws_sns_topic_policy.scan_findings.policy);
    expect(topicPolicy.Statement[0].Resource).toBe("arn:aws:sns:us-east-1:${data.aws_caller_identity.current.account_id}:model-registry-dev-scan-findings");
    expect(topicPolicy.Statement[0].Condition.StringEquals).toEqual({ "aws:SourceAccount": "${data.aws_caller_identity.current.account_id}" });
  });

  test("only the environments named get notifications", () => {
    const raw = withNotifications({ environments: ["prod"] });
    expect(synthJson(raw, "dev").resource.aws_sns_topic).toBeUndefined();
    expect(synthJson(raw, "prod").resource.aws_sns_topic.scan_findings.name).toBe("model-registry-prod-scan-findings");
  });
});

describe("finding notification validation", () => {
  test.each([
    [{ severities: ["SEVERE"] }, 'notifications.severities[0]: must be one of "CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL" (got string "SEVERE")'],
    [{ severities: ["HIGH", "HIGH"] }, "notifications.severities[1]: duplicate severity HIGH"],
    [{ severities: [] }, "notifications.severities: list at least one severity"],
    [{ subscriptions: [{ protocol: "email", endpoint: "security-team" }] }, "notifications.subscriptions[0].endpoint: must be an email address such as ml-security@example.com"],
    [{ subscriptions: [{ protocol: "https", endpoint: "http://hooks.example.com/ecr" }] }, "notifications.subscriptions[0].endpoint: must be an https:// URL: findings are not sent over plain HTTP"],
    [
      { subscriptions: [{ protocol: "https", endpoint: "https://user:secret@hooks.example.com/ecr" }] },
      "notifications.subscriptions[0].endpoint: must not contain credentials: the URL is stored in Terraform state and shown in plans",
    ],
    [{ subscriptions: [{ protocol: "https", endpoint: "hooks.example.com" }] }, "notifications.subscriptions[0].endpoint: must be an https:// URL such as https://hooks.example.com/ecr-findings"],
    [{ subscriptions: [{ protocol: "sqs", endpoint: "ecr-findings" }] }, 'notifications.subscriptions[0].endpoint: must be an SQS queue ARN such as arn:aws:sqs:us-east-1:123456789012:ecr-findings: it does not start with "arn:"'],
    [
      { subscriptions: [{ protocol: "sqs", endpoint: "arn:aws:sns:us-east-1:11111111111:" }] },
      'notifications.subscriptions[0].endpoint: must be an SQS queue ARN such as arn:aws:sqs:us-east-1:123456789012:ecr-findings: the service "sns" should be "sqs"; the account "11111111111" has 11 digits, not 12; the resource is empty; it should be a name',
    ],
    [
      { subscriptions: [{ protocol: "sqs", endpoint: `${QUEUE}.fifo` }] },
      "notifications.subscriptions[0].endpoint: is a FIFO queue; the findings topic is a standard topic, which cannot deliver to FIFO queues",
    ],
    [
      { subscriptions: [{ protocol: "sqs", endpoint: "arn:aws-cn:sqs:cn-north-1:111111111111:ecr-findings" }] },
      "notifications.subscriptions[0].endpoint: is in partition aws-cn but environment dev is in aws; SNS cannot deliver across partitions",
    ],
    [{ subscriptions: [{ protocol: "sms", endpoint: "+15555550100" }] }, 'notifications.subscriptions[0].protocol: must be one of "email", "https", "sqs" (got string "sms"); did you mean "sqs"?'],
    [
      { subscriptions: [{ protocol: "email", endpoint: "a@example.com" }, { protocol: "email", endpoint: "a@example.com" }] },
      "notifications.subscriptions[1]: duplicate subscription (same as index 0)",
    ],
    [{ environments: ["qa"] }, 'notifications.environments[0]: unknown environment `qa` (known: dev, prod)'],
  ])("%j is rejected", (notifications, problem) => {
    expect(problemsOf(withNotifications(notifications))).toEqual([problem]);
  });

  test("an SQS queue in another region of the same partition is accepted (SNS delivers across regions)", () => {
    const queue = "arn:aws:sqs:eu-west-1:999999999999:ecr-findings";
    const json = synthJson(withNotifications({ subscriptions: [{ protocol: "sqs", endpoint: queue }] }), "dev");
    expect(json.resource.aws_sns_topic_subscription[subscriptionId("sqs", queue)].endpoint).toBe(queue);
  });

  test("a rule name longer than EventBridge allows is rejected", () => {
    const raw = withNotifications({}, { ...minimalRawConfig(), project: "p".repeat(40), environments: [{ name: "environment-with-a-long-name" }] });
    expect(problemsOf(raw)).toEqual([
      `notifications: the EventBridge rule of environment environment-with-a-long-name would be named ${"p".repeat(40)}-environment-with-a-long-name-scan-findings (83 characters); EventBridge allows 64, so shorten the project or environment name`,
    ]);
  });

  test("notifications in an environment that does not manage registry settings are rejected", () => {
    const raw = withNotifications({ environments: ["dev2"] }, { ...minimalRawConfig(), environments: [{ name: "dev" }, { name: "dev2", manageRegistrySettings: false }] });
    expect(problemsOf(raw)).toEqual([
      'notifications.environments[0]: notification of scan findings is a registry-wide setting (one per account and region), but environment "dev2" has manageRegistrySettings: false; list the environment that manages this registry instead',
    ]);
  });
});
