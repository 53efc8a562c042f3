import { z } from "zod";
import { awsRepositoryName } from "./data-safety";
import { ROOT_PREFIX, templateScanFilter } from "./creation-templates";
import { ResolvedEnvironment, resolveEnvironments } from "./resolve";
import type { RegistryConfig } from "./schema";

/** ECR's limits on registry scanning rules (API reference: PutRegistryScanningConfiguration, ScanningRepositoryFilter). */
export const SCANNING_LIMITS = {
  maxRules: 2,
  maxFiltersPerRule: 100,
  maxFilterLength: 255,
} as const;

/** ECR allows at most this many repository filters per scanning rule. */
export const MAX_SCANNING_FILTERS = SCANNING_LIMITS.maxFiltersPerRule;

/** Scan frequencies a rule can have. BASIC supports SCAN_ON_PUSH only; ENHANCED both. */
export const SCAN_FREQUENCIES = ["SCAN_ON_PUSH", "CONTINUOUS_SCAN"] as const;
export type ScanFrequency = (typeof SCAN_FREQUENCIES)[number];

/** Values of `scanning.basicScanTypeVersion`: the one AWS recommends, or leave the account setting alone. */
export const BASIC_SCAN_TYPE_VERSIONS = ["AWS_NATIVE", "unmanaged"] as const;

const FILTER_PATTERN = /^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$/;

const scanningFilterSchema = z
  .string()
  .min(1, { message: "scan filters must not be empty" })
  .max(SCANNING_LIMITS.maxFilterLength, { message: `scan filters must be at most ${SCANNING_LIMITS.maxFilterLength} characters` })
  .regex(FILTER_PATTERN, { message: "scan filters are lowercase repository-name characters and '*' wildcards, e.g. ai-models/* or *llm*" });

const scanningRuleSchema = z.strictObject({
  frequency: z.enum(SCAN_FREQUENCIES).describe("SCAN_ON_PUSH, or CONTINUOUS_SCAN (ENHANCED only: rescans as new vulnerabilities are published)."),
  filters: z
    .array(scanningFilterSchema)
    .min(1, { message: "give at least one filter (\"*\" for every repository)" })
    .max(SCANNING_LIMITS.maxFiltersPerRule, { message: `ECR allows at most ${SCANNING_LIMITS.maxFiltersPerRule} filters per scanning rule` })
    .refine((filters) => new Set(filters).size === filters.length, { message: "lists a filter twice" })
    .describe("Repository name filters (WILDCARD): '*' matches any characters; a filter without '*' matches every name containing it."),
});

export const scanningSchema = z
  .strictObject({
    type: z
      .enum(["BASIC", "ENHANCED"])
      .default("BASIC")
      .describe("Registry scanning mode. BASIC scans on push with ECR's built-in scanner; ENHANCED uses Amazon Inspector."),
    basicScanTypeVersion: z
      .enum(BASIC_SCAN_TYPE_VERSIONS)
      .default("AWS_NATIVE")
      .describe(
        "The account setting BASIC_SCAN_TYPE_VERSION in every region whose registry settings this config manages (environments and replica regions). AWS_NATIVE: ECR's recommended basic scanner (Clair is deprecated). unmanaged: leave the setting alone.",
      ),
    rules: z
      .array(scanningRuleSchema)
      .max(SCANNING_LIMITS.maxRules, { message: `ECR allows at most ${SCANNING_LIMITS.maxRules} scanning rules (one per frequency)` })
      .optional()
      .describe(
        "Explicit registry scanning rules, which decide what ECR scans (repositories' scanOnPush must agree). Default: one SCAN_ON_PUSH rule derived from the repositories' scanOnPush.",
      ),
  })
  .superRefine((scanning, ctx) => {
    const firstOf = new Map<string, number>();
    scanning.rules?.forEach((rule, i) => {
      if (rule.frequency === "CONTINUOUS_SCAN" && scanning.type !== "ENHANCED")
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "frequency"],
          message: "CONTINUOUS_SCAN needs scanning type ENHANCED (Amazon Inspector); BASIC scanning supports SCAN_ON_PUSH only",
        });
      const first = firstOf.get(rule.frequency);
      if (first !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "frequency"],
          message: `rules[${first}] is already the ${rule.frequency} rule; put all of a frequency's filters in one rule`,
        });
      else firstOf.set(rule.frequency, i);
    });
  });

