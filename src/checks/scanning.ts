import { templateScanFilter } from "../config/schema/creation-templates";
import { awsRepositoryName } from "../config/schema/data-safety";
import { ConfigIssue, ConfigProblem, problemAt } from "../config/errors";
import { ResolvedEnvironment, resolveEnvironments } from "../plan/environments";
import { MAX_SCANNING_FILTERS, ScanningRule, scanFilterCoversPrefix, scanFilterMatches, scanningSchema } from "../config/schema/scanning";
import { derivedFilters, registryRepositories } from "../plan/scanning";
import type { RegistryConfig } from "../config/schema";

/**
 * Contradictions between the registry scanning rules and what repositories and creation templates
 * ask for, in every registry this config manages: a repository with `scanOnPush: false` that a
 * rule matches, one with `scanOnPush: true` that no explicit rule matches, a template whose
 * repositories no rule covers, and ECR's filter limit.
 */
export function scanningProblems(config: RegistryConfig): ConfigProblem[] {
  // Checks run even when fields failed their own checks; a broken filter is reported once, there.
  if (!scanningSchema.safeParse(config.scanning).success) return [];
  const issues: ConfigIssue[] = [];
  const indexOf = new Map(config.repositories.map((r, i) => [r.name, i]));
  for (const environment of resolveEnvironments(config)) {
    if (!environment.manageRegistrySettings) continue;
    const repositories = registryRepositories(config, environment);
    if (config.scanning.rules) issues.push(...explicitRuleProblems(config, config.scanning.rules, repositories, indexOf));
    else issues.push(...derivedRuleProblems(config, environment, repositories, indexOf));
  }
  return issues.map(problemAt);
}

function explicitRuleProblems(
  config: RegistryConfig,
  rules: readonly ScanningRule[],
  repositories: RegistryConfig["repositories"],
  indexOf: Map<string, number>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
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

function derivedRuleProblems(
  config: RegistryConfig,
  environment: ResolvedEnvironment,
  repositories: RegistryConfig["repositories"],
  indexOf: Map<string, number>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
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
