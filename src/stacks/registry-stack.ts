import { Aspects, dependable } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { PreventDestroy } from "../aspects/prevent-destroy";
import { cacheRepositoryPolicyDocument } from "../policies/pull-through-cache-policy";
import { partitionOf } from "../config/schema/aws";
import { backendFor } from "../plan/backend";
import { findingNotificationsFor } from "../plan/notifications";
import { pullThroughCacheRulesFor } from "../plan/pull-through-cache";
import { inboundReplicationFor, replicationFor } from "../plan/replication";
import { AppliedFor, cacheTemplateFor, creationTemplateTags, templateTagMutability } from "../config/schema/creation-templates";
import { effectiveLifecycle } from "../plan/lifecycle";
import { ResolvedEnvironment } from "../plan/environments";
import { Encryption } from "../config/schema/repository";
import { registryScanningRules } from "../plan/scanning";
import { RegistryConfig } from "../config/schema";
import { signerPrincipal, signingProfileFor } from "../plan/signing";
import { ModelRepository, RepositoryEncryption } from "../constructs/model-repository";
import { FindingNotifications } from "../constructs/finding-notifications";
import { ModelSigningProfile } from "../constructs/model-signing-profile";
import { PullThroughCacheRule } from "../constructs/pull-through-cache-rule";
import { RegistryEncryptionKey } from "../constructs/registry-encryption-key";
import { RegistryReplication } from "../constructs/registry-replication";
import { RegistryScanning } from "../constructs/registry-scanning";
import { RepositoryStateChanges } from "../constructs/repository-state-changes";
import { pullThroughCachePolicyName, pullThroughCacheRuleId, registryKeyAliasName, signingPolicyName, stackName, creationTemplatesRoleName } from "../naming";
import { RegistryPolicy, RegistryPolicyProps } from "../constructs/registry-policy";
import { addStateBackend } from "./state-backend";
import { addModelRepositories } from "./model-repositories";
import { environmentProviderConfig } from "./environment-provider";
import { stacksOfEnvironment } from "../plan/stack-groups";
import { RepositoryCreationTemplates } from "../constructs/repository-creation-templates";
import { ProjectStack } from "./project-stack";
import { BasicScanType } from "../constructs/basic-scan-type";
import { ReplicaRegistry } from "../constructs/replica-registry";
import { replicaRegistriesFor } from "../plan/replicas";
import { replicaRegistryProps, replicaSettingsFor } from "./replica-plan";

export interface RegistryStackProps {
  /** The validated registry config. */
  readonly config: RegistryConfig;
  /** The environment this stack deploys, resolved from `config`. */
  readonly environment: ResolvedEnvironment;
}

/** One environment of the registry: provider, remote state, encryption key, scanning and repositories. */
export class RegistryStack extends ProjectStack {
  readonly repositories: readonly ModelRepository[];
  readonly encryptionKey?: RegistryEncryptionKey;
  /** The replica registries this stack governs (docs/replication.md), by region. */
  readonly replicas: readonly ReplicaRegistry[];

