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

/** A repository creation template's logical id, from its prefix (`ROOT` stays `ROOT`: no prefix is uppercase). */
export function creationTemplateId(prefix: string): string {
  return repositoryId(prefix);
}
