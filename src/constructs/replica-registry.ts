import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import type { PolicyDocument } from "../policies/policy-document";
import type { Partition } from "../config/schema/aws";
import type { AppliedFor } from "../config/schema/creation-templates";
import type { TagMutability } from "../config/schema/repository";
import type { ScanningRule } from "../config/schema/scanning";
import type { Tags } from "../config/schema/tags";
import type { LifecyclePolicySpec } from "../lifecycle/policy";
import { replicaId, repositoryId } from "../naming";
import { BasicScanType } from "./basic-scan-type";
import { ModelRepository, RepositoryEncryption } from "./model-repository";
import { RegistryEncryptionKey } from "./registry-encryption-key";
import { RegistryScanning } from "./registry-scanning";
import { RegistryPolicy } from "./registry-policy";
import { RepositoryCreationTemplates } from "./repository-creation-templates";
import { RepositoryLifecyclePolicy } from "./repository-lifecycle-policy";
import { RepositoryPolicy } from "./repository-policy";
import { RepositoryStateChanges } from "./repository-state-changes";

/** One replica repository, with the source repository's settings. */
export interface ReplicaRepositoryProps {
  /** The repository's name in config (its Terraform names derive from it). */
  readonly name: string;
  /** Earlier names in config, oldest first: the replica's resources move with the source's. @default - none */
  readonly renamedFrom?: readonly string[];
  /** The source's name in AWS, which replication keeps. @default - the first `renamedFrom` name, else `name` */
  readonly awsName?: string;
  /** What the repository holds. @default - none */
  readonly description?: string;
  readonly tagMutability: TagMutability;
  /** @default - none */
  readonly mutabilityExclusions?: readonly string[];
  readonly scanOnPush: boolean;
  /** `KMS` uses the registry's key (`kmsKeyArn`, else the managed key); `AES256` stays AES256. */
  readonly encryptionType: "KMS" | "AES256";
  /** Tags on the repository resource. @default {} */
  readonly tags?: Tags;
  /** The source's lifecycle policy. @default - none */
  readonly lifecycle?: LifecyclePolicySpec;
  /** The policy for the consumers that pull in this region. @default - none */
  readonly policy?: PolicyDocument;
  /** Guard the replica against destruction (its source environment is protected). @default false */
  readonly preventDestroy?: boolean;
}

/** A REPLICATION creation template of the replica registry; its encryption is the registry's. */
export interface ReplicaTemplateProps {
  readonly prefix: string;
  readonly tagMutability: TagMutability;
  readonly encryptionType: "KMS" | "AES256";
  /** @default - none */
  readonly lifecyclePolicy?: LifecyclePolicySpec;
  /** @default {} */
  readonly resourceTags?: Tags;
}

export interface ReplicaRegistryProps {
  readonly region: string;
  readonly partition: Partition;
  /** The registry's account. Required with `creationTemplates`. @default - the deploying identity's account */
  readonly accountId?: string;
  /** The provider of `region`; undefined when it is the stack's own region. @default - the stack's default provider */
  readonly provider?: TerraformProvider;
  /** The user's key in `region` for KMS replicas. @default - a managed key in `region`, made when a replica or template needs it */
  readonly kmsKeyArn?: string;
  /** Alias (without `alias/`) and description of the managed key. */
  readonly managedKey: { readonly aliasName: string; readonly description: string; readonly preventDestroy?: boolean };
  readonly repositories: readonly ReplicaRepositoryProps[];
  /** The registry scanning configuration, when this stack manages the registry's settings. @default - not managed here */
  readonly scanning?: { readonly scanType: "BASIC" | "ENHANCED"; readonly rules: readonly ScanningRule[] };
  /** Pin BASIC_SCAN_TYPE_VERSION to AWS_NATIVE (registry settings only). @default false */
  readonly basicScanTypeNative?: boolean;
  /** Accounts allowed to replicate into this registry (its registry policy; registry settings only). @default [] */
  readonly sourceAccountIds?: readonly string[];
  /** REPLICATION creation templates (registry settings only). @default [] */
  readonly creationTemplates?: readonly ReplicaTemplateProps[];
  /** IAM name of the role ECR assumes for `creationTemplates`. @default - required when there are creation templates */
  readonly creationTemplatesRoleName?: string;
}

