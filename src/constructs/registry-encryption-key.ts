import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";

export interface RegistryEncryptionKeyProps {
  /** Alias without the `alias/` prefix, e.g. `model-registry-prod-ecr`. */
  readonly aliasName: string;
  /** Key description shown in the KMS console. */
  readonly description: string;
  /** Days KMS waits before deleting a key scheduled for deletion (7–30). @default 30 */
  readonly deletionWindowInDays?: number;
  /** Terraform name of the key and the alias (`aws_kms_key.<logicalId>`). @default "registry" */
  readonly logicalId?: string;
  /** Make Terraform refuse any plan that destroys the key (`lifecycle.prevent_destroy`). @default false */
  readonly preventDestroy?: boolean;
  /** The provider of the key's region (KMS keys are regional). @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * The customer managed KMS key that encrypts an environment's model repositories: one key per
 * environment (not per repository) keeps the monthly key cost flat as models are added. The state
 * bootstrap stack uses one too, for the state bucket.
 */
export class RegistryEncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: RegistryEncryptionKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      provider: props.provider,
    });
    const logicalId = props.logicalId ?? "registry";
    this.key.overrideLogicalId(logicalId);
    this.alias = new KmsAlias(this, "alias", { name: `alias/${props.aliasName}`, targetKeyId: this.key.keyId, provider: props.provider });
    this.alias.overrideLogicalId(logicalId);
  }

  get arn(): string {
    return this.key.arn;
  }
}
