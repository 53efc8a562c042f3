import { TerraformOutput, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { awsRepositoryName } from "../config/schema/data-safety";
import { TagMutability } from "../config/schema/repository";
import { Tags } from "../config/schema/tags";
import { repositoryId, repositoryOutputName, replicaId, replicaOutputName } from "../naming";
import { RepositoryStateChanges } from "./repository-state-changes";

/** How a repository's images are encrypted at rest, with any key already resolved. */
export type RepositoryEncryption = { readonly type: "AES256" } | { readonly type: "KMS"; readonly kmsKeyArn: string };

export interface ModelRepositoryProps {
  /** The ECR repository name, e.g. `ai-models/llm-serving`. */
  readonly name: string;
  /** What the repository holds; becomes the outputs' description. @default - none */
  readonly description?: string;
  /** Whether tags can be overwritten. @default "IMMUTABLE" */
  readonly tagMutability?: TagMutability;
  /** Tag filters exempt from `tagMutability`; required with the `*_WITH_EXCLUSION` modes. @default - none */
  readonly mutabilityExclusions?: readonly string[];
  /** Scan images for vulnerabilities when pushed. @default true */
  readonly scanOnPush?: boolean;
  /** Encryption at rest. @default - AES256 (the caller normally passes the environment's KMS key) */
  readonly encryption?: RepositoryEncryption;
  /** Tags on the repository resource itself (provider default tags come on top). @default {} */
  readonly tags?: Tags;
  /**
   * Earlier names of this repository in config, oldest first. Its resources get `moved` blocks
   * from the earlier addresses, and the ECR repository keeps the first name (ECR cannot rename).
   * @default - none: the ECR repository is named `name`
   */
  readonly renamedFrom?: readonly string[];
  /**
   * The repository's name in AWS when it differs from `name` (an existing repository's name).
   * @default - the first `renamedFrom` name, else `name`
   */
  readonly awsName?: string;
  /**
   * Import the existing repository `awsName` (Terraform import block) instead of creating it, and
   * refuse any plan that destroys or replaces it (`prevent_destroy`), in any environment.
   * @default false
   */
  readonly adopt?: boolean;
  /**
   * Makes this the replica of the repository in another region: its Terraform names get the
   * region (`<id>__<region>`, outputs `<id>_<region>_repository_url`) and `provider` creates it there.
   * @default - the source repository, in the stack's region
   */
  readonly replica?: { readonly region: string; readonly provider?: TerraformProvider };
  /** Set `prevent_destroy` whatever the stack (a protected environment's aspect also sets it). @default false */
  readonly preventDestroy?: boolean;
}

/**
 * One model's ECR repository and its outputs. Resource and output names derive from the
 * repository name (see `naming/`), never from its position in the config or the construct id.
 */
export class ModelRepository extends Construct {
  readonly repository: EcrRepository;
  /** The repository's name in config, from which its Terraform names derive. */
  readonly repositoryName: string;
  /** The repository's name in AWS: `awsName`, else the first earlier name of a renamed repository, else `repositoryName`. */
  readonly awsName: string;
  /** The logical id of the repository and of its policy and lifecycle policy. */
  readonly logicalId: string;
  /** The provider of every resource of this repository; undefined: the stack's default. */
  readonly provider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: ModelRepositoryProps) {
    super(scope, id);
    this.repositoryName = props.name;
    this.awsName = awsRepositoryName(props);
    this.logicalId = props.replica ? replicaId(repositoryId(props.name), props.replica.region) : repositoryId(props.name);
    this.provider = props.replica?.provider;
    const encryption = props.encryption ?? { type: "AES256" };

    this.repository = new EcrRepository(this, "repository", {
      name: this.awsName,
      imageTagMutability: props.tagMutability ?? "IMMUTABLE",
      // Sorted: the filters are a set, so config order must not change the output.
      imageTagMutabilityExclusionFilter: props.mutabilityExclusions && [...props.mutabilityExclusions].sort().map((filter) => ({ filter, filterType: "WILDCARD" })),
      imageScanningConfiguration: { scanOnPush: props.scanOnPush ?? true },
      encryptionConfiguration: [
        encryption.type === "KMS" ? { encryptionType: "KMS", kmsKey: encryption.kmsKeyArn } : { encryptionType: "AES256" },
      ],
      forceDelete: false,
      tags: props.tags ?? {},
      provider: this.provider,
      // An adopted repository holds images this project did not put there: never destroy or replace it.
      lifecycle: props.adopt || props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.repository.overrideLogicalId(this.logicalId);
    if (props.renamedFrom?.length) RepositoryStateChanges.of(this).renamed(props.name, props.renamedFrom, props.replica?.region);
    // ECR's import id of a repository is its name.
    if (props.adopt) RepositoryStateChanges.of(this).importInto(this.repository, this.awsName);

    const about = props.description ? ` (${props.description})` : "";
    if (props.replica) {
      const where = `the replica of ${this.awsName} in ${props.replica.region}`;
      this.output(replicaOutputName(this.repositoryName, props.replica.region, "url"), this.repository.repositoryUrl, `Pull address of ${where}${about}`);
      this.output(replicaOutputName(this.repositoryName, props.replica.region, "arn"), this.repository.arn, `ARN of ${where}`);
      return;
    }
    this.output(repositoryOutputName(this.repositoryName, "url"), this.repository.repositoryUrl, `Push and pull address of ${this.awsName}${about}`);
    this.output(repositoryOutputName(this.repositoryName, "arn"), this.repository.arn, `ARN of ${this.awsName}`);
    this.output(repositoryOutputName(this.repositoryName, "registryId"), this.repository.registryId, `Registry (account) id of ${this.awsName}`);
  }

  private output(name: string, value: string, description: string): void {
    new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
  }
}
