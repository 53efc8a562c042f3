import { repositoryGrants } from "../access/matrix";
import { MAX_REPOSITORY_POLICY_LENGTH, unvettedPolicy } from "../policies/repository-policy";
import { ConfigProblem, problemAt } from "../config/errors";
import { resolveEnvironments } from "../plan/environments";
import type { RegistryConfig } from "../config/schema";

/**
 * Every repository policy fits ECR's length limit in every environment. The policy is measured
 * before the least-privilege guard, which other fields may still fail.
 */
export function repositoryPolicySizeProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const environment of resolveEnvironments(config)) {
    for (const repository of environment.repositories) {
      const text = unvettedPolicy(repositoryGrants(config, environment, repository.name)).json;
      if (text === undefined || text.length <= MAX_REPOSITORY_POLICY_LENGTH) continue;
      const index = config.repositories.findIndex((r) => r.name === repository.name);
      problems.push(problemAt({
        path: ["repositories", index, "consumers"],
        message: `in environment ${environment.name} the repository policy would be ${text.length} characters; ECR allows ${MAX_REPOSITORY_POLICY_LENGTH}. Grant whole accounts or an organization instead of many single roles`,
      }));
    }
  }
  return problems;
}
