import { memoByObject } from "../cache";
import { awsRepositoryName } from "../config/schema/data-safety";
import type { RepositoryConfig } from "../config/schema/repository";
import type { RegistryConfig } from "../config/schema";
import { ResolvedEnvironment, resolveEnvironments, selectedEnvironments } from "./environments";

/**
 * Governed replicas. ECR creates a replicated repository in the destination registry itself, with
 * ECR's defaults unless a creation template there says otherwise, and copies images only: not
 * the source repository's policy, lifecycle policy or settings. So for every destination in an
 * account this config manages, a stack declares the replica repositories first, with the source
 * repository's settings (docs/replication.md).
 *
 * Who declares a replica: the source environment's stack when the destination is in its own
 * account; otherwise the stack of the environment whose registry the destination is, else the
 * first environment (config order) of the destination account that manages registry settings.
 * A destination in no account of this config is outside it: its team gets an output instead.
 */

/** One replica repository: a source repository of a source environment, copied to `region`. */
export interface ReplicaRepository {
  /** The source repository's config (settings, lifecycle, tags). */
  readonly repository: RepositoryConfig;
  /** The source environment. */
  readonly source: ResolvedEnvironment;
  /** The repository's name in AWS, which replication keeps. */
  readonly awsName: string;
}

/** The replicas one stack declares in one destination registry (account and region). */
export interface ReplicaRegistryPlan {
  readonly region: string;
  /** The destination account; undefined for the declaring environment's own account when that is not configured. */
  readonly accountId?: string;
  /** Whether the registry settings (scanning, account setting, creation templates, registry policy) are this stack's to manage there. */
  readonly manageSettings: boolean;
  /** The user's key in that region for KMS-encrypted replicas; undefined: the stack's managed key there. */
  readonly kmsKeyArn?: string;
  /** Accounts outside the declaring environment's that replicate into this registry (its registry policy), sorted. */
  readonly sourceAccountIds: readonly string[];
  /** Sorted by AWS name. */
  readonly repositories: readonly ReplicaRepository[];
  /** Prefixes of the rules replicating here (`[]` for a rule replicating every repository), for creation templates. */
  readonly rulePrefixes: ReadonlyArray<readonly string[]>;
}

/** A destination with where it lands and who (if anyone in this config) governs it. */
export interface ResolvedDestination {
  readonly source: ResolvedEnvironment;
  readonly rule: number;
  readonly destination: number;
  readonly region: string;
  readonly accountId?: string;
  readonly prefixes: readonly string[];
  readonly kmsKeyArn?: string;
  readonly manageReplicas: boolean;
  /** The environment whose stack declares the replicas; undefined when the account is outside this config. */
  readonly declarer?: ResolvedEnvironment;
  /** The environments whose own registry the destination is, if any: their repositories of the same name are the replicas. */
  readonly owners: readonly ResolvedEnvironment[];
}

type Rule = NonNullable<RegistryConfig["replication"]>["rules"][number];

/** The rules of a source environment (only environments that manage registry settings replicate). */
export function replicationRulesOf(config: RegistryConfig, environment: ResolvedEnvironment): Array<{ rule: Rule; index: number }> {
  if (!environment.manageRegistrySettings) return [];
  return (config.replication?.rules ?? []).flatMap((rule, index) =>
    selectedEnvironments(config, rule.environments, "registry-wide").some((e) => e.name === environment.name) ? [{ rule, index }] : [],
  );
}

/** Every destination of every source environment, resolved; once per config (checks, stacks and the review all ask). */
export const resolvedDestinations: (config: RegistryConfig) => readonly ResolvedDestination[] = memoByObject((config: RegistryConfig) => {
  const environments = resolveEnvironments(config);
  const known: ResolvedDestination[] = [];
  for (const source of environments) {
    for (const { rule, index } of replicationRulesOf(config, source)) {
      rule.destinations.forEach((d, j) => {
        const accountId = d.accountId ?? source.accountId;
        const sameAccount = d.accountId === undefined || d.accountId === source.accountId;
        // A registry is an account and region; an environment without a known account shares none.
        const owners = accountId === undefined ? [] : environments.filter((e) => e.region === d.region && e.accountId === accountId);
        const declarer = sameAccount
          ? source
          : (owners.find((e) => e.manageRegistrySettings) ?? environments.find((e) => e.accountId === accountId && e.manageRegistrySettings));
        known.push({
          source,
          rule: index,
          destination: j,
          region: d.region,
          accountId,
          prefixes: rule.repositoryPrefixes ?? [],
          kmsKeyArn: d.kmsKeyArn,
          manageReplicas: d.manageReplicas,
          declarer,
          owners,
        });
      });
    }
  }
  return known;
});

