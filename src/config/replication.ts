import { z } from "zod";
import { Partition, accountIdSchema, partitionOf, regionSchema } from "./aws";
import { ResolvedEnvironment, resolveEnvironments } from "./resolve";
import type { RegistryConfig } from "./schema";
import { environmentSelectionSchema, selectedEnvironments } from "./selection";

/** ECR's replication limits (user guide, "Considerations for private image replication"). */
export const REPLICATION_LIMITS = {
  rulesPerConfiguration: 10,
  uniqueDestinations: 25,
  destinationsPerRule: 25,
  filtersPerRule: 100,
} as const;

/** ECR's pattern for a `PREFIX_MATCH` repository filter (API reference, RepositoryFilter). */
const REPOSITORY_FILTER_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*\/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$/;

const repositoryPrefixSchema = z
  .string()
  .min(2, { message: "repository prefixes must be 2 to 256 characters" })
  .max(256, { message: "repository prefixes must be 2 to 256 characters" })
  .regex(REPOSITORY_FILTER_PATTERN, {
    message: "must be the start of a repository name: lowercase letters, digits, '.', '_', '-' and '/' (e.g. ai-models/)",
  });

const destinationSchema = z.strictObject({
  region: regionSchema.describe("Region to replicate to."),
  accountId: accountIdSchema
    .optional()
    .describe("Account to replicate to. Default: the source environment's own account (cross-Region replication)."),
});

const ruleSchema = z.strictObject({
  environments: environmentSelectionSchema
    .optional()
    .describe("Source environments this rule applies to. Default: every environment that manages registry settings."),
  repositoryPrefixes: z
    .array(repositoryPrefixSchema)
    .min(1)
    .max(REPLICATION_LIMITS.filtersPerRule, { message: `ECR allows at most ${REPLICATION_LIMITS.filtersPerRule} repository filters per rule` })
    .optional()
    .describe("Replicate only repositories whose names start with one of these (ECR PREFIX_MATCH filters). Default: every repository."),
  destinations: z
    .array(destinationSchema)
    .min(1, { message: "list at least one destination" })
    .max(REPLICATION_LIMITS.destinationsPerRule, {
      message: `ECR allows at most ${REPLICATION_LIMITS.destinationsPerRule} destinations per rule`,
    })
    .describe("Where images are copied to: a region, and an account for cross-account replication."),
});

const acceptFromSchema = z.strictObject({
  environment: z.string().describe("The environment whose registry receives the replicas."),
  sourceAccounts: z
    .array(accountIdSchema)
    .min(1, { message: "list at least one source account" })
    .describe("Accounts (outside this config) allowed to replicate into that environment's registry."),
});

export const replicationSchema = z.strictObject({
  rules: z
    .array(ruleSchema)
    .max(REPLICATION_LIMITS.rulesPerConfiguration, {
      message: `ECR allows at most ${REPLICATION_LIMITS.rulesPerConfiguration} replication rules per registry`,
    })
    .default([])
    .describe("Replication rules of the source registries."),
  acceptFrom: z
    .array(acceptFromSchema)
    .default([])
    .describe("Source accounts outside this config that may replicate into an environment's registry (sources declared here are found automatically)."),
});

export type ReplicationConfig = z.infer<typeof replicationSchema>;

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

