import { z } from "zod";
import { repositoryNameSchema } from "./repository-name";

/**
 * Config rules that keep images from being destroyed by a config change: protected
 * environments, renamed repositories (`renamedFrom`) and retired ones (`retired`).
 * docs/data-safety.md explains what each does in Terraform and in AWS.
 */

/** Environments with these names are protected unless their `protected` flag says otherwise. */
export const PROTECTED_BY_DEFAULT = ["prod", "production"] as const;

export function isProtected(environment: { name: string; protected?: boolean }): boolean {
  return environment.protected ?? (PROTECTED_BY_DEFAULT as readonly string[]).includes(environment.name);
}

export const retiredSchema = z
  .array(repositoryNameSchema)
  .default([])
  .describe(
    "Repositories no longer declared that Terraform should forget without destroying them (removed blocks with destroy = false): the repository and its images stay in AWS. Required before a repository leaves a protected environment.",
  );

/**
 * The name of the repository in AWS: its `awsName` when the config gives one (an adopted
 * repository's existing name). Otherwise, since ECR cannot rename a repository, a repository
 * renamed in config keeps the name it was created with: the first of its `renamedFrom` names.
 */
export function awsRepositoryName(repository: { name: string; awsName?: string; renamedFrom?: readonly string[] }): string {
  return repository.awsName ?? repository.renamedFrom?.[0] ?? repository.name;
}

/** The retired names an environment forgets: those it does not declare (any more), sorted. */
export function retiredIn(config: SafetyView, environment: string): string[] {
  const declared = (name: string) =>
    config.repositories.some((repo) => repo.name === name && (!repo.environments || repo.environments.includes(environment)));
  return config.retired.filter((name) => !declared(name)).sort();
}

interface SafetyView {
  readonly environments: ReadonlyArray<{ name: string }>;
  readonly repositories: ReadonlyArray<{ name: string; renamedFrom?: readonly string[]; environments?: readonly string[] }>;
  readonly retired: readonly string[];
}

/**
 * Cross-field rules: every name, current, earlier or retired, belongs to one repository only,
 * so each Terraform address has one fate (declared, moved from, or removed).
 */
export function checkRenamesAndRetirements(config: SafetyView, ctx: z.RefinementCtx): void {
  const current = new Map<string, number>();
  config.repositories.forEach((repo, i) => current.set(repo.name, i));
  const earlier = new Map<string, [number, number]>();

  config.repositories.forEach((repo, i) => {
    repo.renamedFrom?.forEach((previous, j) => {
      const path = ["repositories", i, "renamedFrom", j];
      const problem = (message: string) => ctx.addIssue({ code: "custom", path, message });
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
      ctx.addIssue({ code: "custom", path: ["retired", i], message: `is listed twice (also retired[${first}])` });
      return;
    }
    firstRetired.set(name, i);
    const owner = current.get(name);
    if (owner === undefined) return;
    const inEvery = environmentNames.every((env) => config.repositories[owner].environments?.includes(env) ?? true);
    if (inEvery)
      ctx.addIssue({
        code: "custom",
        path: ["retired", i],
        message: `is still declared in every environment (repositories[${owner}]); retire a repository after removing it from repositories or from some of its environments`,
      });
  });
}
