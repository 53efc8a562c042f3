import { createHash } from "crypto";
import { memoByKey } from "../cache";

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
export const repositoryId: (repositoryName: string) => string = memoByKey((repositoryName: string) => {
  const replaced = repositoryName.replace(/\//g, "__").replace(/\./g, "--");
  return /^[0-9]/.test(replaced) ? `_${replaced}` : replaced;
});

/** The stack of one environment, e.g. `model-registry-prod`. */
export function stackName(project: string, environment: string): string {
  return `${project}-${environment}`;
}

/** The stack of one repository group of an environment (docs/stack-groups.md), e.g. `model-registry-prod-llm`. */
export function groupStackName(project: string, environment: string, group: string): string {
  return `${stackName(project, environment)}-${group}`;
}

/** The alias (without `alias/`) of an environment's managed KMS key: group stacks find the key by it. */
export function registryKeyAliasName(project: string, environment: string): string {
  return `${stackName(project, environment)}-ecr`;
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

/**
 * Logical id of a replica's resources (repository, repository policy, lifecycle policy) and of
 * a replica registry's own (KMS key, scanning configuration): `<id>__<region>`, e.g.
 * `ai-models__llm__eu-west-1`. Regions have no `/`, so the suffix never ends a name's id unless
 * a repository is named `<name>/<region>`, which config validation refuses next to its replica.
 */
export function replicaId(id: string, region: string): string {
  return `${id}__${region}`;
}

const REPLICA_SUFFIX = /^(.+)__((?:us|eu|ap|sa|ca|me|af|il|mx|cn)(?:-gov)?-[a-z]+-\d{1,2})$/;

/** A logical id split into the repository's id and, for a replica's resource, its region. */
export function splitReplicaId(id: string): { readonly id: string; readonly region?: string } {
  const match = REPLICA_SUFFIX.exec(id);
  return match ? { id: match[1], region: match[2] } : { id };
}

/**
 * The alias of the AWS provider a resource names in its `provider` meta-argument (`aws.<alias>`),
 * or undefined for the stack's default provider. A replica registry's provider is aliased by its
 * region.
 */
export function awsProviderAlias(provider: unknown): string | undefined {
  return typeof provider === "string" ? /^aws\.(.+)$/.exec(provider)?.[1] : undefined;
}

/** A replica's output, e.g. `ai-models__llm_eu-west-1_repository_url`. */
export function replicaOutputName(repositoryName: string, region: string, output: keyof typeof REPOSITORY_OUTPUTS): string {
  return `${repositoryId(repositoryName)}_${region}_${REPOSITORY_OUTPUTS[output]}`;
}

/** The output with the replica settings a destination account outside this config should apply. */
export function replicaSettingsOutputName(accountId: string, region: string): string {
  return `replica_settings_${accountId}_${region}`;
}

/** Logical id of a repository's `aws_ecr_repository_policy`: the repository's own id (the resource type differs). */
export function repositoryPolicyId(repositoryName: string): string {
  return repositoryId(repositoryName);
}

/** Logical id of a repository's identity policy for one level, e.g. `ai-models__llm_push`. */
export function identityPolicyId(repositoryName: string, level: "push" | "pull"): string {
  return `${repositoryId(repositoryName)}_${level}`;
}

/** Output carrying an identity policy's ARN, e.g. `ai-models__llm_push_policy_arn`. */
export function identityPolicyOutputName(repositoryName: string, level: "push" | "pull"): string {
  return `${identityPolicyId(repositoryName, level)}_policy_arn`;
}

/** IAM's limit on a managed policy name. */
export const MAX_IAM_POLICY_NAME_LENGTH = 128;

/**
 * The IAM name of an identity policy: `<project>-<environment>-<repository id>-<level>`, e.g.
 * `model-registry-dev-ai-models__llm-push`. IAM names are unique per account whatever their path,
 * so project and environment are part of the name (two environments may share an account). The
 * repository id has only characters IAM allows (`/` is not one). A name over 128 characters keeps
 * the start of the repository id and gets `.` and a hash of the full repository name (repository
 * ids never contain `.`), so it stays unique and readable.
 */
export function identityPolicyName(project: string, environment: string, repositoryName: string, level: "push" | "pull"): string {
  return boundedPolicyName(`${project}-${environment}-`, repositoryName, `-${level}`);
}

/** `<prefix><id of name><suffix>`, the id shortened and a hash of `name` added (after `.`) when it would pass IAM's 128 characters. */
function boundedPolicyName(prefix: string, name: string, suffix: string): string {
  const id = repositoryId(name);
  if (prefix.length + id.length + suffix.length <= MAX_IAM_POLICY_NAME_LENGTH) return `${prefix}${id}${suffix}`;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 10);
  const room = MAX_IAM_POLICY_NAME_LENGTH - prefix.length - suffix.length - hash.length - 1;
  return `${prefix}${id.slice(0, room)}.${hash}${suffix}`;
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

/** A Terraform resource this project creates once per repository, with its logical id. */
export interface PerRepositoryResource {
  /** Terraform resource type, e.g. `aws_ecr_repository`. */
  readonly type: string;
  /** Its logical id, derived from the repository's name in config alone. */
  readonly logicalId: (repositoryName: string) => string;
  /** Whether a replica has it too, at `<logical id>__<region>`. @default false */
  readonly replicated?: boolean;
}

/**
 * Every resource this project creates per repository. Renames (`renamedFrom`) emit `moved` blocks
 * and retirements (`retired`) emit `removed` blocks for each entry, so a new per-repository
 * resource joins them by being listed here (a test fails for one that is not).
 */
export const PER_REPOSITORY_RESOURCES: readonly PerRepositoryResource[] = [
  { type: "aws_ecr_repository", logicalId: repositoryId, replicated: true },
  { type: "aws_ecr_repository_policy", logicalId: repositoryPolicyId, replicated: true },
  { type: "aws_ecr_lifecycle_policy", logicalId: repositoryId, replicated: true },
  { type: "aws_iam_policy", logicalId: (name) => identityPolicyId(name, "push") },
  { type: "aws_iam_policy", logicalId: (name) => identityPolicyId(name, "pull") },
];

/** The Terraform address (`type.logical_id`) of one per-repository resource of `repositoryName`. */
export function perRepositoryAddress(resource: PerRepositoryResource, repositoryName: string): string {
  return `${resource.type}.${resource.logicalId(repositoryName)}`;
}

/** The repository name a `repositoryId` came from (the mapping is injective, so this is exact). */
export function repositoryNameFromId(id: string): string {
  return id.replace(/^_/, "").replace(/__/g, "/").replace(/--/g, ".");
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

/** Logical id of a cache's identity policy, e.g. `pull_through_cache_ecr-public`. */
export function pullThroughCachePolicyId(prefix: string): string {
  return `pull_through_cache_${pullThroughCacheRuleId(prefix)}`;
}

/** The output carrying the ARN of a cache's identity policy, e.g. `pull_through_cache_ecr-public_policy_arn`. */
export function pullThroughCachePolicyOutputName(prefix: string): string {
  return `pull_through_cache_${repositoryId(prefix)}_policy_arn`;
}

/** IAM name of a cache's identity policy, e.g. `model-registry-dev-pull-through-cache-ecr-public`, bounded like `identityPolicyName`. */
export function pullThroughCachePolicyName(project: string, environment: string, prefix: string): string {
  return boundedPolicyName(`${stackName(project, environment)}-pull-through-cache-`, prefix, "");
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

/** IAM role names have at most 64 characters (IAM User Guide, IAM object quotas). */
const MAX_IAM_ROLE_NAME_LENGTH = 64;

/**
 * IAM name of the role ECR assumes for an environment's creation templates, e.g.
 * `model-registry-dev-ecr-templates`, or `model-registry-prod-eu-west-1-ecr-templates` for a replica region's. A fixed name rather than a generated one: an apply killed
 * after creating the role finds it on the next run ("already exists", importable) instead of
 * leaving a stray role behind. A longer name keeps its start and gets `.` and a hash.
 */
export function creationTemplatesRoleName(project: string, environment: string, replicaRegion?: string): string {
  // IAM is global: a replica region's templates need a role of their own name.
  const name = `${stackName(project, environment)}${replicaRegion ? `-${replicaRegion}` : ""}-ecr-templates`;
  if (name.length <= MAX_IAM_ROLE_NAME_LENGTH) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 10);
  return `${name.slice(0, MAX_IAM_ROLE_NAME_LENGTH - hash.length - 1)}.${hash}`;
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
  signingPolicyArn: "signing_policy_arn",
} as const;

/**
 * The logical id and Signer statement id of a cross-account signer's profile permission, from the
 * principal alone (so adding a signer renames no other): its account and a digest of the principal,
 * e.g. `signer_999999999999_1a2b3c4d` and `SignPayload-999999999999-1a2b3c4d` (Signer's statement
 * ids are at most 38 of `[0-9A-Za-z_-]`).
 */
export function signerPermissionIds(principal: string): { logicalId: string; statementId: string } {
  const account = /(\d{12})/.exec(principal)?.[1] ?? "account";
  const digest = createHash("sha256").update(principal).digest("hex").slice(0, 8);
  return { logicalId: `signer_${account}_${digest}`, statementId: `SignPayload-${account}-${digest}` };
}

/** IAM name of the signing identity policy, e.g. `model-registry-prod-signing`. */
export function signingPolicyName(project: string, environment: string): string {
  return `${stackName(project, environment)}-signing`;
}
/** A repository creation template's logical id, from its prefix (`ROOT` stays `ROOT`: no prefix is uppercase). */
export function creationTemplateId(prefix: string): string {
  return repositoryId(prefix);
}