export type ScanningConfig = z.infer<typeof scanningSchema>;

/** One rule of the registry scanning configuration, as rendered. */
export interface ScanningRule {
  readonly frequency: ScanFrequency;
  readonly filters: readonly string[];
}

/**
 * Whether an ECR scanning filter matches a repository name. ECR: "a filter with no wildcard will
 * match all repository names that contain the filter"; with wildcards, the whole name must match
 * and `*` stands for zero or more characters.
 */
export function scanFilterMatches(filter: string, repositoryName: string): boolean {
  if (!filter.includes("*")) return repositoryName.includes(filter);
  const pattern = filter.split("*").map((part) => part.replace(/[.\-/]/g, "\\$&")).join(".*");
  return new RegExp(`^${pattern}$`).test(repositoryName);
}

/**
 * Whether a filter matches every repository ECR can create under a template prefix (a sufficient
 * check: `*`, `<start>*` where `<prefix>/` starts with `<start>`, `*<part>*` or a plain filter
 * contained in `<prefix>/`).
 */
export function scanFilterCoversPrefix(filter: string, prefix: string): boolean {
  if (filter === "*") return true;
  if (prefix === ROOT_PREFIX) return false;
  const namespace = `${prefix}/`;
  if (!filter.includes("*")) return namespace.includes(filter);
  const trailing = /^([^*]*)\*$/.exec(filter);
  if (trailing) return namespace.startsWith(trailing[1]);
  const surrounded = /^\*([^*]*)\*$/.exec(filter);
  return surrounded !== null && namespace.includes(surrounded[1]);
}

/**
 * The repository filters of the derived scan-on-push rule. ECR's registry-level rules win over
 * each repository's own `scan_on_push`, so a repository that opted out must not be matched:
 * `*` when every repository scans (covering repositories made outside this project too),
 * otherwise the exact names of those that do.
 */
export function scanOnPushFilters(repositories: ReadonlyArray<{ name: string; awsName?: string; renamedFrom?: readonly string[]; scanOnPush: boolean }>): string[] {
  // Filters match the names in AWS, which a renamed repository keeps from before (see data-safety.ts).
  const scanned = repositories.filter((r) => r.scanOnPush).map((r) => awsRepositoryName(r));
  if (scanned.length === repositories.length) return ["*"];
  return scanned.sort();
}

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

