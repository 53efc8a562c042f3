/**
 * Every Terraform name this project emits is derived here, from the repository name alone,
 * so adding or removing one model never renames another model's resources.
 */

/**
 * Maps an ECR repository name to a Terraform identifier, injectively. ECR names are lowercase
 * alphanumeric runs joined by single `.`, `_`, `-` or `/`, so `/` → `__` and `.` → `--` cannot
 * collide with anything a name already contains; a leading digit gets a `_` prefix because
 * Terraform identifiers must start with a letter or underscore.
 */
export function repositoryId(repositoryName: string): string {
  const id = repositoryName.replace(/\//g, "__").replace(/\./g, "--");
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

/** The stack of one environment, e.g. `model-registry-prod`. */
export function stackName(project: string, environment: string): string {
  return `${project}-${environment}`;
}

/** The suffixes of the outputs every repository exports. */
export const REPOSITORY_OUTPUTS = {
  url: "repository_url",
  arn: "repository_arn",
  registryId: "registry_id",
} as const;

/** Output name, e.g. `ai-models__llm-serving_repository_url`. */
export function repositoryOutputName(repositoryName: string, output: keyof typeof REPOSITORY_OUTPUTS): string {
  return `${repositoryId(repositoryName)}_${REPOSITORY_OUTPUTS[output]}`;
}

/** A Terraform resource this project creates once per repository, with its logical id. */
export interface PerRepositoryResource {
  /** Terraform resource type, e.g. `aws_ecr_repository`. */
  readonly type: string;
  /** Its logical id, derived from the repository's name in config alone. */
  readonly logicalId: (repositoryName: string) => string;
}

/**
 * Every resource this project creates per repository. Renames (`renamedFrom`) emit `moved` blocks
 * and retirements (`retired`) emit `removed` blocks for each entry, so a new per-repository
 * resource joins them by being listed here (a test fails for one that is not).
 */
export const PER_REPOSITORY_RESOURCES: readonly PerRepositoryResource[] = [{ type: "aws_ecr_repository", logicalId: repositoryId }];

/** The Terraform address (`type.logical_id`) of one per-repository resource of `repositoryName`. */
export function perRepositoryAddress(resource: PerRepositoryResource, repositoryName: string): string {
  return `${resource.type}.${resource.logicalId(repositoryName)}`;
}

/** The repository name a `repositoryId` came from (the mapping is injective, so this is exact). */
export function repositoryNameFromId(id: string): string {
  return id.replace(/^_/, "").replace(/__/g, "/").replace(/--/g, ".");
}
