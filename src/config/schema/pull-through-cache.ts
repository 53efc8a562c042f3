import { z } from "zod";
import { accountIdSchema, partitionOf, regionSchema } from "./aws";
import { ArnSpec, arnFieldProblems, dnsSuffixOf, explainArnError, parseArn } from "./arn";
import { roleArnSchema } from "./assume-role";
import { principalGrantListSchema } from "./consumers";
import { environmentSelectionSchema } from "./selection";

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

export const SECRET_NAME_PREFIX = "ecr-pullthroughcache/";
const SECRET_RESOURCE = /^secret:ecr-pullthroughcache\/[a-zA-Z0-9/_+=.@-]+$/;

const SECRET_ARN: ArnSpec = {
  message: "must be a Secrets Manager secret ARN such as arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf",
  service: "secretsmanager",
  region: "required",
  resourceTypes: ["secret:"],
};

const credentialArnSchema = z
  .string()
  .max(612, { message: "secret ARNs are at most 612 characters" })
  .refine((arn) => parseArn(arn) !== undefined && arnFieldProblems(arn, SECRET_ARN).length === 0, {
    error: explainArnError(SECRET_ARN),
    abort: true,
  })
  .refine((arn) => SECRET_RESOURCE.test(parseArn(arn)!.resource), {
    message: `the secret's name must start with ${SECRET_NAME_PREFIX} (ECR only reads secrets named so)`,
  });

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

export function prefixOf(rule: PullThroughCacheRuleConfig): string | undefined {
  return rule.prefix ?? (UPSTREAM_REGISTRIES[rule.upstream] as UpstreamRegistry).defaultPrefix;
}

