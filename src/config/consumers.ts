import { z } from "zod";
import { noRepeats } from "./unique";
import { ArnSpec, explainArn } from "./arn";
import { Partition, partitionOf, regionSchema } from "./aws";
import { unknownEnvironment } from "./suggest";
import { ResolvedEnvironment, resolveEnvironments } from "./resolve";
import type { RepositoryConfig } from "./repository";
import type { RegistryConfig } from "./schema";

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
 * The account a principal belongs to. Undefined only for a principal the schema rejects (root
 * refinements still run after field errors, so helpers they use must tolerate invalid values).
 */
export function principalAccount(principal: string): string | undefined {
  if (!principalAccounts.has(principal)) principalAccounts.set(principal, ACCOUNT_ID.test(principal) ? principal : IAM_PRINCIPAL_ARN.exec(principal)?.[2]);
  return principalAccounts.get(principal);
}
/** Accounts already read: every repository's grants ask again for the registry-wide consumers' accounts. */
const principalAccounts = new Map<string, string | undefined>();

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
// wrong one (`deV`) is reported as unknown, with the known names, by refineConsumers.
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
        message:
          "must be a Lambda function ARN with a literal region and account, e.g. arn:aws:lambda:us-east-1:123456789012:function:model-* ('*' and '?' only in the function name)",
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

/** Where a consumer list sits in the config, and which environments its consumers can apply to. */
export interface ConsumerScope {
  readonly path: Array<string | number>;
  readonly consumers: readonly Consumer[];
  readonly environments: readonly ResolvedEnvironment[];
  readonly what: string;
  /** The repositories of an environment the scope's consumers apply to. */
  readonly repositories: (environment: ResolvedEnvironment) => readonly RepositoryConfig[];
}

/** Every consumer list of the config: the registry-wide one, then each repository's own. */
export function consumerScopes(config: RegistryConfig): ConsumerScope[] {
  const environments = resolveEnvironments(config);
  const scopes: ConsumerScope[] = [];
  if (config.consumers)
    scopes.push({
      path: ["consumers"],
      consumers: config.consumers,
      environments,
      what: "the registry",
      repositories: (env) => env.repositories.filter((r) => r.inheritConsumers),
    });
  const namesIn = new Map(environments.map((env) => [env, new Set(env.repositories.map((r) => r.name))]));
  config.repositories.forEach((repo, i) => {
    if (!repo.consumers) return;
    scopes.push({
      path: ["repositories", i, "consumers"],
      consumers: repo.consumers,
      environments: environments.filter((env) => namesIn.get(env)!.has(repo.name)),
      what: `repository ${repo.name}`,
      repositories: (env) => env.repositories.filter((r) => r.name === repo.name),
    });
  });
  return scopes;
}

/**
 * Cross-field rules for consumers, called from the root schema's superRefine: environments named
 * by consumers exist (and, for a repository's own consumers, hold the repository); principals and
 * Lambda functions are in each environment's partition; Lambda functions are in the environment's
 * region (Lambda pulls only from its own region); identity policies know each environment's account.
 */
export function refineConsumers(config: RegistryConfig, ctx: z.RefinementCtx): void {
  const environments = resolveEnvironments(config);
  for (const scope of consumerScopes(config)) {
    scope.consumers.forEach((consumer, j) => {
      const at = (...rest: Array<string | number>) => [...scope.path, j, ...rest];
      const known = scope.environments.map((e) => e.name);
      consumer.environments?.forEach((name, k) => {
        if (!environments.some((e) => e.name === name))
          ctx.addIssue({ code: "custom", path: at("environments", k), message: unknownEnvironment(name, environments.map((e) => e.name)) });
        else if (!known.includes(name))
          ctx.addIssue({
            code: "custom",
            path: at("environments", k),
            message: `${scope.what} does not exist in environment "${name}" (it exists in: ${known.join(", ")})`,
          });
      });
      const applies = scope.environments.filter((env) => !consumer.environments || consumer.environments.includes(env.name));
      for (const env of applies) {
        const problem = placementProblem(consumer, env);
        if (problem) {
          ctx.addIssue({ code: "custom", path: at(...[problem.field].flat()), message: problem.message });
          break;
        }
      }
    });
  }

  if (config.identityPolicies) {
    const unknown = environments.filter((env) => !env.accountId).map((env) => env.name);
    if (unknown.length > 0)
      ctx.addIssue({
        code: "custom",
        path: ["identityPolicies"],
        message: `identity policies are made for consumers in the registry's own account, so every environment needs an accountId (missing for: ${unknown.join(", ")})`,
      });
  }
}

