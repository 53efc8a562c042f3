import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { identityPolicyLevels, repositoryArn } from "../access/identity-policy";
import { repositoryGrants } from "../access/matrix";
import { repositoryPolicyDocument } from "../access/repository-policy";
import { partitionOf } from "../config/aws";
import { backendFor } from "../config/backend";
import { ResolvedEnvironment } from "../config/resolve";
import { RepositoryConfig } from "../config/repository";
import { scanOnPushFilters } from "../config/scanning";
import { RegistryConfig } from "../config/schema";
import { providerDefaultTags, repositoryTags } from "../config/tags";
import { ModelRepository, RepositoryEncryption } from "../constructs/model-repository";
import { RegistryEncryptionKey } from "../constructs/registry-encryption-key";
import { RegistryScanning } from "../constructs/registry-scanning";
import { RepositoryIdentityPolicy } from "../constructs/repository-identity-policy";
import { RepositoryPolicy } from "../constructs/repository-policy";
import { identityPolicyName, stackName } from "../naming";

import { addStateBackend } from "./state-backend";

export interface RegistryStackProps {
  /** The validated registry config. */
  readonly config: RegistryConfig;
  /** The environment this stack deploys, resolved from `config`. */
  readonly environment: ResolvedEnvironment;
}

/** One environment of the registry: provider, remote state, encryption key, scanning and repositories. */
export class RegistryStack extends TerraformStack {
  readonly repositories: readonly ModelRepository[];
  readonly encryptionKey?: RegistryEncryptionKey;

  constructor(scope: Construct, props: RegistryStackProps) {
    const { config, environment } = props;
    super(scope, stackName(config.project, environment.name));

    new AwsProvider(this, "aws", {
      region: environment.region,
      allowedAccountIds: environment.accountId ? [environment.accountId] : undefined,
      defaultTags: [{ tags: providerDefaultTags(config.project, environment.name, config.tags) }],
    });

    addStateBackend(this, backendFor(config, environment));

    const needsManagedKey = environment.repositories.some((r) => r.encryption.type === "KMS" && !r.encryption.kmsKeyArn);
    if (needsManagedKey) {
      this.encryptionKey = new RegistryEncryptionKey(this, "encryption-key", {
        aliasName: `${stackName(config.project, environment.name)}-ecr`,
        description: `Encrypts the ${config.project} model image repositories (${environment.name})`,
      });
    }

    if (environment.manageRegistrySettings) {
      new RegistryScanning(this, "scanning", {
        scanType: config.scanning.type,
        scanOnPushFilters: scanOnPushFilters(environment.repositories),
      });
    }

    this.repositories = environment.repositories.map(
      (repo) =>
        new ModelRepository(this, {
          name: repo.name,
          description: repo.description,
          tagMutability: repo.tagMutability,
          mutabilityExclusions: repo.mutabilityExclusions,
          scanOnPush: repo.scanOnPush,
          encryption: this.encryptionFor(repo),
          tags: repositoryTags(repo.tags),
        }),
    );

    for (const model of this.repositories) this.grantAccess(config, environment, model);
  }

  /** The repository policy from the declared consumers and, when enabled, identity policies for same-account roles. */
  private grantAccess(config: RegistryConfig, environment: ResolvedEnvironment, model: ModelRepository): void {
    const grants = repositoryGrants(config, environment, model.repositoryName);
    const document = repositoryPolicyDocument(grants);
    if (document) new RepositoryPolicy(model, "policy", { repositoryName: model.repositoryName, document, repository: model.repository });

    if (!config.identityPolicies || !environment.accountId) return;
    for (const level of identityPolicyLevels(grants)) {
      new RepositoryIdentityPolicy(model, `${level}-policy`, {
        repositoryName: model.repositoryName,
        repositoryArn: repositoryArn(partitionOf(environment.region), environment.region, environment.accountId, model.repositoryName),
        level,
        policyName: identityPolicyName(config.project, environment.name, model.repositoryName, level),
        path: `/${config.project}/`,
      });
    }
  }

  private encryptionFor(repo: RepositoryConfig): RepositoryEncryption {
    if (repo.encryption.type === "AES256") return { type: "AES256" };
    return { type: "KMS", kmsKeyArn: repo.encryption.kmsKeyArn ?? this.encryptionKey!.arn };
  }
}
