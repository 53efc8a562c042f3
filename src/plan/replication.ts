import { Partition, partitionOf } from "../config/schema/aws";
import type { RegistryConfig } from "../config/schema";
import { ResolvedEnvironment, resolveEnvironments, selectedEnvironments } from "./environments";

// Replication as each environment's stack declares it: the rules that apply to its registry, their
// destinations with accounts resolved, and the source accounts another registry accepts.

/** A destination with its account resolved; `registryId` is undefined for "this environment's own account" when that is not known. */
export interface ReplicationDestination {
  readonly region: string;
  readonly registryId?: string;
}

/** One environment's replication configuration, ready for the `RegistryReplication` construct. */
export interface ReplicationPlan {
  readonly partition: Partition;
  readonly region: string;
  readonly accountId?: string;
  readonly rules: ReadonlyArray<{ readonly repositoryPrefixes: readonly string[]; readonly destinations: readonly ReplicationDestination[] }>;
  /** Cross-account destinations, each needing a registry policy in its account. */
  readonly crossAccountDestinations: ReadonlyArray<{ readonly accountId: string; readonly region: string }>;
}

function destinationOf(destination: { region: string; accountId?: string }, source: ResolvedEnvironment): ReplicationDestination {
  return { region: destination.region, registryId: destination.accountId ?? source.accountId };
}

export function isCrossAccount(destination: { accountId?: string }, source: ResolvedEnvironment): destination is { accountId: string } {
  return destination.accountId !== undefined && destination.accountId !== source.accountId;
}

export function rulesOf(config: RegistryConfig, environment: ResolvedEnvironment) {
  if (!environment.manageRegistrySettings) return [];
  return (config.replication?.rules ?? []).filter((rule) =>
    selectedEnvironments(config, rule.environments, "registry-wide").some((e) => e.name === environment.name),
  );
}

/** The replication configuration of an environment's registry, or undefined when it replicates nothing. */
export function replicationFor(config: RegistryConfig, environment: ResolvedEnvironment): ReplicationPlan | undefined {
  const rules = rulesOf(config, environment);
  if (rules.length === 0) return undefined;
  const crossAccount = new Map<string, { accountId: string; region: string }>();
  for (const rule of rules) {
    for (const destination of rule.destinations) {
      if (isCrossAccount(destination, environment)) {
        crossAccount.set(`${destination.accountId} ${destination.region}`, { accountId: destination.accountId, region: destination.region });
      }
    }
  }
  return {
    partition: partitionOf(environment.region),
    region: environment.region,
    accountId: environment.accountId,
    rules: rules.map((rule) => ({
      repositoryPrefixes: rule.repositoryPrefixes ?? [],
      destinations: rule.destinations.map((d) => destinationOf(d, environment)),
    })),
    crossAccountDestinations: [...crossAccount.keys()].sort().map((key) => crossAccount.get(key)!),
  };
}

/** The registry policy of an environment that receives cross-account replicas. */
export interface InboundReplicationPlan {
  readonly partition: Partition;
  readonly region: string;
  readonly accountId?: string;
  readonly sourceAccountIds: readonly string[];
}

/**
 * Who may replicate into an environment's registry: every environment of this config whose
 * rules name this registry (its account and region) as a cross-account destination, plus
 * `acceptFrom`. Only the environment that manages the registry's settings owns its policy.
 */
export function inboundReplicationFor(config: RegistryConfig, environment: ResolvedEnvironment): InboundReplicationPlan | undefined {
  const sourceAccountIds = replicationSourcesOf(config, environment);
  if (sourceAccountIds.length === 0) return undefined;
  return { partition: partitionOf(environment.region), region: environment.region, accountId: environment.accountId, sourceAccountIds };
}

function replicationSourcesOf(config: RegistryConfig, environment: ResolvedEnvironment): string[] {
  if (!environment.manageRegistrySettings) return [];
  const sources = new Set<string>();
  for (const entry of config.replication?.acceptFrom ?? []) {
    if (entry.environment === environment.name) entry.sourceAccounts.forEach((a) => sources.add(a));
  }
  if (environment.accountId) {
    for (const source of resolveEnvironments(config)) {
      for (const rule of rulesOf(config, source)) {
        for (const destination of rule.destinations) {
          if (isCrossAccount(destination, source) && destination.accountId === environment.accountId && destination.region === environment.region) {
            sources.add(source.accountId!);
          }
        }
      }
    }
  }
  return [...sources].sort();
}
