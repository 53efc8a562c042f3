import { z } from "zod";
import { Partition, accountIdSchema, partitionOf, regionSchema } from "./aws";
import { arnMismatch, dnsSuffixOf, parseArn } from "./arn";
import { GrantedPrincipal, checkPrincipalGrants, grantedPrincipals, principalGrantListSchema, pushConsumersOf } from "./consumers";
import { awsRepositoryName } from "./data-safety";
import { ResolvedEnvironment } from "./resolve";
import type { RegistryConfig } from "./schema";
import { checkEnvironmentSelection, environmentSelectionSchema, selectedEnvironments } from "./selection";

/** How ECR authenticates to an upstream registry. */
export type UpstreamAuthentication = "none" | "secret" | "role";

export interface UpstreamRegistry {
  /** What users call it. */
  readonly title: string;
  /** The `upstream_registry_url` ECR expects; ECR-to-ECR rules build it from the upstream registry. */
  readonly url: string | ((upstream: { registryId: string; region: string }) => string);
  /** `none`: public; `secret`: a Secrets Manager secret (`credentialArn`); `role`: an IAM role for cross-account ECR. */
  readonly authentication: UpstreamAuthentication;
  /** The `prefix` used when the config gives none. */
  readonly defaultPrefix?: string;
}

/**
 * Every upstream this project can cache, keyed by ECR's own `upstreamRegistry` names, with the
 * registry URL ECR documents for each (CreatePullThroughCacheRule, `upstreamRegistryUrl`).
 */
export const UPSTREAM_REGISTRIES = {
  "ecr-public": { title: "Amazon ECR Public", url: "public.ecr.aws", authentication: "none", defaultPrefix: "ecr-public" },
  quay: { title: "Quay", url: "quay.io", authentication: "none", defaultPrefix: "quay" },
  k8s: { title: "Kubernetes container image registry", url: "registry.k8s.io", authentication: "none", defaultPrefix: "k8s" },
  "docker-hub": { title: "Docker Hub", url: "registry-1.docker.io", authentication: "secret", defaultPrefix: "docker-hub" },
  "github-container-registry": { title: "GitHub Container Registry", url: "ghcr.io", authentication: "secret", defaultPrefix: "github" },
  "gitlab-container-registry": { title: "GitLab Container Registry", url: "registry.gitlab.com", authentication: "secret", defaultPrefix: "gitlab" },
  ecr: {
    title: "Amazon ECR (another private registry)",
    url: ({ registryId, region }) => `${registryId}.dkr.ecr.${region}.${dnsSuffixOf(partitionOf(region))}`,
    authentication: "role",
  },
} as const satisfies Record<string, UpstreamRegistry>;

export type UpstreamKind = keyof typeof UPSTREAM_REGISTRIES;
const UPSTREAM_KINDS = Object.keys(UPSTREAM_REGISTRIES) as [UpstreamKind, ...UpstreamKind[]];

/** ECR's limit on pull-through cache rules per registry (service quotas, not adjustable). */
export const MAX_PULL_THROUGH_CACHE_RULES = 50;