/** Whether a rule with these prefix filters replicates the repository (ECR PREFIX_MATCH; no filter: every repository). */
export function replicates(prefixes: readonly string[], awsName: string): boolean {
  return prefixes.length === 0 || prefixes.some((p) => awsName.startsWith(p));
}

/**
 * The regions a source environment's repository is replicated to and governed in (its replicas
 * this config declares, or the destination environment's own repository of that name), sorted.
 * Consumers may list these in `regions`.
 */
export function governedReplicaRegions(config: RegistryConfig, source: ResolvedEnvironment, repository: RepositoryConfig): string[] {
  const name = awsRepositoryName(repository);
  const regions = new Set<string>();
  for (const d of resolvedDestinations(config)) {
    if (d.source.name !== source.name || !d.declarer || !d.manageReplicas || !replicates(d.prefixes, name) || ownerDeclares(d.owners, name)) continue;
    regions.add(d.region);
  }
  return [...regions].sort();
}

/** Every region a source environment replicates anything to, sorted. */
export function replicaRegionsOfSource(config: RegistryConfig, source: ResolvedEnvironment): string[] {
  return [...new Set(resolvedDestinations(config).filter((d) => d.source.name === source.name).map((d) => d.region))].sort();
}

/** Whether an environment of the destination registry already declares (and governs) the repository itself. */
export function ownerDeclares(owners: readonly ResolvedEnvironment[], awsName: string): boolean {
  return owners.some((owner) => owner.repositories.some((r) => awsRepositoryName(r) === awsName));
}

/**
 * The replica registries one environment's stack declares, sorted by region then account: the
 * replicas of every governed destination it is the declarer of, minus repositories that the
 * destination environment declares itself.
 */
export function replicaRegistriesFor(config: RegistryConfig, environment: ResolvedEnvironment): ReplicaRegistryPlan[] {
  const byRegistry = new Map<string, { region: string; accountId?: string; kmsKeyArn?: string; sources: Set<string>; repos: Map<string, ReplicaRepository>; prefixes: Array<readonly string[]>; owned: boolean }>();
  for (const d of resolvedDestinations(config)) {
    if (d.declarer?.name !== environment.name || !d.manageReplicas) continue;
    const key = `${d.region}|${d.accountId ?? ""}`;
    let registry = byRegistry.get(key);
    if (!registry) byRegistry.set(key, (registry = { region: d.region, accountId: d.accountId, sources: new Set(), repos: new Map(), prefixes: [], owned: d.owners.length > 0 }));
    registry.kmsKeyArn ??= d.kmsKeyArn;
    registry.prefixes.push(d.prefixes);
    if (d.source.accountId && d.source.accountId !== d.accountId) registry.sources.add(d.source.accountId);
    for (const repository of d.source.repositories) {
      const awsName = awsRepositoryName(repository);
      if (!replicates(d.prefixes, awsName) || ownerDeclares(d.owners, awsName) || registry.repos.has(awsName)) continue;
      registry.repos.set(awsName, { repository, source: d.source, awsName });
    }
  }
  const settingsOwners = registrySettingsOwners(config);
  return [...byRegistry.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, r]) => ({
      region: r.region,
      accountId: r.accountId,
      manageSettings: !r.owned && settingsOwners.get(key) === environment.name,
      kmsKeyArn: r.kmsKeyArn,
      sourceAccountIds: [...r.sources].sort(),
      repositories: [...r.repos.values()].sort((a, b) => (a.awsName < b.awsName ? -1 : 1)),
      rulePrefixes: r.prefixes,
    }));
}

/** For each replica registry no environment owns, the first declaring environment (config order): it alone manages the registry settings there. */
function registrySettingsOwners(config: RegistryConfig): Map<string, string> {
  const owners = new Map<string, string>();
  const order = resolveEnvironments(config).map((e) => e.name);
  const destinations = [...resolvedDestinations(config)].sort((a, b) => order.indexOf(a.declarer?.name ?? "") - order.indexOf(b.declarer?.name ?? ""));
  for (const d of destinations) {
    if (!d.declarer || !d.manageReplicas || d.owners.length > 0) continue;
    const key = `${d.region}|${d.accountId ?? ""}`;
    if (!owners.has(key)) owners.set(key, d.declarer.name);
  }
  return owners;
}

/** Destinations in accounts outside this config, per source environment: their teams apply the replica settings. */
export function outsideDestinationsOf(config: RegistryConfig, source: ResolvedEnvironment): ResolvedDestination[] {
  return resolvedDestinations(config).filter((d) => d.source.name === source.name && !d.declarer);
}

