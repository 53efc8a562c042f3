import { awsProviderAlias } from "../naming";
import { AttributeReference } from "../synthesized/expressions";
import { SynthesizedResource, SynthesizedStack } from "../synthesized/stack";

/** What the examples of one stack are built from: its provider's account and region. */
export interface ExampleContext {
  /** The account the provider is pinned to (`allowed_account_ids`), else AWS's documentation account. */
  readonly account: string;
  /** Whether `account` is the stack's real account rather than a placeholder. */
  readonly accountKnown: boolean;
  readonly region: string;
  readonly partition: string;
  readonly dnsSuffix: string;
}

/** An attribute's example value, and a regular expression every real value matches when one can be given. */
export interface AttributeExample {
  readonly value: string;
  /** Unanchored JSON Schema `pattern` fragment. */
  readonly pattern?: string;
}

const PLACEHOLDER_ACCOUNT = "123456789012";
const ACCOUNT_PATTERN = "[0-9]{12}";

/**
 * The context of a stack's default AWS provider, or with `alias` of that aliased provider (a
 * replica registry's region, `provider = "aws.<alias>"` on its resources).
 */
export function exampleContext(stack: SynthesizedStack, alias?: string): ExampleContext {
  const provider = stack.providers.find((p) => p.name === "aws" && p.alias === alias)?.config ?? {};
  const region = typeof provider.region === "string" ? provider.region : "us-east-1";
  const allowed = Array.isArray(provider.allowed_account_ids) ? provider.allowed_account_ids : [];
  const accountKnown = allowed.length === 1 && /^\d{12}$/.test(String(allowed[0]));
  const partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  return {
    account: accountKnown ? String(allowed[0]) : PLACEHOLDER_ACCOUNT,
    accountKnown,
    region,
    partition,
    dnsSuffix: partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com",
  };
}

type Example = (resource: SynthesizedResource, context: ExampleContext) => AttributeExample | undefined;

/** Escapes text for use inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A literal argument of the resource, when it is one (not itself a reference). */
function literal(resource: SynthesizedResource, argument: string): string | undefined {
  const value = resource.config[argument];
  return typeof value === "string" && !value.includes("${") ? value : undefined;
}

const account: Example = (_, c) => ({ value: c.account, pattern: c.accountKnown ? c.account : ACCOUNT_PATTERN });

/** `arn:<partition>:<service>:<region>:<account>:<resource>`, exact when the resource part is known. */
function arn(service: string, regional: boolean, resourcePart: (r: SynthesizedResource) => string | undefined): Example {
  return (r, c) => {
    const part = resourcePart(r);
    if (part === undefined) return undefined;
    const prefix = `arn:${c.partition}:${service}:${regional ? c.region : ""}:`;
    return {
      value: `${prefix}${c.account}:${part}`,
      pattern: `${escapeRegExp(prefix)}${c.accountKnown ? c.account : ACCOUNT_PATTERN}:${escapeRegExp(part)}`,
    };
  };
}

const named = (argument: string, build: (value: string) => string) => (r: SynthesizedResource) => {
  const value = literal(r, argument);
  return value === undefined ? undefined : build(value);
};

const EXAMPLE_KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

/**
 * Example values of the attributes that outputs export, by type (`data.<type>` for data sources).
 * An attribute that is also a literal argument of the resource (a `name`, say) needs no entry:
 * its example is the argument's value.
 */
const ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, Example>>>> = {
  aws_ecr_repository: {
    repository_url: (r, c) => {
      const name = literal(r, "name");
      if (name === undefined) return undefined;
      const host = `.dkr.ecr.${c.region}.${c.dnsSuffix}/${name}`;
      return { value: `${c.account}${host}`, pattern: `${c.accountKnown ? c.account : ACCOUNT_PATTERN}${escapeRegExp(host)}` };
    },
    arn: arn("ecr", true, named("name", (n) => `repository/${n}`)),
    registry_id: account,
  },
  aws_ecr_pull_through_cache_rule: { registry_id: account },
  aws_ecr_registry_scanning_configuration: { registry_id: account },
  aws_ecr_replication_configuration: { registry_id: account },
  aws_ecr_registry_policy: { registry_id: account },
  aws_kms_key: {
    arn: arn("kms", true, () => `key/${EXAMPLE_KEY_ID}`),
    key_id: () => ({ value: EXAMPLE_KEY_ID }),
  },
  aws_kms_alias: { arn: arn("kms", true, (r) => literal(r, "name")) },
  aws_iam_policy: { arn: arn("iam", false, (r) => literal(r, "name") && `policy${literal(r, "path") ?? "/"}${literal(r, "name")}`) },
  aws_iam_role: { arn: arn("iam", false, (r) => literal(r, "name") && `role${literal(r, "path") ?? "/"}${literal(r, "name")}`) },
  aws_sns_topic: { arn: arn("sns", true, (r) => literal(r, "name")) },
  aws_cloudwatch_event_rule: { arn: arn("events", true, named("name", (n) => `rule/${n}`)) },
  aws_signer_signing_profile: {
    arn: arn("signer", true, named("name", (n) => `/signing-profiles/${n}`)),
    version_arn: arn("signer", true, named("name", (n) => `/signing-profiles/${n}/abcdefghij`)),
    version: () => ({ value: "abcdefghij" }),
  },
  aws_s3_bucket: {
    arn: (r, c) => {
      const bucket = literal(r, "bucket");
      return bucket === undefined ? undefined : { value: `arn:${c.partition}:s3:::${bucket}`, pattern: escapeRegExp(`arn:${c.partition}:s3:::${bucket}`) };
    },
    id: (r) => (literal(r, "bucket") === undefined ? undefined : { value: literal(r, "bucket")!, pattern: escapeRegExp(literal(r, "bucket")!) }),
  },
  "data.aws_caller_identity": { account_id: account },
  "data.aws_region": {
    name: (_, c) => ({ value: c.region, pattern: escapeRegExp(c.region) }),
    region: (_, c) => ({ value: c.region, pattern: escapeRegExp(c.region) }),
  },
  "data.aws_partition": {
    partition: (_, c) => ({ value: c.partition, pattern: escapeRegExp(c.partition) }),
    dns_suffix: (_, c) => ({ value: c.dnsSuffix, pattern: escapeRegExp(c.dnsSuffix) }),
  },
};

/**
 * The example of one referenced attribute, or undefined when nothing sensible can be said before
 * apply. A resource of an aliased provider takes that provider's context (`contextOf`).
 */
export function exampleAttribute(
  reference: AttributeReference,
  resource: SynthesizedResource | undefined,
  context: ExampleContext,
  contextOf?: (alias: string) => ExampleContext,
): AttributeExample | undefined {
  if (!resource) return undefined;
  const alias = awsProviderAlias(resource.config.provider);
  if (alias !== undefined && contextOf) context = contextOf(alias);
  const key = reference.mode === "data" ? `data.${reference.type}` : reference.type;
  const example = ATTRIBUTES[key]?.[reference.attribute];
  if (example) return example(resource, context);
  const argument = literal(resource, reference.attribute);
  return argument === undefined ? undefined : { value: argument, pattern: escapeRegExp(argument) };
}