/** ECR's prefix pattern without its two special forms: a trailing `/` (ECR adds one anyway) and `ROOT`. */
const PREFIX_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** A repository namespace prefix: 2–30 characters of ECR's repository-name alphabet. */
export const cachePrefixSchema = z.string().superRefine((prefix, ctx) => {
  const problem =
    prefix === "ROOT"
      ? "ROOT is ECR's reserved prefix for every repository of the registry; a cache rule there would take over the model repositories, so this project refuses it"
      : prefix.length < 2 || prefix.length > 30
        ? "prefixes must be 2 to 30 characters"
        : prefix.endsWith("/")
          ? "must not end with '/': ECR always adds one (ecr-public means ecr-public/)"
          : !PREFIX_PATTERN.test(prefix)
            ? "must be lowercase letters and digits, with single '.', '_' or '-' separators and '/' between segments (e.g. docker-hub)"
            : undefined;
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const SECRET_NAME_PREFIX = "ecr-pullthroughcache/";
const SECRET_RESOURCE = /^secret:ecr-pullthroughcache\/[a-zA-Z0-9/_+=.@-]+$/;

const credentialArnSchema = z
  .string()
  .max(612, { message: "secret ARNs are at most 612 characters" })
  .refine((arn) => parseArn(arn)?.service === "secretsmanager", {
    message: "must be a Secrets Manager secret ARN such as arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf",
    abort: true,
  })
  .refine((arn) => SECRET_RESOURCE.test(parseArn(arn)!.resource), {
    message: `the secret's name must start with ${SECRET_NAME_PREFIX} (ECR only reads secrets named so)`,
  });

const roleArnSchema = z.string().refine(
  (arn) => {
    const parsed = parseArn(arn);
    return parsed?.service === "iam" && parsed.region === "" && /^role\/[\w+=,.@/-]{1,512}$/.test(parsed.resource);
  },
  { message: "must be an IAM role ARN such as arn:aws:iam::123456789012:role/ecr-pull-through-cache" },
);

const ruleSchema = z.strictObject({
  upstream: z.enum(UPSTREAM_KINDS).describe("The upstream registry: ecr-public, quay, k8s, docker-hub, github-container-registry, gitlab-container-registry or ecr."),
  prefix: cachePrefixSchema
    .optional()
    .describe("Repository namespace of the cache (images are pulled as <registry>/<prefix>/<upstream image>). Default per upstream, e.g. ecr-public, docker-hub; required for ecr."),
  credentialArn: credentialArnSchema
    .optional()
    .describe("Secrets Manager secret (name starting with ecr-pullthroughcache/) holding the upstream credentials. Required for docker-hub, github-container-registry and gitlab-container-registry."),
  registryId: accountIdSchema.optional().describe("ecr only: account of the upstream private registry."),
  region: regionSchema.optional().describe("ecr only: region of the upstream private registry."),
  customRoleArn: roleArnSchema.optional().describe("ecr only: IAM role ECR assumes to pull from an upstream registry in another account."),
  upstreamPrefix: cachePrefixSchema.optional().describe("ecr only: cache only upstream repositories under this prefix. Default: all (ROOT)."),
  environments: environmentSelectionSchema
    .optional()
    .describe("Environments that get this rule. Default: every environment that manages registry settings."),
  consumers: principalGrantListSchema
    .optional()
    .describe(
      "Who may pull through this cache: they may import upstream images and create the cache's repositories (registry policy), and pull from them (the cache template's repository policy). [] grants nobody. Default: the registry-wide push consumers (the builders of model images).",
    ),
});

export const pullThroughCacheSchema = z.strictObject({
  rules: z.array(ruleSchema).min(1, { message: "list at least one rule, or leave pullThroughCache out" }).describe("Pull-through cache rules."),
});

export type PullThroughCacheRuleConfig = z.infer<typeof ruleSchema>;

/** One rule as the `PullThroughCacheRule` construct takes it. */
export interface PullThroughCachePlan {
  readonly prefix: string;
  readonly upstream: UpstreamKind;
  readonly upstreamRegistryUrl: string;
  readonly credentialArn?: string;
  readonly customRoleArn?: string;
  readonly upstreamRepositoryPrefix?: string;
  /** The partition and region of the cache registry, for its pull address. */
  readonly partition: Partition;
  readonly region: string;
  /** Who may pull through the cache in this environment, sorted. */
  readonly consumers: readonly GrantedPrincipal[];
}

export function prefixOf(rule: PullThroughCacheRuleConfig): string | undefined {
  return rule.prefix ?? (UPSTREAM_REGISTRIES[rule.upstream] as UpstreamRegistry).defaultPrefix;
}

function upstreamUrl(rule: PullThroughCacheRuleConfig): string {
  const url = UPSTREAM_REGISTRIES[rule.upstream].url;
  return typeof url === "string" ? url : url({ registryId: rule.registryId!, region: rule.region! });
}

/** The pull-through cache rules of an environment's registry, sorted by prefix. */
export function pullThroughCacheRulesFor(config: RegistryConfig, environment: ResolvedEnvironment): PullThroughCachePlan[] {
  if (!environment.manageRegistrySettings || !config.pullThroughCache) return [];
  return config.pullThroughCache.rules
    .filter((rule) => selectedEnvironments(config, rule.environments, "registry-wide").some((e) => e.name === environment.name))
    .map((rule) => ({
      prefix: prefixOf(rule)!,
      upstream: rule.upstream,
      upstreamRegistryUrl: upstreamUrl(rule),
      credentialArn: rule.credentialArn,
      customRoleArn: rule.customRoleArn,
      upstreamRepositoryPrefix: rule.upstreamPrefix,
      partition: partitionOf(environment.region),
      region: environment.region,
      consumers: grantedPrincipals(rule.consumers ?? pushConsumersOf(config, environment, false), environment),
    }))
    .sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
}

/** Cross-field rules: what each upstream needs, where secrets live, and prefixes that collide. */
export function validatePullThroughCache(config: RegistryConfig, ctx: z.RefinementCtx): void {
  const rules = config.pullThroughCache?.rules;
  if (!rules) return;

  rules.forEach((rule, i) => {
    const at = (...rest: Array<string | number>) => ["pullThroughCache", "rules", i, ...rest];
    const upstream: UpstreamRegistry = UPSTREAM_REGISTRIES[rule.upstream];
    const issue = (field: string, message: string) => ctx.addIssue({ code: "custom", path: at(field), message });
    checkEnvironmentSelection(config, rule.environments, at("environments"), "a pull-through cache rule", "registry-wide", ctx);
    if (rule.consumers) checkPrincipalGrants(rule.consumers, selectedEnvironments(config, rule.environments, "registry-wide"), at("consumers"), "this cache rule", ctx);

    if (upstream.authentication === "secret" && !rule.credentialArn) {
      issue("credentialArn", `is required for ${rule.upstream}: ${upstream.title} needs credentials in a Secrets Manager secret named ${SECRET_NAME_PREFIX}...`);
    }
    if (upstream.authentication !== "secret" && rule.credentialArn) {
      issue("credentialArn", `is only for docker-hub, github-container-registry and gitlab-container-registry; ${rule.upstream} ${upstream.authentication === "none" ? "is public" : "uses customRoleArn"}`);
    }
    for (const field of ["registryId", "region", "customRoleArn", "upstreamPrefix"] as const) {
      if (rule.upstream !== "ecr" && rule[field] !== undefined) issue(field, `is only for upstream ecr (ECR-to-ECR caching), not ${rule.upstream}`);
    }
    if (rule.upstream === "ecr") {
      if (!rule.prefix) issue("prefix", "is required for upstream ecr (there is no conventional namespace for another private registry)");
      if (!rule.registryId) issue("registryId", "is required for upstream ecr: the account of the upstream registry");
      if (!rule.region) issue("region", "is required for upstream ecr: the region of the upstream registry");
    }

    for (const environment of selectedEnvironments(config, rule.environments, "registry-wide")) {
      const secret = rule.credentialArn ? parseArn(rule.credentialArn) : undefined;
      const secretProblem = secret && arnMismatch(secret, environment, { region: true, account: true });
      if (secretProblem) {
        issue("credentialArn", `${secretProblem}; ECR only reads a secret in the rule's own account and region (restrict this rule with environments, one secret per region)`);
      }
      const role = rule.customRoleArn ? parseArn(rule.customRoleArn) : undefined;
      const roleProblem = role && arnMismatch(role, environment, { region: false, account: false });
      if (roleProblem) issue("customRoleArn", roleProblem);
      if (rule.upstream === "ecr" && rule.registryId && rule.region) {
        if (partitionOf(rule.region) !== partitionOf(environment.region)) {
          issue("region", `is in partition ${partitionOf(rule.region)} but environment ${environment.name} is in ${partitionOf(environment.region)}`);
        } else if (rule.registryId === environment.accountId && rule.region === environment.region) {
          issue("registryId", `is environment ${environment.name}'s own registry; a registry cannot cache itself`);
        } else if (environment.accountId && rule.registryId !== environment.accountId && !rule.customRoleArn) {
          issue("customRoleArn", `is required: the upstream registry ${rule.registryId} is another account than environment ${environment.name} (${environment.accountId})`);
        }
      }
    }
  });

  for (const environment of selectedEnvironments(config, undefined, "registry-wide")) {
    const inEnvironment = rules
      .map((rule, index) => ({ rule, index, prefix: prefixOf(rule) }))
      .filter(({ rule, prefix }) => prefix && selectedEnvironments(config, rule.environments, "registry-wide").some((e) => e.name === environment.name));
    if (inEnvironment.length > MAX_PULL_THROUGH_CACHE_RULES) {
      ctx.addIssue({
        code: "custom",
        path: ["pullThroughCache", "rules"],
        message: `environment ${environment.name} would have ${inEnvironment.length} pull-through cache rules; ECR allows at most ${MAX_PULL_THROUGH_CACHE_RULES} per registry`,
      });
    }
    for (const { index, prefix } of inEnvironment) {
      const at = ["pullThroughCache", "rules", index, "prefix"];
      const earlier = inEnvironment.find((other) => other.index < index && (other.prefix === prefix || nested(other.prefix!, prefix!)));
      if (earlier) {
        const how = earlier.prefix === prefix ? "is already used by" : "overlaps the namespace of";
        ctx.addIssue({
          code: "custom",
          path: at,
          message: `"${prefix}" ${how} pullThroughCache.rules[${earlier.index}] ("${earlier.prefix}") in environment ${environment.name}; each cache needs its own namespace`,
        });
        continue;
      }
      // The cache namespace is of names in AWS, which an adopted or renamed repository may not share with its config name.
      const shadowed = environment.repositories.find((repo) => awsRepositoryName(repo).startsWith(`${prefix}/`));
      if (shadowed) {
        ctx.addIssue({
          code: "custom",
          path: at,
          message: `"${prefix}" would make model repository ${awsRepositoryName(shadowed)} (environment ${environment.name}) part of the cache namespace; choose a prefix no model repository starts with`,
        });
      }
    }
  }
}

function nested(a: string, b: string): boolean {
  return a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}
