import { awsRepositoryName } from "../config/schema/data-safety";
import { ConfigProblem, problemAt } from "../config/errors";
import type { RegistryConfig } from "../config/schema";
import { unknownEnvironment } from "../config/suggest";

/**
 * Cross-field rules: `adopt` names environments the repository is declared in, and no two
 * repositories address one ECR repository (which `awsName` could otherwise do; equal names and
 * earlier names are refused by the schema and `renameAndRetirementProblems`).
 */
export function adoptionProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const environmentNames = config.environments.map((e) => e.name);
  const byAwsName = new Map<string, number>();
  config.repositories.forEach((repo, i) => {
    if (Array.isArray(repo.adopt)) {
      repo.adopt.forEach((name, j) => {
        const path = ["repositories", i, "adopt", j];
        if (!environmentNames.includes(name))
          problems.push(problemAt({ path, message: unknownEnvironment(name, environmentNames) }));
        else if (repo.environments && !repo.environments.includes(name))
          problems.push(problemAt({
            path,
            message: `environment "${name}" is not one of this repository's environments (${repo.environments.join(", ")}); it can only be adopted where it is declared`,
          }));
      });
    }

    const awsName = awsRepositoryName(repo);
    const first = byAwsName.get(awsName);
    if (first === undefined) {
      byAwsName.set(awsName, i);
      return;
    }
    const other = config.repositories[first];
    // Without an awsName on either side, the clash is between names and earlier names, reported elsewhere.
    if (repo.awsName === undefined && other.awsName === undefined) return;
    const [at, index, them] = repo.awsName !== undefined ? [repo, i, first] : [other, first, i];
    problems.push(problemAt({
      path: ["repositories", index, "awsName"],
      message: `"${at.awsName}" is also the name in AWS of repositories[${them}] (${config.repositories[them].name}); two repositories cannot manage one ECR repository`,
    }));
  });
  return problems;
}
