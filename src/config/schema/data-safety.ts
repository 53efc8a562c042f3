import { z } from "zod";
import { repositoryNameSchema } from "./repository-name";

/**
 * Config rules that keep images from being destroyed by a config change: protected
 * environments, renamed repositories (`renamedFrom`) and retired ones (`retired`).
 * docs/data-safety.md explains what each does in Terraform and in AWS.
 */

/**
 * Resource types whose destruction loses data: a repository holds the images, and a KMS key is
 * the only way to decrypt them. In a protected environment each gets `prevent_destroy`, and synth
 * refuses a config that drops one (see `removal-guard.ts`; `aspects/prevent-destroy.ts` sets it).
 */
export const PROTECTED_RESOURCE_TYPES: readonly string[] = ["aws_ecr_repository", "aws_kms_key"];

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

