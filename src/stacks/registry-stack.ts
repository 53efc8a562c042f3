import { S3Backend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AppliedFor, creationTemplateTags } from "../config/creation-templates";
import { effectiveLifecycle } from "../config/lifecycle";
import { ResolvedEnvironment } from "../config/resolve";
import { Encryption } from "../config/repository";
import { registryScanningRules } from "../config/scanning";
import { RegistryConfig } from "../config/schema";
import { providerDefaultTags, repositoryTags } from "../config/tags";
import { ModelRepository, RepositoryEncryption } from "../constructs/model-repository";
import { RegistryEncryptionKey } from "../constructs/registry-encryption-key";
import { RegistryScanning } from "../constructs/registry-scanning";
import { RepositoryCreationTemplates } from "../constructs/repository-creation-templates";
import { RepositoryLifecyclePolicy } from "../constructs/repository-lifecycle-policy";
import { stackName } from "../naming";

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

    new S3Backend(this, {
      bucket: config.state.bucket,
      key: environment.stateKey,
      region: config.state.region ?? config.region,
      encrypt: true,
      dynamodbTable: config.state.dynamodbTable,
    });
    // cdktf 0.21's S3BackendConfig predates S3 native locking.
    this.addOverride("terraform.backend.s3.use_lockfile", true);

    // Creation templates are registry settings: only the environment that manages them has them.
    const templates = environment.manageRegistrySettings ? config.repositoryCreationTemplates : [];
    const needsManagedKey = [...environment.repositories, ...templates].some((r) => r.encryption.type === "KMS" && !r.encryption.kmsKeyArn);
    if (needsManagedKey) {
      this.encryptionKey = new RegistryEncryptionKey(this, "encryption-key", {
        aliasName: `${stackName(config.project, environment.name)}-ecr`,
        description: `Encrypts the ${config.project} model image repositories (${environment.name})`,
      });
    }

    if (environment.manageRegistrySettings) {
      new RegistryScanning(this, "scanning", {
        scanType: config.scanning.type,
        rules: registryScanningRules(config, environment),
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

    environment.repositories.forEach((repo, i) => {
      const policy = effectiveLifecycle(config.lifecycle, repo.lifecycle);
      const model = this.repositories[i];
      if (policy) new RepositoryLifecyclePolicy(model, "lifecycle", { repository: model.repository.name, repositoryName: repo.name, policy });
    });

    if (templates.length > 0) {
      new RepositoryCreationTemplates(this, "creation-templates", {
        region: environment.region,
        accountId: environment.accountId,
        templates: templates.map((t) => ({
          prefix: t.prefix,
          appliedFor: t.appliedFor as AppliedFor[], // the schema admits only these values
          description: t.description,
          tagMutability: t.tagMutability,
          mutabilityExclusions: t.mutabilityExclusions,
          encryption: this.encryptionFor(t),
          lifecyclePolicy: effectiveLifecycle(config.lifecycle, t.lifecycle),
          resourceTags: creationTemplateTags(config.project, environment.name, config.tags, t.tags),
        })),
      });
    }
  }

  private encryptionFor(owner: { encryption: Encryption }): RepositoryEncryption {
    if (owner.encryption.type === "AES256") return { type: "AES256" };
    return { type: "KMS", kmsKeyArn: owner.encryption.kmsKeyArn ?? this.encryptionKey!.arn };
  }
}
