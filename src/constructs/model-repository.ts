import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { awsRepositoryName } from "../config/schema/data-safety";
import { TagMutability } from "../config/schema/repository";
import { Tags } from "../config/schema/tags";
import { repositoryId, repositoryOutputName } from "../naming";
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

  constructor(scope: Construct, id: string, props: ModelRepositoryProps) {
    super(scope, id);
    this.repositoryName = props.name;
    this.awsName = awsRepositoryName(props);
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
      // An adopted repository holds images this project did not put there: never destroy or replace it.
      lifecycle: props.adopt ? { preventDestroy: true } : undefined,
    });
    this.repository.overrideLogicalId(repositoryId(props.name));
    if (props.renamedFrom?.length) RepositoryStateChanges.of(this).renamed(props.name, props.renamedFrom);
    // ECR's import id of a repository is its name.
    if (props.adopt) RepositoryStateChanges.of(this).importInto(this.repository, this.awsName);

    const about = props.description ? ` (${props.description})` : "";
    this.output("url", this.repository.repositoryUrl, `Push and pull address of ${this.awsName}${about}`);
    this.output("arn", this.repository.arn, `ARN of ${this.awsName}`);
    this.output("registryId", this.repository.registryId, `Registry (account) id of ${this.awsName}`);
  }

  private output(kind: Parameters<typeof repositoryOutputName>[1], value: string, description: string): void {
    const name = repositoryOutputName(this.repositoryName, kind);
    new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
  }
}
