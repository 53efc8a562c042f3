import { awsRepositoryName } from "../config/schema/data-safety";
import { effectiveLifecycle } from "../plan/lifecycle";
import { ROOT_PREFIX } from "../config/schema/creation-templates";
import { replicates } from "../plan/replicas";
import type { ResolvedEnvironment } from "../plan/environments";
import type { RegistryConfig } from "../config/schema";
import { renderLifecyclePolicy } from "../lifecycle/policy";

/** The namespace of a creation template for a replication prefix: `ai-models/` → `ai-models`; a prefix that is not a whole namespace → `ROOT`. */
export function templatePrefixFor(replicationPrefix: string | undefined): string {
  if (replicationPrefix === undefined || !replicationPrefix.endsWith("/")) return ROOT_PREFIX;
  return replicationPrefix.slice(0, -1);
}

/** The template prefixes for a set of rules' prefix filters (a rule without filters needs ROOT), sorted and unique. */
export function templatePrefixesFor(rulePrefixes: ReadonlyArray<readonly string[]>): string[] {
  const prefixes = new Set<string>();
  for (const rule of rulePrefixes) {
    if (rule.length === 0) prefixes.add(ROOT_PREFIX);
    for (const prefix of rule) prefixes.add(templatePrefixFor(prefix));
  }
  return [...prefixes].sort();
}

/**
 * What a destination account outside this config should apply so the replicas it receives are
 * as safe as their sources: each replicated repository's settings (to create the repositories
 * before replication does, e.g. `aws ecr create-repository` and `put-lifecycle-policy`), and the
 * input of `aws ecr create-repository-creation-template --cli-input-json` for each namespace,
 * for repositories replication creates first. The templates leave the KMS key (AWS's managed
 * key for ECR unless the team adds `kmsKey` and a `customRoleArn`) and resource tags to the team.
 */
export function replicaSettingsDocument(config: RegistryConfig, source: ResolvedEnvironment, prefixes: readonly string[]): Record<string, unknown> {
  const repositories = source.repositories
    .filter((r) => replicates(prefixes, awsRepositoryName(r)))
    .map((r) => {
      const lifecycle = effectiveLifecycle(config.lifecycle, r.lifecycle);
      return {
        repositoryName: awsRepositoryName(r),
        imageTagMutability: r.tagMutability,
        ...(r.mutabilityExclusions ? { imageTagMutabilityExclusionFilters: [...r.mutabilityExclusions].sort().map((filter) => ({ filter, filterType: "WILDCARD" })) } : {}),
        imageScanningConfiguration: { scanOnPush: r.scanOnPush },
        encryptionConfiguration: { encryptionType: r.encryption.type },
        ...(lifecycle ? { lifecyclePolicyText: renderLifecyclePolicy(lifecycle) } : {}),
      };
    })
    .sort((a, b) => (a.repositoryName < b.repositoryName ? -1 : 1));
  const lifecycle = effectiveLifecycle(config.lifecycle);
  const creationTemplates = templatePrefixesFor([prefixes]).map((prefix) => ({
    prefix,
    description: `Replicas from ${config.project} ${source.name} (${source.region})`,
    appliedFor: ["REPLICATION"],
    imageTagMutability: "IMMUTABLE",
    encryptionConfiguration: { encryptionType: "KMS" },
    ...(lifecycle ? { lifecyclePolicy: renderLifecyclePolicy(lifecycle) } : {}),
  }));
  return { repositories, creationTemplates };
}