  constructor(scope: Construct, props: RegistryStackProps) {
    const { config, environment } = props;
    super(scope, stackName(config.project, environment.name));

    const providerConfig = environmentProviderConfig(config, environment);
    new AwsProvider(this, "aws", { region: environment.region, ...providerConfig });

    addStateBackend(this, backendFor(config, environment));

    // Creation templates are registry settings: only the environment that manages them has them.
    const templates = environment.manageRegistrySettings ? config.repositoryCreationTemplates : [];
    const registryKeyAlias = registryKeyAliasName(config.project, environment.name);
    // Retired repositories stay in AWS and may be encrypted with the key, so it outlives them.
    const needsManagedKey =
      [...environment.repositories, ...templates].some((r) => r.encryption.type === "KMS" && !r.encryption.kmsKeyArn) ||
      environment.retired.length > 0;
    if (needsManagedKey) {
      this.encryptionKey = new RegistryEncryptionKey(this, "encryption-key", {
        aliasName: registryKeyAlias,
        description: `Encrypts the ${config.project} model image repositories (${environment.name})`,
      });
    }

    if (environment.manageRegistrySettings) {
      new RegistryScanning(this, "scanning", {
        scanType: config.scanning.type,
        rules: registryScanningRules(config, environment),
      });
      if (config.scanning.basicScanTypeVersion === "AWS_NATIVE") new BasicScanType(this, "basic-scan-type");
    }

    const own = stacksOfEnvironment(config, environment)[0];
    this.repositories = addModelRepositories(this, {
      config,
      environment,
      repositories: own.repositories,
      encryptionFor: (owner) => this.encryptionFor(owner),
      movedIn: own.movedIn,
    });

    const caches = pullThroughCacheRulesFor(config, environment);
    if (templates.length > 0) {
      // Repositories a cache creates have no repository policy unless their template sets one:
      // each template lets the consumers of the caches it serves pull.
      const cachePrincipals = (template: (typeof templates)[number]) =>
        caches.filter((c) => cacheTemplateFor(templates, c.prefix) === template).flatMap((c) => c.consumers.map((p) => p.arn));
      new RepositoryCreationTemplates(this, "creation-templates", {
        region: environment.region,
        accountId: environment.accountId!, // required with templates (src/checks/creation-templates.ts)
        roleName: creationTemplatesRoleName(config.project, environment.name),
        managedKeyAlias: this.encryptionKey ? registryKeyAlias : undefined,
        templates: templates.map((t) => ({
          prefix: t.prefix,
          appliedFor: t.appliedFor as AppliedFor[], // the schema admits only these values
          description: t.description,
          tagMutability: templateTagMutability(t),
          mutabilityExclusions: t.mutabilityExclusions,
          encryption: this.encryptionFor(t),
          lifecyclePolicy: effectiveLifecycle(config.lifecycle, t.lifecycle),
          resourceTags: creationTemplateTags(config.project, environment.name, config.tags, t.tags),
          repositoryPolicy: cacheRepositoryPolicyDocument(cachePrincipals(t)),
        })),
      });
    }

    // Replicas first: the replication configuration waits for the ones in this stack, so ECR finds them instead of creating them.
    this.replicas = replicaRegistriesFor(config, environment).map((plan) => {
      // An aliased provider per replica region: same account, role and default tags as the stack's own.
      const provider = plan.region === environment.region ? undefined : new AwsProvider(this, `aws-${plan.region}`, { alias: plan.region, region: plan.region, ...providerConfig });
      return new ReplicaRegistry(this, `replicas-${plan.region}`, replicaRegistryProps(config, environment, plan, registryKeyAlias, provider));
    });

    // Registry features; each plan is undefined (or empty) when the config leaves it out for this environment.
    const replication = replicationFor(config, environment);
    if (replication) {
      const outside = replicaSettingsFor(config, environment);
      const { configuration } = new RegistryReplication(this, "replication", { ...replication, replicaSettings: outside });
      const replicas = this.replicas.flatMap((r) => r.repositories.map((m) => m.repository));
      // `dependable` renders a bare address (`aws_ecr_repository.x`); an interpolation (`${...}`) is invalid in depends_on.
      if (replicas.length > 0) configuration.dependsOn = replicas.map((r) => dependable(r));
    }
    const registryPolicy: RegistryPolicyProps = {
      partition: partitionOf(environment.region),
      region: environment.region,
      accountId: environment.accountId,
      replicationSourceAccountIds: inboundReplicationFor(config, environment)?.sourceAccountIds,
      caches: caches.map((c) => ({ prefix: c.prefix, principals: c.consumers.map((p) => p.arn) })),
    };
    if (RegistryPolicy.grantsAnything(registryPolicy)) new RegistryPolicy(this, "registry-policy", registryPolicy);
    for (const rule of caches) {
      const sameAccount = config.identityPolicies && environment.accountId && rule.consumers.some((p) => p.sameAccount === true);
      new PullThroughCacheRule(this, `pull-through-cache-${pullThroughCacheRuleId(rule.prefix)}`, {
        ...rule,
        identityPolicy: sameAccount
          ? { name: pullThroughCachePolicyName(config.project, environment.name, rule.prefix), path: `/${config.project}/`, accountId: environment.accountId! }
          : undefined,
      });
    }
    const notifications = findingNotificationsFor(config, environment);
    if (notifications) new FindingNotifications(this, "notifications", notifications);
    const signing = signingProfileFor(config, environment);
    if (signing) {
      const localSigners = config.identityPolicies && environment.accountId && signing.signers.some((p) => p.sameAccount === true);
      new ModelSigningProfile(this, "signing", {
        name: signing.name,
        signatureValidity: signing.signatureValidity,
        // Without the environment's account, every signer might be in another account.
        crossAccountSigners: signing.signers.filter((p) => p.sameAccount !== true).map((p) => signerPrincipal(p.arn)),
        identityPolicy: localSigners
          ? {
              name: signingPolicyName(config.project, environment.name),
              path: `/${config.project}/`,
              partition: partitionOf(environment.region),
              region: environment.region,
              accountId: environment.accountId!,
            }
          : undefined,
      });
    }

    for (const name of environment.retired) RepositoryStateChanges.of(this).retire(name);
    for (const name of own.movedOut) RepositoryStateChanges.of(this).movedToAnotherStack(name);
    const replicaRegions = new Set(this.replicas.map((r) => r.region));
    for (const region of config.replication?.retiredRegions ?? []) {
      if (replicaRegions.has(region)) continue;
      const names = [...new Set([...config.repositories.flatMap((r) => [r.name, ...(r.renamedFrom ?? [])]), ...config.retired])].sort();
      RepositoryStateChanges.of(this).retireReplicaRegion(region, names);
    }
    if (environment.protected) Aspects.of(this).add(new PreventDestroy());
  }

  /** cdktf 0.21's HCL renderer has no `removed` block (`npm run synth:hcl`). */
  override toHclTerraform(): { [key: string]: any } {
    return RepositoryStateChanges.withRemovedBlocksHcl(this, super.toHclTerraform());
  }

  private encryptionFor(owner: { encryption: Encryption }): RepositoryEncryption {
    if (owner.encryption.type === "AES256") return { type: "AES256" };
    return { type: "KMS", kmsKeyArn: owner.encryption.kmsKeyArn ?? this.encryptionKey!.arn };
  }
}
