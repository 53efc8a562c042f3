import { ConfigProblem, problemAt } from "../config/errors";
import type { RegistryConfig } from "../config/schema";
import { unknownEnvironment } from "../config/suggest";
import { TAG_LIMITS, providerDefaultTags, repositoryTags } from "../config/schema/tags";

/** Environment and repository names are unique; a repeat is reported at the later entry. */
export function duplicateNameProblems(config: RegistryConfig): ConfigProblem[] {
  return [
    ...repeats(config.environments.map((e) => e.name), "environment", (i) => ["environments", i, "name"]),
    ...repeats(config.repositories.map((r) => r.name), "repository", (i) => ["repositories", i, "name"]),
  ];
}

function repeats(values: readonly string[], what: string, pathOf: (index: number) => Array<string | number>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const firstIndex = new Map<string, number>();
  values.forEach((value, i) => {
    const first = firstIndex.get(value);
    if (first === undefined) firstIndex.set(value, i);
    else problems.push(problemAt({ path: pathOf(i), message: `duplicate ${what} name "${value}" (first declared at index ${first})` }));
  });
  return problems;
}

/** A repository's environments exist, and its tags with each environment's default tags stay within AWS's limit. */
export function repositoryProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const environmentNames = config.environments.map((e) => e.name);
  // The provider's default tag keys of each environment, the same for every repository.
  const defaultTagKeys = config.environments.map((env) => Object.keys(providerDefaultTags(config.project, env.name, config.tags)));
  config.repositories.forEach((repo, i) => {
    repo.environments?.forEach((name, j) => {
      if (!environmentNames.includes(name))
        problems.push(problemAt({ path: ["repositories", i, "environments", j], message: unknownEnvironment(name, environmentNames) }));
    });
    const ownTagKeys = Object.keys(repositoryTags(repo.tags));
    for (const keys of defaultTagKeys) {
      const effective = new Set([...keys, ...ownTagKeys]);
      if (effective.size > TAG_LIMITS.maxTagsPerResource) {
        problems.push(
          problemAt({
            path: ["repositories", i, "tags"],
            message: `the repository would carry ${effective.size} tags with the registry's default tags; AWS allows at most ${TAG_LIMITS.maxTagsPerResource}`,
          }),
        );
        break;
      }
    }
  });
  return problems;
}
