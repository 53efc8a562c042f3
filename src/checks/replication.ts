import { ConfigProblem, problemAt } from "../config/errors";
import { partitionOf } from "../config/schema/aws";
import { REPLICATION_LIMITS } from "../config/schema/replication";
import { isCrossAccount, rulesOf } from "../plan/replication";
import { ResolvedEnvironment, resolveEnvironments } from "../plan/environments";
import type { RegistryConfig } from "../config/schema";
import { selectedEnvironments } from "../plan/environments";
import { unknownEnvironment } from "../config/suggest";
import { environmentSelectionProblems } from "./selection";

/** Cross-field rules: sources, destinations, partitions and ECR's limits. */
export function replicationProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const replication = config.replication;
  if (!replication) return problems;
  const environments = resolveEnvironments(config);

  const ruleTexts = replication.rules.map((rule) => JSON.stringify(rule));
  replication.rules.forEach((rule, i) => {
    const at = (...rest: Array<string | number>) => ["replication", "rules", i, ...rest];
    if (ruleTexts.indexOf(ruleTexts[i]) !== i)
      problems.push(problemAt({ path: at(), message: `repeats rules[${ruleTexts.indexOf(ruleTexts[i])}]; a rule given twice replicates nothing more` }));
    problems.push(...environmentSelectionProblems(config, rule.environments, at("environments"), "replication", "registry-wide"));
    problems.push(...repeatProblems(rule.repositoryPrefixes ?? [], (j) => at("repositoryPrefixes", j), "repository prefix"));
    problems.push(...repeatProblems(
      rule.destinations.map((d) => `${d.accountId ?? "its own account"} in ${d.region}`),
      (j) => at("destinations", j),
      "destination"));

    const sources = selectedEnvironments(config, rule.environments, "registry-wide");
    rule.destinations.forEach((destination, j) => {
      for (const source of sources) {
        const problem = destinationProblem(destination, source, config);
        if (problem) {
          problems.push(problemAt({ path: at("destinations", j, problem.field), message: problem.message }));
          break;
        }
      }
    });
  });

  for (const environment of environments) {
    const unique = new Set(
      rulesOf(config, environment).flatMap((rule) => rule.destinations.map((d) => `${d.accountId ?? environment.accountId ?? "self"} ${d.region}`)),
    );
    if (unique.size > REPLICATION_LIMITS.uniqueDestinations) {
      problems.push(problemAt({
        path: ["replication", "rules"],
        message: `environment ${environment.name} would replicate to ${unique.size} unique destinations; ECR allows at most ${REPLICATION_LIMITS.uniqueDestinations} across all rules`,
      }));
    }
  }

  replication.acceptFrom.forEach((entry, i) => {
    const at = (...rest: Array<string | number>) => ["replication", "acceptFrom", i, ...rest];
    const environment = environments.find((e) => e.name === entry.environment);
    if (!environment) {
      problems.push(problemAt({
        path: at("environment"),
        message: unknownEnvironment(entry.environment, environments.map((e) => e.name)),
      }));
      return;
    }
    if (replication.acceptFrom.findIndex((e) => e.environment === entry.environment) !== i) {
      problems.push(problemAt({ path: at("environment"), message: `environment "${entry.environment}" already has an acceptFrom entry; merge them` }));
    } else if (!environment.manageRegistrySettings) {
      problems.push(problemAt({
        path: at("environment"),
        message: `the registry policy is a registry-wide setting, but environment "${entry.environment}" has manageRegistrySettings: false; name the environment that manages this registry`,
      }));
    }
    problems.push(...repeatProblems(entry.sourceAccounts, (j) => at("sourceAccounts", j), "source account"));
    entry.sourceAccounts.forEach((account, j) => {
      if (account === environment.accountId) {
        problems.push(problemAt({
          path: at("sourceAccounts", j),
          message: `is environment ${environment.name}'s own account; replication within an account needs no registry policy`,
        }));
      }
    });
  });
  return problems;
}

function destinationProblem(
  destination: { region: string; accountId?: string },
  source: ResolvedEnvironment,
  config: RegistryConfig,
): { field: "region" | "accountId"; message: string } | undefined {
  const sourcePartition = partitionOf(source.region);
  const destinationPartition = partitionOf(destination.region);
  if (sourcePartition !== destinationPartition) {
    return {
      field: "region",
      message: `is in partition ${destinationPartition} but source environment ${source.name} is in ${sourcePartition}; ECR cannot replicate across partitions`,
    };
  }
  if (destination.accountId !== undefined && source.accountId === undefined) {
    const index = config.environments.findIndex((e) => e.name === source.name);
    return {
      field: "accountId",
      message: `cross-account replication from environment ${source.name} needs its account id (set environments[${index}].accountId or accountId): it names the source in the destination's registry policy`,
    };
  }
  if (!isCrossAccount(destination, source) && destination.region === source.region) {
    return {
      field: "region",
      message: `is the region of source environment ${source.name} in its own account; a registry cannot replicate to itself (name another region or another account)`,
    };
  }
  return undefined;
}

function repeatProblems(
  values: readonly string[],
  pathOf: (index: number) => Array<string | number>,
  what: string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  values.forEach((value, j) => {
    const first = values.indexOf(value);
    if (first !== j) problems.push(problemAt({ path: pathOf(j), message: `duplicate ${what} (same as index ${first})` }));
  });
  return problems;
}
