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

/** What an ARN field of the config must hold, for messages that say which part of an ARN is wrong. */
export interface ArnSpec {
  /** The message for any ARN that is not one, e.g. `must be a KMS key ARN such as arn:aws:kms:...`. */
  readonly message: string;
  readonly service: string;
  /** IAM ARNs have no region; regional services need one. */
  readonly region: "none" | "required";
  /**
   * Resource types the ARN may name: a prefix ending in `/` or `:` followed by a name (`role/`,
   * `function:`), an exact resource such as `root`, or `<name>` for any name with no type
   * (an SQS queue).
   */
  readonly resourceTypes: readonly string[];
}

const PARTITION_NAMES = ["aws", "aws-cn", "aws-us-gov"];
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Why `text` is not an ARN of `spec`: its message, then what is wrong field by field (partition,
 * service, region, account digits, resource type), e.g. `must be an IAM role ARN such as
 * arn:aws:iam::123456789012:role/deploy: the account "12345678901" has 11 digits, not 12`. The
 * message alone when no single field is at fault (a character IAM does not allow, say).
 */
export function explainArn(text: string, spec: ArnSpec): string {
  const problems = arnFieldProblems(text, spec);
  return problems.length > 0 ? `${spec.message}: ${problems.join("; ")}` : spec.message;
}

/** A zod `error` for a field that must hold an ARN of `spec`: the rejected value explained by `explainArn`. */
export function explainArnError(spec: ArnSpec): (issue: { readonly input?: unknown }) => string {
  return (issue) => explainArn(String(issue.input), spec);
}

/** What is wrong with each field of an ARN, in field order; empty when every field is as `spec` wants. */
export function arnFieldProblems(text: string, spec: ArnSpec): string[] {
  if (!text.startsWith("arn:")) return [`it does not start with "arn:"`];
  const fields = text.split(":");
  if (fields.length < 6) return [`it has ${fields.length} of the 6 fields arn:partition:service:region:account:resource, separated by ":"`];
  const [, partition, service, region, account] = fields;
  const resource = fields.slice(5).join(":");
  const problems: string[] = [];
  if (!PARTITION_NAMES.includes(partition)) problems.push(`the partition "${partition}" is not aws, aws-cn or aws-us-gov`);
  if (service !== spec.service) problems.push(`the service "${service}" should be "${spec.service}"`);
  if (spec.region === "none" && region !== "") problems.push(`the region "${region}" should be empty (${spec.service} ARNs have none)`);
  if (spec.region === "required" && !REGION_NAME.test(region)) problems.push(region === "" ? "the region is empty" : `the region "${region}" is not a region name such as us-east-1`);
  if (!/^\d{12}$/.test(account)) {
    problems.push(
      account === "" ? "the account is empty" : /^\d+$/.test(account) ? `the account "${account}" has ${account.length} digits, not 12` : `the account "${account}" is not 12 digits`,
    );
  }
  const types = spec.resourceTypes;
  if (!types.some((t) => resourceMatches(resource, t))) {
    const wanted = types.map((t) => (t === ANY_NAME ? "a name" : isPrefix(t) ? `${t}<name>` : t)).join(" or ");
    problems.push(resource === "" ? `the resource is empty; it should be ${wanted}` : `the resource "${resource}" should be ${wanted}`);
  }
  return problems;
}

const ANY_NAME = "<name>";
const isPrefix = (type: string) => type.endsWith("/") || type.endsWith(":");

function resourceMatches(resource: string, type: string): boolean {
  if (type === ANY_NAME) return resource.length > 0;
  return isPrefix(type) ? resource.startsWith(type) && resource.length > type.length : resource === type;
}
