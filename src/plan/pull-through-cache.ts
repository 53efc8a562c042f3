import { Partition, partitionOf } from "../config/schema/aws";
import { UPSTREAM_REGISTRIES, UpstreamKind, prefixOf, type PullThroughCacheRuleConfig } from "../config/schema/pull-through-cache";
import type { RegistryConfig } from "../config/schema";
import { GrantedPrincipal, grantedPrincipals, pushConsumersOf } from "./consumers";
import { ResolvedEnvironment, selectedEnvironments } from "./environments";

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
