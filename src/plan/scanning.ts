import { templateScanFilter } from "../config/schema/creation-templates";
import { awsRepositoryName } from "../config/schema/data-safety";
import { ScanningRule, scanOnPushFilters } from "../config/schema/scanning";
import type { RegistryConfig } from "../config/schema";
import { ResolvedEnvironment, resolveEnvironments } from "./environments";

/** Registries are per account and region: the environments that share `environment`'s registry. */
export function sameRegistry(a: Pick<ResolvedEnvironment, "region" | "accountId">, b: Pick<ResolvedEnvironment, "region" | "accountId">): boolean {
  return a.region === b.region && (a.accountId ?? "") === (b.accountId ?? "");
}

/** Every repository of every environment sharing `environment`'s registry (registry rules apply to all of them). */
export function registryRepositories(config: RegistryConfig, environment: ResolvedEnvironment): RegistryConfig["repositories"] {
  const byName = new Map<string, RegistryConfig["repositories"][number]>();
  for (const env of resolveEnvironments(config)) {
    if (!sameRegistry(env, environment)) continue;
    for (const repo of env.repositories) byName.set(repo.name, repo);
  }
  return [...byName.values()];
}

/**
 * The registry scanning rules of the registry `environment` manages: `scanning.rules` when given,
 * else one SCAN_ON_PUSH rule from the repositories' `scanOnPush` (see `scanOnPushFilters`) plus
 * the namespaces of the creation templates, so repositories ECR creates are scanned too.
 */
export function registryScanningRules(config: RegistryConfig, environment: ResolvedEnvironment): ScanningRule[] {
  if (config.scanning.rules) return config.scanning.rules.map((rule) => ({ frequency: rule.frequency, filters: [...rule.filters] }));
  const filters = derivedFilters(config, environment).map((f) => f.filter);
  return filters.length === 0 ? [] : [{ frequency: "SCAN_ON_PUSH", filters }];
}

interface DerivedFilter {
  readonly filter: string;
  /** Config path of what the filter comes from. */
  readonly from: ReadonlyArray<string | number>;
}

export function derivedFilters(config: RegistryConfig, environment: ResolvedEnvironment): DerivedFilter[] {
  const repositories = registryRepositories(config, environment);
  const fromRepositories = scanOnPushFilters(repositories);
  if (fromRepositories.length === 1 && fromRepositories[0] === "*") return [{ filter: "*", from: ["repositories"] }];
  const indexOf = new Map<string, number>();
  config.repositories.forEach((r, i) => {
    if (!indexOf.has(awsRepositoryName(r))) indexOf.set(awsRepositoryName(r), i);
  });
  const all = [
    ...fromRepositories.map((name) => ({ filter: name, from: ["repositories", indexOf.get(name) ?? -1] })),
    ...config.repositoryCreationTemplates.map((t, i) => ({ filter: templateScanFilter(t.prefix), from: ["repositoryCreationTemplates", i, "prefix"] })),
  ];
  const unique = new Map<string, DerivedFilter>();
  for (const f of all) if (!unique.has(f.filter)) unique.set(f.filter, f);
  return [...unique.values()].sort((a, b) => (a.filter < b.filter ? -1 : a.filter > b.filter ? 1 : 0));
}
