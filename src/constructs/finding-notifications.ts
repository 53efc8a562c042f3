import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { Partition } from "../config/schema/aws";
import type { Severity, SubscriptionProtocol } from "../config/schema/notifications";
import { findingsEventPattern, findingsKeyPolicy, findingsTopicPolicy } from "../policies/finding-notifications";
import { FEATURE_IDS, FEATURE_OUTPUTS, subscriptionId } from "../naming";
import { accountIdOf } from "./caller-account";

export interface FindingNotificationsProps {
  /** Name of the topic, the rule and (with `alias/`) the key alias. */
  readonly name: string;
  /** Registry scanning mode: BASIC listens to ECR scan results, ENHANCED to Amazon Inspector findings. */
  readonly scanType: "BASIC" | "ENHANCED";
  /** Severities that notify. */
  readonly severities: readonly Severity[];
  /** Where notifications go. @default [] */
  readonly subscriptions?: ReadonlyArray<{ readonly protocol: SubscriptionProtocol; readonly endpoint: string }>;
  readonly partition: Partition;
  readonly region: string;
  /** Account of the registry. @default - the deploying identity's account */
  readonly accountId?: string;
  /** Days KMS waits before deleting the key. @default 30 */
  readonly keyDeletionWindowInDays?: number;
}

/**
 * Scan findings → EventBridge rule → SNS topic encrypted with its own customer managed key →
 * subscriptions. EventBridge cannot publish to a topic encrypted with the AWS managed SNS key
 * (its key policy cannot be changed to let EventBridge use it), hence a customer managed key
 * that protects this topic only and lets EventBridge use it. Who may publish is the topic
 * policy's decision: only this account's rule (`findingsKeyPolicy` says why the key cannot).
 */
export class FindingNotifications extends Construct {
  readonly key: KmsKey;
  readonly topic: SnsTopic;
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: FindingNotificationsProps) {
    super(scope, id);
    const accountId = accountIdOf(this, props.accountId);
    // Built from names rather than resource attributes, so the topic policy stays literal JSON
    // (cdktf's HCL output cannot carry a reference inside a JSON string).
    const topicArn = `arn:${props.partition}:sns:${props.region}:${accountId}:${props.name}`;
    const ruleArn = `arn:${props.partition}:events:${props.region}:${accountId}:rule/${props.name}`;
    const policyInput = { partition: props.partition, accountId, topicArn, ruleArn };

    this.key = new KmsKey(this, "key", {
      description: `Encrypts the ${props.name} SNS topic`,
      enableKeyRotation: true,
      deletionWindowInDays: props.keyDeletionWindowInDays ?? 30,
      policy: JSON.stringify(findingsKeyPolicy(policyInput)),
    });
    this.key.overrideLogicalId(FEATURE_IDS.findings);
    new KmsAlias(this, "alias", { name: `alias/${props.name}`, targetKeyId: this.key.keyId }).overrideLogicalId(FEATURE_IDS.findings);

    this.topic = new SnsTopic(this, "topic", { name: props.name, kmsMasterKeyId: this.key.arn, signatureVersion: 2 });
    this.topic.overrideLogicalId(FEATURE_IDS.findings);
    new SnsTopicPolicy(this, "topic-policy", { arn: this.topic.arn, policy: JSON.stringify(findingsTopicPolicy(policyInput)) }).overrideLogicalId(
      FEATURE_IDS.findings,
    );

    const severities = props.severities.join(" or ");
    this.rule = new CloudwatchEventRule(this, "rule", {
      name: props.name,
      description:
        props.scanType === "ENHANCED"
          ? `Amazon Inspector findings of severity ${severities} on container images`
          : `ECR image scans that found ${severities} vulnerabilities`,
      eventPattern: JSON.stringify(findingsEventPattern(props.scanType, props.severities)),
    });
    this.rule.overrideLogicalId(FEATURE_IDS.findings);
    new CloudwatchEventTarget(this, "target", { rule: this.rule.name, targetId: "findings-topic", arn: this.topic.arn }).overrideLogicalId(
      FEATURE_IDS.findings,
    );

    for (const subscription of props.subscriptions ?? []) {
      const subscriptionLogicalId = subscriptionId(subscription.protocol, subscription.endpoint);
      new SnsTopicSubscription(this, subscriptionLogicalId, {
        topicArn: this.topic.arn,
        protocol: subscription.protocol,
        endpoint: subscription.endpoint,
      }).overrideLogicalId(subscriptionLogicalId);
    }

    new TerraformOutput(this, FEATURE_OUTPUTS.findingsTopicArn, {
      value: this.topic.arn,
      description: "SNS topic that receives image scan findings (subscribe more endpoints to it)",
    }).overrideLogicalId(FEATURE_OUTPUTS.findingsTopicArn);
  }
}
