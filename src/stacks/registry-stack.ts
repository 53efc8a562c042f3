import { S3Backend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { findingNotificationsFor } from "../config/notifications";
import { pullThroughCacheRulesFor } from "../config/pull-through-cache";
import { inboundReplicationFor, replicationFor } from "../config/replication";
import { ResolvedEnvironment } from "../config/resolve";
import { RepositoryConfig } from "../config/repository";
import { scanOnPushFilters } from "../config/scanning";
import { RegistryConfig } from "../config/schema";
import { signingProfileFor } from "../config/signing";
import { providerDefaultTags, repositoryTags } from "../config/tags";
import { ModelRepository, RepositoryEncryption } from "../constructs/model-repository";
import { FindingNotifications } from "../constructs/finding-notifications";
import { ModelSigningProfile } from "../constructs/model-signing-profile";
import { PullThroughCacheRule } from "../constructs/pull-through-cache-rule";
import { RegistryEncryptionKey } from "../constructs/registry-encryption-key";
import { RegistryReplication } from "../constructs/registry-replication";
import { RegistryScanning } from "../constructs/registry-scanning";
import { ReplicationRegistryPolicy } from "../constructs/replication-registry-policy";
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

    // Registry features; each plan is undefined (or empty) when the config leaves it out for this environment.
    const replication = replicationFor(config, environment);
    if (replication) new RegistryReplication(this, "replication", replication);
    const inboundReplication = inboundReplicationFor(config, environment);
    if (inboundReplication) new ReplicationRegistryPolicy(this, "replication-policy", inboundReplication);
    for (const rule of pullThroughCacheRulesFor(config, environment)) new PullThroughCacheRule(this, rule);
    const notifications = findingNotificationsFor(config, environment);
    if (notifications) new FindingNotifications(this, "notifications", notifications);
    const signing = signingProfileFor(config, environment);
    if (signing) new ModelSigningProfile(this, "signing", signing);
  }

  private encryptionFor(repo: RepositoryConfig): RepositoryEncryption {
    if (repo.encryption.type === "AES256") return { type: "AES256" };
    return { type: "KMS", kmsKeyArn: repo.encryption.kmsKeyArn ?? this.encryptionKey!.arn };
  }
}
