import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { EcrRegistryPolicy } from "@cdktf/provider-aws/lib/ecr-registry-policy";
import { CacheGrant, cacheRegistryStatements } from "../policies/pull-through-cache-policy";
import type { Partition } from "../config/schema/aws";
import { replicationRegistryPolicy } from "../policies/replication-registry-policy";
import { FEATURE_IDS } from "../naming";
import { accountIdOf } from "./caller-account";

export interface RegistryPolicyProps {
  /** Partition of this registry. */
  readonly partition: Partition;
  /** Region of this registry. */
  readonly region: string;
  /** Account of this registry. @default - the deploying identity's account */
  readonly accountId?: string;
  /** Accounts allowed to replicate into this registry. @default [] */
  readonly replicationSourceAccountIds?: readonly string[];
  /** Who may pull through each cache rule of this registry. @default [] */
  readonly caches?: readonly CacheGrant[];
  /** The provider of the registry's region (a replica registry's). @default - the stack's default provider */
  readonly provider?: TerraformProvider;
  /** Terraform name of the policy. @default "registry" */
  readonly logicalId?: string;
}

/**
 * The registry permissions policy: cross-account replication into this registry (each source
 * account may create repositories and replicate images) and pull-through cache use (each cache's
 * principals may import upstream images and create repositories under its prefix). ECR keeps one
 * registry policy per account and region, so this resource owns it whole.
 */
export class RegistryPolicy extends Construct {
  readonly policy: EcrRegistryPolicy;

  /** Whether the props grant anything (ECR refuses a policy without statements). */
  static grantsAnything(props: RegistryPolicyProps): boolean {
    return (props.replicationSourceAccountIds ?? []).length > 0 || (props.caches ?? []).some((c) => c.principals.length > 0);
  }

  constructor(scope: Construct, id: string, props: RegistryPolicyProps) {
    super(scope, id);
    const registryAccountId = accountIdOf(this, props.accountId);
    const replication = replicationRegistryPolicy({
      partition: props.partition,
      region: props.region,
      registryAccountId,
      sourceAccountIds: props.replicationSourceAccountIds ?? [],
    }).Statement as unknown[];
    const caches = cacheRegistryStatements(props.partition, props.region, registryAccountId, props.caches ?? []);
    this.policy = new EcrRegistryPolicy(this, "policy", {
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [...replication, ...caches] }),
      provider: props.provider,
    });
    this.policy.overrideLogicalId(props.logicalId ?? FEATURE_IDS.registryPolicy);
  }
}
