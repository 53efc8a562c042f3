import type { Partition } from "../config/schema/aws";

/**
 * The only actions a destination registry grants a source account for replication: ECR's
 * internal `ReplicateImage`, and `CreateRepository` so replicated repositories are created on
 * first push (without it every repository must exist in the destination beforehand).
 */
export const REPLICATION_ACTIONS = ["ecr:CreateRepository", "ecr:ReplicateImage"] as const;

export interface ReplicationRegistryPolicyInput {
  /** Partition of the destination registry (and of every source: ECR does not replicate across partitions). */
  readonly partition: Partition;
  /** Region of the destination registry. */
  readonly region: string;
  /** Account of the destination registry (a literal id, or a Terraform reference). */
  readonly registryAccountId: string;
  /** Accounts allowed to replicate into the destination registry. */
  readonly sourceAccountIds: readonly string[];
}

/**
 * The registry permissions policy of a destination registry, in the shape AWS documents for
 * cross-account replication: one statement per source account, its root principal (every IAM
 * principal of that account, which is how ECR's replication service acts for it), the two
 * replication actions, on every repository of the destination registry.
 */
export function replicationRegistryPolicy(input: ReplicationRegistryPolicyInput): Record<string, unknown> {
  const sources = [...new Set(input.sourceAccountIds)].sort();
  return {
    Version: "2012-10-17",
    Statement: sources.map((account) => ({
      Sid: `ReplicationFrom${account}`,
      Effect: "Allow",
      Principal: { AWS: `arn:${input.partition}:iam::${account}:root` },
      Action: [...REPLICATION_ACTIONS],
      Resource: [`arn:${input.partition}:ecr:${input.region}:${input.registryAccountId}:repository/*`],
    })),
  };
}
