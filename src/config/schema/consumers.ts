import { z } from "zod";
import { memoByKey } from "../../cache";
import { noRepeats } from "./unique";
import { ArnSpec, explainArn, explainArnError } from "./arn";
import { Partition, regionSchema } from "./aws";

/**
 * Who may use a repository. Consumers never name actions: each kind maps to one fixed action set
 * in `src/access/actions.ts`, so a config cannot ask for `ecr:*`, a wildcard action or an
 * unconditioned `Principal: "*"`.
 */
export const CONSUMER_KINDS = ["push", "pull", "lambda", "organization"] as const;
export type ConsumerKind = (typeof CONSUMER_KINDS)[number];

const PARTITIONS = "aws|aws-cn|aws-us-gov";
/** IAM names and path segments: letters, digits and `+=,.@_-`. */
const IAM_NAME = "[\\w+=,.@-]";
const IAM_PRINCIPAL_ARN = new RegExp(`^arn:(${PARTITIONS}):iam::(\\d{12}):(?:root|(role|user)/((?:${IAM_NAME}+/)*)(${IAM_NAME}+))$`);
const ACCOUNT_ID = /^\d{12}$/;

/** The partition of a principal ARN, or undefined for a bare account id (which takes its environment's partition). */
export function principalPartition(principal: string): Partition | undefined {
  const match = IAM_PRINCIPAL_ARN.exec(principal);
  return match ? (match[1] as Partition) : undefined;
}

/**
 * The account a principal belongs to. Undefined only for a principal the schema rejects (the
 * config checks still run after field errors, so helpers they use must tolerate invalid values).
 */
export const principalAccount: (principal: string) => string | undefined = memoByKey((principal: string) =>
  ACCOUNT_ID.test(principal) ? principal : IAM_PRINCIPAL_ARN.exec(principal)?.[2],
);

/** The ARN that goes into a policy: an account id becomes the account's root principal in the given partition. */
export function principalArn(principal: string, partition: Partition): string {
  return ACCOUNT_ID.test(principal) ? `arn:${partition}:iam::${principal}:root` : principal;
}

