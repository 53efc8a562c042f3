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

/** The stack that creates the S3 state bucket, e.g. `model-registry-state`. */
export function stateStackName(project: string): string {
  return `${project}-state`;
}

/** Alias (without `alias/`) of the KMS key that encrypts state; the environments' backends name the key by it. */
export function stateKeyAliasName(project: string): string {
  return `${project}-state`;
}

/** The bootstrap stack's outputs: the settings the environment stacks' S3 backend uses. */
export const STATE_OUTPUTS = {
  bucket: "state_bucket",
  region: "state_region",
  keyPrefix: "state_key_prefix",
  kmsKeyArn: "state_kms_key_arn",
} as const;

/** The HCP Terraform workspace of an environment unless configured otherwise: the stack's name. */
export function defaultWorkspaceName(project: string, environment: string): string {
  return stackName(project, environment);
}

/** The tag that ties a tag-selected HCP Terraform workspace to one environment. */
export function environmentWorkspaceTag(environment: string): string {
  return `environment:${environment}`;
}