function derivedFilters(config: RegistryConfig, environment: ResolvedEnvironment): DerivedFilter[] {
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

export interface ScanningIssue {
  readonly path: Array<string | number>;
  readonly message: string;
}

/**
 * Contradictions between the registry scanning rules and what repositories and creation templates
 * ask for, in every registry this config manages: a repository with `scanOnPush: false` that a
 * rule matches, one with `scanOnPush: true` that no explicit rule matches, a template whose
 * repositories no rule covers, and ECR's filter limit.
 */
export function scanningIssues(config: RegistryConfig): ScanningIssue[] {
  // zod runs this refinement even when fields failed their own checks; a broken filter is reported once, there.
  if (!scanningSchema.safeParse(config.scanning).success) return [];
  const issues: ScanningIssue[] = [];
  const indexOf = new Map(config.repositories.map((r, i) => [r.name, i]));
  for (const environment of resolveEnvironments(config)) {
    if (!environment.manageRegistrySettings) continue;
    const repositories = registryRepositories(config, environment);
    if (config.scanning.rules) issues.push(...explicitRuleIssues(config, config.scanning.rules, repositories, indexOf));
    else issues.push(...derivedRuleIssues(config, environment, repositories, indexOf));
  }
  return issues;
}

function explicitRuleIssues(
  config: RegistryConfig,
  rules: readonly ScanningRule[],
  repositories: RegistryConfig["repositories"],
  indexOf: Map<string, number>,
): ScanningIssue[] {
  const issues: ScanningIssue[] = [];
  for (const repo of repositories) {
    const path = ["repositories", indexOf.get(repo.name)!, "scanOnPush"];
    const match = firstMatch(rules, awsRepositoryName(repo));
    if (repo.scanOnPush && !match)
      issues.push({
        path,
        message: `is true, but no scanning.rules filter matches "${repo.name}"; registry rules decide what ECR scans, so it would not be scanned: add a filter for it or set scanOnPush: false`,
      });
    if (!repo.scanOnPush && match)
      issues.push({
        path,
        message: `is false, but scanning.rules[${match.rule}].filters[${match.filter}] ("${rules[match.rule].filters[match.filter]}") matches "${repo.name}" and registry rules override a repository's own setting, so ECR would scan it: narrow the filter or set scanOnPush: true`,
      });
  }
  config.repositoryCreationTemplates.forEach((template, i) => {
    if (!rules.some((rule) => rule.filters.some((filter) => scanFilterCoversPrefix(filter, template.prefix))))
      issues.push({
        path: ["repositoryCreationTemplates", i, "prefix"],
        message: `no scanning.rules filter covers every repository ECR creates from this template, so they would not all be scanned; add the filter "${templateScanFilter(template.prefix)}"`,
      });
  });
  return issues;
}

function derivedRuleIssues(
  config: RegistryConfig,
  environment: ResolvedEnvironment,
  repositories: RegistryConfig["repositories"],
  indexOf: Map<string, number>,
): ScanningIssue[] {
  const issues: ScanningIssue[] = [];
  const filters = derivedFilters(config, environment);
  for (const repo of repositories) {
    if (repo.scanOnPush) continue;
    const match = filters.find((f) => scanFilterMatches(f.filter, awsRepositoryName(repo)));
    if (!match) continue;
    const index = indexOf.get(repo.name)!;
    if (match.from[0] === "repositoryCreationTemplates")
      issues.push({
        path: [...match.from],
        message:
          match.filter === "*"
            ? `repositories ECR creates from a ROOT template can only be scanned with the filter "*", which also matches "${repo.name}" (repositories[${index}], scanOnPush: false); use a prefix, scan that repository, or write scanning.rules`
            : `repositories ECR creates from this template are scanned with the filter "${match.filter}", which also matches "${repo.name}" (repositories[${index}], scanOnPush: false); move that repository out of the prefix, scan it, or write scanning.rules`,
      });
    else
      issues.push({
        path: ["repositories", index, "scanOnPush"],
        message: `is false, but the scan-on-push filter "${match.filter}" (the name of repositories[${match.from[1]}]) also matches "${repo.name}": ECR treats a filter without '*' as "name contains", so ECR would scan this repository anyway; scan both, rename one, or write scanning.rules`,
      });
  }
  if (filters.length > MAX_SCANNING_FILTERS)
    issues.push({
      path: ["repositories"],
      message: `in environment ${environment.name}, ${filters.length} repositories and templates scan on push and others do not; ECR's scan-on-push rule takes at most ${MAX_SCANNING_FILTERS} repository filters, so turn scanOnPush on for all of them or off for fewer`,
    });
  return issues;
}

function firstMatch(rules: readonly ScanningRule[], name: string): { rule: number; filter: number } | undefined {
  for (let rule = 0; rule < rules.length; rule++) {
    const filter = rules[rule].filters.findIndex((f) => scanFilterMatches(f, name));
    if (filter >= 0) return { rule, filter };
  }
  return undefined;
}