/** Why a principal is refused, or undefined when it is a role ARN, user ARN, account root ARN or account id. */
function principalProblem(principal: string): string | undefined {
  if (ACCOUNT_ID.test(principal)) return undefined;
  const match = IAM_PRINCIPAL_ARN.exec(principal);
  if (match) {
    const [, , , , path, name] = match;
    if (name !== undefined && name.length > 64) return "IAM role and user names are at most 64 characters";
    if (path !== undefined && path.length + 1 > 512) return "IAM paths are at most 512 characters";
    return undefined;
  }
  if (principal.trim() === "*")
    return 'the principal "*" would let every AWS account in; use kind: organization with an organizationId to share with your organization, or name the roles';
  if (principal.includes("*") || principal.includes("?"))
    return "wildcards are not allowed in principals; name each role or user, or use kind: organization";
  if (/^\d+$/.test(principal)) return "account ids have exactly 12 digits";
  if (/^arn:[^:]*:sts:/.test(principal)) return "use the role's IAM ARN (arn:aws:iam::<account>:role/<name>), not an STS session ARN";
  if (/^arn:[^:]*:iam::\d{12}:group\//.test(principal)) return "IAM groups cannot be principals; name the roles or users";
  if (/\.amazonaws\.com(\.cn)?$/.test(principal))
    return "service principals are not consumers; name the role the service runs as (e.g. an ECS task execution role), or use kind: lambda";
  const partition = /^arn:([^:]*):/.exec(principal)?.[1];
  if (partition !== undefined && !["aws", "aws-cn", "aws-us-gov"].includes(partition))
    return `unknown partition "${partition}" (expected aws, aws-cn or aws-us-gov)`;
  if (principal.startsWith("arn:")) return explainArn(principal, PRINCIPAL_ARN);
  return "must be an IAM role or user ARN (arn:aws:iam::123456789012:role/name, paths allowed) or a 12-digit account id";
}

const PRINCIPAL_ARN: ArnSpec = {
  message: "must be an IAM role or user ARN (arn:aws:iam::123456789012:role/name, paths allowed) or a 12-digit account id",
  service: "iam",
  region: "none",
  resourceTypes: ["role/", "user/", "root"],
};

export const principalSchema = z
  .string({ message: 'principals are strings: an IAM role or user ARN, or a 12-digit account id in quotes ("123456789012")' })
  .superRefine((principal, ctx) => {
    const problem = principalProblem(principal);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

// Plain strings, not environmentNameSchema: a name here refers to a declared environment, and a
// wrong one (`deV`) is reported as unknown, with the known names, by the consumers check (src/checks/consumers.ts).
const consumerEnvironmentsSchema = z
  .array(z.string())
  .min(1, { message: "list at least one environment, or leave environments out to apply everywhere" })
  .superRefine(noRepeats("environment"))
  .optional()
  .describe("Environments this consumer applies to. Default: every environment the repository exists in.");

const consumerRegionsSchema = z
  .array(regionSchema)
  .min(1, { message: "list at least one region, or leave regions out to use the environment's region" })
  .superRefine(noRepeats("region"))
  .optional()
  .describe(
    "Regions this consumer uses the repository in: the environment's region and regions the repository is replicated to (docs/replication.md). Default: the environment's region only.",
  );

const pushConsumerSchema = z.strictObject({
  kind: z.literal("push").describe("Publishes images: the pull actions plus the three layer-upload actions and PutImage."),
  principal: principalSchema.describe("IAM role or user ARN (e.g. a GitHub Actions OIDC role), or a 12-digit account id."),
  environments: consumerEnvironmentsSchema,
  regions: consumerRegionsSchema,
});

const pullConsumerSchema = z.strictObject({
  kind: z.literal("pull").describe("Reads images: BatchGetImage, GetDownloadUrlForLayer, BatchCheckLayerAvailability."),
  principal: principalSchema.describe("IAM role or user ARN (ECS task execution, EKS node or pod role, SageMaker execution role), or a 12-digit account id."),
  environments: consumerEnvironmentsSchema,
  regions: consumerRegionsSchema,
});

/** A Lambda function ARN or pattern: literal partition, region and account, `*`/`?` only in the function name and qualifier. */
const LAMBDA_FUNCTION_ARN = new RegExp(`^arn:(${PARTITIONS}):lambda:([a-z]{2}(?:-gov)?-[a-z]+-\\d{1,2}):(\\d{12}):function:[A-Za-z0-9_*?-]{1,64}(?::[A-Za-z0-9_$*?-]{1,128})?$`);

/** Partition, region and account of a Lambda function ARN; undefined when it is not one. */
export function lambdaArnParts(arn: string): { partition: Partition; region: string; account: string } | undefined {
  const match = LAMBDA_FUNCTION_ARN.exec(arn);
  return match ? { partition: match[1] as Partition, region: match[2], account: match[3] } : undefined;
}

/**
 * The ARN pattern of every function of an account in one partition and region, which a
 * `sourceAccount` consumer becomes. AWS documents only `aws:SourceArn` for Lambda's image pulls
 * (not `aws:SourceAccount`), and a function can use an image only from a repository in its own
 * region, so the environment's region is exact.
 */
export function everyLambdaFunctionArn(partition: Partition, region: string, account: string): string {
  return `arn:${partition}:lambda:${region}:${account}:function:*`;
}

const lambdaConsumerSchema = z
  .strictObject({
    kind: z.literal("lambda").describe("Container-image Lambda functions: lambda.amazonaws.com may pull, under conditions."),
    sourceAccount: z
      .string({ message: 'sourceAccount is a 12-digit account id in quotes ("123456789012")' })
      .regex(ACCOUNT_ID, { message: "must be a 12-digit AWS account id" })
      .optional()
      .describe(
        "Only functions of this account may pull: condition aws:SourceArn (ArnLike) arn:<partition>:lambda:<region>:<account>:function:* with the environment's partition and region. With sourceArn too, that ARN is the condition.",
      ),
    sourceArn: z
      .string()
      .regex(LAMBDA_FUNCTION_ARN, {
        error: explainArnError({
          message:
            "must be a Lambda function ARN with a literal region and account, e.g. arn:aws:lambda:us-east-1:123456789012:function:model-* ('*' and '?' only in the function name)",
          service: "lambda",
          region: "required",
          resourceTypes: ["function:"],
        }),
      })
      .optional()
      .describe("Only functions matching this ARN may pull (condition aws:SourceArn, ArnLike: '*' allowed in the function name)."),
    environments: consumerEnvironmentsSchema,
    regions: consumerRegionsSchema,
  })
  .superRefine((consumer, ctx) => {
    if (consumer.sourceAccount === undefined && consumer.sourceArn === undefined) {
      ctx.addIssue({
        code: "custom",
        message: "a lambda consumer needs sourceAccount, sourceArn or both; without a condition every Lambda function in every account could pull",
      });
      return;
    }
    const account = consumer.sourceArn !== undefined ? lambdaArnParts(consumer.sourceArn)?.account : undefined;
    if (consumer.sourceAccount !== undefined && account !== undefined) {
      if (account !== consumer.sourceAccount)
        ctx.addIssue({
          code: "custom",
          path: ["sourceArn"],
          message: `names account ${account} but sourceAccount is ${consumer.sourceAccount}; no function could match both`,
        });
    }
  });

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const ORGANIZATION_PATH = /^(o-[a-z0-9]{10,32})\/r-[a-z0-9]{4,32}\/(?:ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}\/)*\*?$/;

const organizationConsumerSchema = z
  .strictObject({
    kind: z.literal("organization").describe('Every principal of an AWS Organization may pull: Principal "*" with aws:PrincipalOrgID.'),
    organizationId: z
      .string()
      .regex(ORGANIZATION_ID, { message: "must be an AWS Organizations id: o- followed by 10 to 32 lowercase letters or digits" })
      .describe("The organization, e.g. o-a1b2c3d4e5 (condition aws:PrincipalOrgID)."),
    organizationPaths: z
      .array(
        z.string().regex(ORGANIZATION_PATH, {
          message: "must be an organization path such as o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ (optionally ending in *)",
        }),
      )
      .min(1, { message: "list at least one path, or leave organizationPaths out to admit the whole organization" })
      .superRefine(noRepeats("organization path"))
      .optional()
      .describe("Narrows the organization to these OUs (condition aws:PrincipalOrgPaths, ForAnyValue:StringLike)."),
    environments: consumerEnvironmentsSchema,
    regions: consumerRegionsSchema,
  })
  .superRefine((consumer, ctx) => {
    consumer.organizationPaths?.forEach((path, i) => {
      const org = ORGANIZATION_PATH.exec(path)?.[1];
      if (org !== consumer.organizationId)
        ctx.addIssue({
          code: "custom",
          path: ["organizationPaths", i],
          message: `is a path of ${org}, not of ${consumer.organizationId}; it could never match`,
        });
    });
  });

export const consumerSchema = z.discriminatedUnion("kind", [pushConsumerSchema, pullConsumerSchema, lambdaConsumerSchema, organizationConsumerSchema], {
  error: (issue) =>
    issue.code === "invalid_union"
      ? {
          message:
            issue.input && typeof issue.input === "object" && "kind" in (issue.input as object)
              ? `kind must be one of ${CONSUMER_KINDS.map((k) => JSON.stringify(k)).join(", ")} (got ${JSON.stringify((issue.input as { kind: unknown }).kind)})`
              : `each consumer needs a kind: one of ${CONSUMER_KINDS.map((k) => JSON.stringify(k)).join(", ")}`,
        }
      : undefined,
});

export type Consumer = z.infer<typeof consumerSchema>;
export type PushConsumer = z.infer<typeof pushConsumerSchema>;
export type PullConsumer = z.infer<typeof pullConsumerSchema>;
export type LambdaConsumer = z.infer<typeof lambdaConsumerSchema>;
export type OrganizationConsumer = z.infer<typeof organizationConsumerSchema>;

/**
 * What makes two consumers the same grant. A role, user or account is one grantee whatever its
 * level (push includes pull), so declaring it twice in one list is a mistake; an account id and
 * its root ARN are the same principal.
 */
export function consumerIdentity(consumer: Consumer): string {
  switch (consumer.kind) {
    case "push":
    case "pull": {
      const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(consumer.principal)?.[1];
      return `principal ${root ?? consumer.principal}`;
    }
    case "lambda":
      return `lambda ${consumer.sourceAccount ?? "-"} ${consumer.sourceArn ?? "-"}`;
    case "organization":
      return `organization ${consumer.organizationId}`;
  }
}

/** A consumer in a few words, e.g. `arn:aws:iam::123456789012:role/ci (push)`. */
export function describeConsumer(consumer: Consumer): string {
  switch (consumer.kind) {
    case "push":
    case "pull":
      return `${consumer.principal} (${consumer.kind})`;
    case "lambda":
      return `the lambda consumer ${[consumer.sourceAccount, consumer.sourceArn].filter(Boolean).join(" ")}`;
    case "organization":
      return `organization ${consumer.organizationId}`;
  }
}

function environmentsOverlap(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a === undefined || b === undefined || a.some((name) => b.includes(name));
}

/** Regions left out mean the environment's own, which may be any listed one: only two disjoint lists do not overlap. */
function regionsOverlap(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a === undefined || b === undefined || a.some((region) => b.includes(region));
}

/** A list of consumers: at least one, each grantee once per environment. */
export const consumerListSchema = z
  .array(consumerSchema)
  .min(1, { message: "list at least one consumer, or leave consumers out" })
  .superRefine((consumers, ctx) => {
    consumers.forEach((consumer, i) => {
      const first = consumers.findIndex(
        (other, j) => j < i && consumerIdentity(other) === consumerIdentity(consumer) &&
          environmentsOverlap(other.environments, consumer.environments) &&
          regionsOverlap(other.regions, consumer.regions),
      );
      if (first === -1) return;
      const other = consumers[first];
      const levels = other.kind !== consumer.kind ? `; declare it once with the level it needs (push includes pull)` : "";
      ctx.addIssue({
        code: "custom",
        path: [i],
        message: `duplicate consumer: entry ${first} of this list already declares ${describeConsumer(other)}${levels}`,
      });
    });
  });

/**
 * A principal granted one registry feature (pulling through a cache, signing), in some
 * environments. Features grant fixed actions, like consumer kinds: the config names only who.
 */
export const principalGrantSchema = z.strictObject({
  principal: principalSchema.describe("IAM role or user ARN, or a 12-digit account id."),
  environments: consumerEnvironmentsSchema,
});

export type PrincipalGrant = z.infer<typeof principalGrantSchema>;

/** A list of principal grants: each principal once per environment (an account id and its root ARN are one principal). */
export const principalGrantListSchema = z.array(principalGrantSchema).superRefine((grants, ctx) => {
  grants.forEach((grant, i) => {
    const identity = consumerIdentity({ kind: "pull", ...grant });
    const first = grants.findIndex((other, j) => j < i && consumerIdentity({ kind: "pull", ...other }) === identity && environmentsOverlap(other.environments, grant.environments));
    if (first !== -1) ctx.addIssue({ code: "custom", path: [i, "principal"], message: `duplicate principal: entry ${first} of this list already names ${grant.principal}` });
  });
});

