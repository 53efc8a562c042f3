import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { EcrRegistryPolicy } from "@cdktf/provider-aws/lib/ecr-registry-policy";
import type { Partition } from "../config/aws";
import { replicationRegistryPolicy } from "../documents/replication-registry-policy";
import { FEATURE_IDS } from "../naming";
import { accountIdOf } from "./caller-account";

export interface ReplicationRegistryPolicyProps {
  /** Partition of this (destination) registry. */
  readonly partition: Partition;
  /** Region of this registry. */
  readonly region: string;
  /** Account of this registry. @default - the deploying identity's account */
  readonly accountId?: string;
  /** Accounts allowed to replicate into this registry. */
  readonly sourceAccountIds: readonly string[];
  /** The provider of the registry's region. @default - the stack's default provider */
  readonly provider?: TerraformProvider;
  /** Terraform name of the policy. @default "registry" */
  readonly logicalId?: string;
}

/**
 * The registry policy of a registry that receives cross-account replicas: each source account
 * may create repositories and replicate images into it, nothing else. ECR keeps one registry
 * policy per account and region, so this resource owns it whole.
 */
export class ReplicationRegistryPolicy extends Construct {
  readonly policy: EcrRegistryPolicy;

  constructor(scope: Construct, id: string, props: ReplicationRegistryPolicyProps) {
    super(scope, id);
    const document = replicationRegistryPolicy({
      partition: props.partition,
      region: props.region,
      registryAccountId: accountIdOf(this, props.accountId),
      sourceAccountIds: props.sourceAccountIds,
    });
    this.policy = new EcrRegistryPolicy(this, "policy", { policy: JSON.stringify(document), provider: props.provider });
    this.policy.overrideLogicalId(props.logicalId ?? FEATURE_IDS.registryPolicy);
  }
}
