import type { TerraformProvider } from "cdktf";
import { repositoryGrants } from "../access/matrix";
import { repositoryPolicyDocument } from "../policies/repository-policy";
import { partitionOf } from "../config/schema/aws";
import { creationTemplateTags, templateScanFilter } from "../config/schema/creation-templates";
import { effectiveLifecycle } from "../plan/lifecycle";
import { ReplicaRegistryPlan, outsideDestinationsOf } from "../plan/replicas";
import type { ResolvedEnvironment } from "../plan/environments";
import { ScanningRule, scanOnPushFilters } from "../config/schema/scanning";
import type { RegistryConfig } from "../config/schema";
import { repositoryTags } from "../config/schema/tags";
import type { ReplicaRegistryProps } from "../constructs/replica-registry";
import { creationTemplatesRoleName } from "../naming";
import { replicaSettingsDocument, templatePrefixesFor } from "../policies/replica-settings";

/** The props of the `ReplicaRegistry` an environment's stack declares for one replica registry plan. */
export function replicaRegistryProps(
  config: RegistryConfig,
  environment: ResolvedEnvironment,
  plan: ReplicaRegistryPlan,
  keyAlias: string,
  provider: TerraformProvider | undefined,
): ReplicaRegistryProps {
  const templates =
    plan.manageSettings && config.replication?.creationTemplates
      ? templatePrefixesFor(plan.rulePrefixes).map((prefix) => ({
          prefix,
          tagMutability: "IMMUTABLE" as const,
          encryptionType: "KMS" as const,
          lifecyclePolicy: effectiveLifecycle(config.lifecycle),
          resourceTags: creationTemplateTags(config.project, environment.name, config.tags, {}),
        }))
      : [];
  return {
    region: plan.region,
    partition: partitionOf(plan.region),
    accountId: plan.accountId,
    provider,
    kmsKeyArn: plan.kmsKeyArn,
    managedKey: {
      aliasName: keyAlias,
      description: `Encrypts the ${config.project} model image replicas in ${plan.region} (${environment.name})`,
      preventDestroy: plan.repositories.some((r) => r.source.protected),
    },
    repositories: plan.repositories.map(({ repository, source }) => ({
      name: repository.name,
      renamedFrom: repository.renamedFrom,
      awsName: repository.awsName,
      description: repository.description,
      tagMutability: repository.tagMutability,
      mutabilityExclusions: repository.mutabilityExclusions,
      scanOnPush: repository.scanOnPush,
      encryptionType: repository.encryption.type,
      tags: repositoryTags(repository.tags),
      lifecycle: effectiveLifecycle(config.lifecycle, repository.lifecycle),
      policy: repositoryPolicyDocument(repositoryGrants(config, source, repository.name, plan.region)),
      preventDestroy: source.protected,
    })),
    scanning: plan.manageSettings ? { scanType: config.scanning.type, rules: replicaScanningRules(config, plan, templates.map((t) => t.prefix)) } : undefined,
    basicScanTypeNative: plan.manageSettings && config.scanning.basicScanTypeVersion === "AWS_NATIVE",
    sourceAccountIds: plan.manageSettings ? plan.sourceAccountIds : [],
    creationTemplates: templates,
    creationTemplatesRoleName: creationTemplatesRoleName(config.project, environment.name, plan.region),
  };
}

/** The scanning rules of a replica registry: `scanning.rules` when given, else scan on push for the replicas that scan and the templates' namespaces. */
function replicaScanningRules(config: RegistryConfig, plan: ReplicaRegistryPlan, templatePrefixes: readonly string[]): ScanningRule[] {
  if (config.scanning.rules) return config.scanning.rules.map((rule) => ({ frequency: rule.frequency, filters: [...rule.filters] }));
  const fromRepositories = scanOnPushFilters(plan.repositories.map((r) => r.repository));
  const filters =
    fromRepositories.length === 1 && fromRepositories[0] === "*" ? ["*"] : [...new Set([...fromRepositories, ...templatePrefixes.map(templateScanFilter)])].sort();
  return filters.length === 0 ? [] : [{ frequency: "SCAN_ON_PUSH", filters }];
}

/** For each destination (account and region) outside this config, the replica settings its team should apply. */
export function replicaSettingsFor(
  config: RegistryConfig,
  source: ResolvedEnvironment,
): Array<{ accountId: string; region: string; document: Record<string, unknown> }> {
  const byDestination = new Map<string, { accountId: string; region: string; prefixes: Set<string>; everything: boolean }>();
  for (const d of outsideDestinationsOf(config, source)) {
    if (!d.accountId) continue;
    const key = `${d.accountId} ${d.region}`;
    let entry = byDestination.get(key);
    if (!entry) byDestination.set(key, (entry = { accountId: d.accountId, region: d.region, prefixes: new Set(), everything: false }));
    if (d.prefixes.length === 0) entry.everything = true;
    d.prefixes.forEach((p) => entry!.prefixes.add(p));
  }
  return [...byDestination.keys()].sort().map((key) => {
    const entry = byDestination.get(key)!;
    const prefixes = entry.everything ? [] : [...entry.prefixes].sort();
    return { accountId: entry.accountId, region: entry.region, document: replicaSettingsDocument(config, source, prefixes) };
  });
}
