import { createHash } from "crypto";

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

/** Logical ids of the registry-wide and per-environment feature resources (one of each per stack). */
export const FEATURE_IDS = {
  replication: "registry",
  registryPolicy: "registry",
  findings: "scan_findings",
  signingProfile: "model_images",
} as const;

/** A pull-through cache rule's logical id, from its prefix (same alphabet as repository names). */
export function pullThroughCacheRuleId(prefix: string): string {
  return repositoryId(prefix);
}

/** The output giving a cache's pull address, e.g. `pull_through_cache_ecr-public_url`. */
export function pullThroughCacheOutputName(prefix: string): string {
  return `pull_through_cache_${repositoryId(prefix)}_url`;
}

/** The output carrying the registry policy a cross-account replication destination must apply. */
export function replicationPolicyOutputName(accountId: string, region: string): string {
  return `replication_registry_policy_${accountId}_${region}`;
}

/** A subscription's logical id: protocol plus a digest of the endpoint, so reordering subscriptions renames nothing. */
export function subscriptionId(protocol: string, endpoint: string): string {
  return `${protocol}_${createHash("sha256").update(endpoint).digest("hex").slice(0, 12)}`;
}

/** Name of an environment's findings topic, rule and key alias, e.g. `model-registry-prod-scan-findings`. */
export function findingsResourceName(project: string, environment: string): string {
  return `${stackName(project, environment)}-scan-findings`;
}

/** Name of an environment's signing profile: Signer allows only letters, digits and `_`, e.g. `model_registry_prod`. */
export function signingProfileName(project: string, environment: string): string {
  return stackName(project, environment).replace(/-/g, "_");
}

/** Outputs of the notification and signing features. */
export const FEATURE_OUTPUTS = {
  findingsTopicArn: "scan_findings_topic_arn",
  signingProfileArn: "signing_profile_arn",
  signingProfileName: "signing_profile_name",
  signingProfileVersionArn: "signing_profile_version_arn",
} as const;
