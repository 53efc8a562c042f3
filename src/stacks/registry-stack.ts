import { S3Backend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ResolvedEnvironment } from "../config/resolve";
import { RepositoryConfig } from "../config/repository";
import { scanOnPushFilters } from "../config/scanning";
import { RegistryConfig } from "../config/schema";
import { providerDefaultTags, repositoryTags } from "../config/tags";
import { ModelRepository, RepositoryEncryption } from "../constructs/model-repository";
import { RegistryEncryptionKey } from "../constructs/registry-encryption-key";
import { RegistryScanning } from "../constructs/registry-scanning";
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
      assumeRole: environment.assumeRole ? [environment.assumeRole] : undefined,
      defaultTags: [{ tags: providerDefaultTags(config.project, environment.name, config.tags) }],
    });

    new S3Backend(this, {
      bucket: environment.state.bucket,
      key: environment.state.key,
      region: environment.state.region,
      encrypt: true,
      dynamodbTable: environment.state.dynamodbTable,
    });
    // cdktf 0.21's S3BackendConfig predates S3 native locking.
    this.addOverride("terraform.backend.s3.use_lockfile", true);

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
  }

  private encryptionFor(repo: RepositoryConfig): RepositoryEncryption {
    if (repo.encryption.type === "AES256") return { type: "AES256" };
    return { type: "KMS", kmsKeyArn: repo.encryption.kmsKeyArn ?? this.encryptionKey!.arn };
  }
}
