import { Partition, partitionOf } from "./aws";

/** The parts of an ARN: `arn:partition:service:region:account:resource`. */
export interface Arn {
  readonly partition: Partition;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

const ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/;

/** Splits an ARN into its parts, or returns undefined when the text is not an ARN of a known partition. */
export function parseArn(text: string): Arn | undefined {
  const match = ARN_PATTERN.exec(text);
  if (!match) return undefined;
  const [, partition, service, region, account, resource] = match;
  return { partition: partition as Partition, service, region, account, resource };
}

/** The DNS suffix of a partition's service endpoints (ECR registry hosts end in it). */
export function dnsSuffixOf(partition: Partition): string {
  return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

/** Checks that an ARN belongs to the partition, region and account of an environment; returns what differs, or undefined. */
export function arnMismatch(
  arn: Arn,
  environment: { readonly name: string; readonly region: string; readonly accountId?: string },
  checks: { readonly region: boolean; readonly account: boolean },
): string | undefined {
  const partition = partitionOf(environment.region);
  if (arn.partition !== partition) return `is in partition ${arn.partition} but environment ${environment.name} is in ${partition}`;
  if (checks.region && arn.region !== environment.region) {
    return `is in region ${arn.region || "(none)"} but environment ${environment.name} is in ${environment.region}`;
  }
  if (checks.account && environment.accountId && arn.account !== environment.accountId) {
    return `is in account ${arn.account} but environment ${environment.name} is account ${environment.accountId}`;
  }
  return undefined;
}
