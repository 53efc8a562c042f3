import { ConfigProblem, problemAt } from "../config/errors";
import type { RegistryConfig } from "../config/schema";

/**
 * Cross-field rules: every name, current, earlier or retired, belongs to one repository only,
 * so each Terraform address has one fate (declared, moved from, or removed).
 */
export function renameAndRetirementProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const current = new Map<string, number>();
  config.repositories.forEach((repo, i) => current.set(repo.name, i));
  const earlier = new Map<string, [number, number]>();

  config.repositories.forEach((repo, i) => {
    repo.renamedFrom?.forEach((previous, j) => {
      const path = ["repositories", i, "renamedFrom", j];
      const problem = (message: string) => problems.push(problemAt({ path, message }));
      const owner = current.get(previous);
      const seen = earlier.get(previous);
      if (previous === repo.name) problem("is this repository's current name; list only earlier names");
      else if (owner !== undefined)
        problem(`is the name of repositories[${owner}]; an earlier name cannot be reused while the renamed repository keeps it in AWS`);
      else if (seen && seen[0] === i) problem(`is listed twice (also renamedFrom[${seen[1]}])`);
      else if (seen) problem(`is also an earlier name of repositories[${seen[0]}]; a name can have moved to one repository only`);
      else if (config.retired.includes(previous))
        problem(`is also in retired; a name is either renamed (moved) or retired (forgotten), not both`);
      if (!seen) earlier.set(previous, [i, j]);
    });
  });

  const environmentNames = config.environments.map((e) => e.name);
  const firstRetired = new Map<string, number>();
  config.retired.forEach((name, i) => {
    const first = firstRetired.get(name);
    if (first !== undefined) {
      problems.push(problemAt({ path: ["retired", i], message: `is listed twice (also retired[${first}])` }));
      return;
    }
    firstRetired.set(name, i);
    const owner = current.get(name);
    if (owner === undefined) return;
    const inEvery = environmentNames.every((env) => config.repositories[owner].environments?.includes(env) ?? true);
    if (inEvery)
      problems.push(problemAt({
        path: ["retired", i],
        message: `is still declared in every environment (repositories[${owner}]); retire a repository after removing it from repositories or from some of its environments`,
      }));
  });
  return problems;
}