/**
 * The replicas one stack governs in one destination registry: the replica repositories (declared
 * before replication would create them with ECR's defaults), each with the source's settings,
 * lifecycle policy and a policy for the consumers pulling there; a managed KMS key in that region
 * when one is needed (keys are regional); and, where this stack manages the registry's settings,
 * its scanning configuration, basic scanner, registry policy and creation templates.
 * Every Terraform name ends in `__<region>`.
 */
export class ReplicaRegistry extends Construct {
  readonly region: string;
  readonly repositories: readonly ModelRepository[];
  readonly encryptionKey?: RegistryEncryptionKey;

  constructor(scope: Construct, id: string, props: ReplicaRegistryProps) {
    super(scope, id);
    const { region, provider } = props;
    this.region = region;
    const suffixed = (name: string) => replicaId(name, region);
    RepositoryStateChanges.of(this).replicaRegion(region);

    const needsKey =
      !props.kmsKeyArn &&
      [...props.repositories, ...(props.creationTemplates ?? [])].some((r) => r.encryptionType === "KMS");
    if (needsKey) {
      this.encryptionKey = new RegistryEncryptionKey(this, "encryption-key", {
        aliasName: props.managedKey.aliasName,
        description: props.managedKey.description,
        logicalId: suffixed("registry"),
        preventDestroy: props.managedKey.preventDestroy,
        provider,
      });
    }
    const encryption = (type: "KMS" | "AES256"): RepositoryEncryption =>
      type === "AES256" ? { type: "AES256" } : { type: "KMS", kmsKeyArn: props.kmsKeyArn ?? this.encryptionKey!.arn };

    if (props.scanning) {
      new RegistryScanning(this, "scanning", { scanType: props.scanning.scanType, rules: props.scanning.rules, provider, logicalId: suffixed("registry") });
    }
    if (props.basicScanTypeNative) new BasicScanType(this, "basic-scan-type", { provider, logicalId: suffixed("basic_scan_type_version") });
    if (props.sourceAccountIds?.length) {
      new RegistryPolicy(this, "registry-policy", {
        partition: props.partition,
        region,
        accountId: props.accountId,
        replicationSourceAccountIds: props.sourceAccountIds,
        provider,
        logicalId: suffixed("registry"),
      });
    }
    if (props.creationTemplates?.length) {
      if (!props.accountId) throw new Error("replica creation templates need the registry's account id");
      if (!props.creationTemplatesRoleName) throw new Error("replica creation templates need creationTemplatesRoleName");
      new RepositoryCreationTemplates(this, "creation-templates", {
        region,
        accountId: props.accountId,
        roleName: props.creationTemplatesRoleName,
        managedKeyAlias: this.encryptionKey ? props.managedKey.aliasName : undefined,
        provider,
        idSuffix: `__${region}`,
        templates: props.creationTemplates.map((t) => ({
          prefix: t.prefix,
          appliedFor: ["REPLICATION"] as AppliedFor[],
          tagMutability: t.tagMutability,
          encryption: encryption(t.encryptionType),
          lifecyclePolicy: t.lifecyclePolicy,
          resourceTags: t.resourceTags,
        })),
      });
    }

    this.repositories = props.repositories.map((r) => {
      const model = new ModelRepository(this, repositoryId(r.name), {
        name: r.name,
        description: r.description,
        tagMutability: r.tagMutability,
        mutabilityExclusions: r.mutabilityExclusions,
        scanOnPush: r.scanOnPush,
        encryption: encryption(r.encryptionType),
        tags: r.tags,
        renamedFrom: r.renamedFrom,
        awsName: r.awsName,
        replica: { region, provider },
        preventDestroy: r.preventDestroy,
      });
      if (r.policy) new RepositoryPolicy(model, "policy", { model, document: r.policy });
      if (r.lifecycle) {
        new RepositoryLifecyclePolicy(model, "lifecycle", { repository: model, policy: r.lifecycle });
      }
      return model;
    });
  }
}