function placementProblem(consumer: Consumer, env: ResolvedEnvironment): { field: string | Array<string | number>; message: string } | undefined {
  const partition = partitionOf(env.region);
  const limit = "; limit the consumer with environments: [...]";
  if (consumer.kind === "push" || consumer.kind === "pull") {
    const own = principalPartition(consumer.principal);
    if (own !== undefined && own !== partition)
      return {
        field: "principal",
        message: `is in partition ${own} but environment ${env.name} (${env.region}) is in partition ${partition}${limit}`,
      };
  }
  if (consumer.kind === "lambda" && consumer.sourceArn !== undefined) {
    const fn = lambdaArnParts(consumer.sourceArn);
    if (fn === undefined) return undefined;
    if (fn.partition !== partition)
      return { field: "sourceArn", message: `is in partition ${fn.partition} but environment ${env.name} (${env.region}) is in partition ${partition}${limit}` };
    if (consumer.regions === undefined && fn.region !== env.region)
      return {
        field: "sourceArn",
        message: `is a function in ${fn.region} but environment ${env.name} is in ${env.region}; Lambda pulls images only from its own region${limit} (or, to pull from a replica in ${fn.region}, list regions: [${fn.region}])`,
      };
    const other = consumer.regions?.findIndex((region) => region !== fn.region) ?? -1;
    if (other >= 0)
      return {
        field: ["regions", other],
        message: `is not the region of sourceArn's functions (${fn.region}); Lambda pulls images only from its own region, so list only ${fn.region}`,
      };
  }
  return undefined;
}

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

/**
 * Cross-field rules for a list of principal grants: the environments it names are among those
 * the feature exists in, and each principal is in the partition of every environment it applies to.
 */
export function checkPrincipalGrants(
  grants: readonly PrincipalGrant[],
  environments: readonly ResolvedEnvironment[],
  path: ReadonlyArray<string | number>,
  what: string,
  ctx: z.RefinementCtx,
): void {
  const known = environments.map((e) => e.name);
  grants.forEach((grant, i) => {
    grant.environments?.forEach((name, k) => {
      if (!known.includes(name))
        ctx.addIssue({ code: "custom", path: [...path, i, "environments", k], message: `${what} does not exist in environment "${name}" (it exists in: ${known.join(", ") || "none"})` });
    });
    for (const env of environments.filter((e) => !grant.environments || grant.environments.includes(e.name))) {
      const problem = placementProblem({ kind: "pull", principal: grant.principal }, env);
      if (problem) {
        ctx.addIssue({ code: "custom", path: [...path, i, "principal"], message: problem.message });
        break;
      }
    }
  });
}

/** A principal as a feature grants it in one environment: its policy ARN and whether it is in the registry's account. */
export interface GrantedPrincipal {
  /** As it appears in a policy; account ids are already `arn:<partition>:iam::<id>:root`. */
  readonly arn: string;
  /** Whether it is in the environment's account; undefined when the environment's account is not configured. */
  readonly sameAccount: boolean | undefined;
}

/** The principals of `grants` that apply to an environment, as policies name them, without repeats, sorted. */
export function grantedPrincipals(grants: ReadonlyArray<{ principal: string; environments?: readonly string[] }>, environment: ResolvedEnvironment): GrantedPrincipal[] {
  const partition = partitionOf(environment.region);
  const byArn = new Map<string, GrantedPrincipal>();
  for (const grant of grants) {
    if (grant.environments && !grant.environments.includes(environment.name)) continue;
    const arn = principalArn(grant.principal, partition);
    const sameAccount = environment.accountId === undefined ? undefined : environment.accountId === principalAccount(grant.principal);
    byArn.set(arn, { arn, sameAccount });
  }
  return [...byArn.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

/**
 * The push consumers of an environment, as grants: the registry-wide ones and, with
 * `includeRepositories`, every repository's own push consumers for repositories in that
 * environment. They build and publish model images, so features for builders default to them.
 */
export function pushConsumersOf(config: RegistryConfig, environment: ResolvedEnvironment, includeRepositories: boolean): PrincipalGrant[] {
  const grants: PrincipalGrant[] = (config.consumers ?? []).flatMap((c) => (c.kind === "push" ? [{ principal: c.principal, environments: c.environments }] : []));
  if (includeRepositories) {
    const here = new Set(environment.repositories.map((r) => r.name));
    for (const repo of config.repositories) {
      if (!here.has(repo.name)) continue;
      for (const c of repo.consumers ?? []) if (c.kind === "push") grants.push({ principal: c.principal, environments: c.environments });
    }
  }
  return grants.filter((g) => !g.environments || g.environments.includes(environment.name));
}
