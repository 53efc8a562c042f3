import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { EcrReplicationConfiguration } from "@cdktf/provider-aws/lib/ecr-replication-configuration";
import type { Partition } from "../config/schema/aws";
import { replicationRegistryPolicy } from "../policies/replication-registry-policy";
import { FEATURE_IDS, replicationPolicyOutputName, replicaSettingsOutputName } from "../naming";
import { accountIdOf } from "./caller-account";

export interface RegistryReplicationProps {
  /** Partition of the source registry. */
  readonly partition: Partition;
  /** Region of the source registry. */
  readonly region: string;
  /** Account of the source registry. @default - the deploying identity's account */
  readonly accountId?: string;
  /** Replication rules; a destination without `registryId` is the source's own account. */
  readonly rules: ReadonlyArray<{
    /** Repository name prefixes (PREFIX_MATCH); empty replicates every repository. */
    readonly repositoryPrefixes: readonly string[];
    readonly destinations: ReadonlyArray<{ readonly region: string; readonly registryId?: string }>;
  }>;
  /**
   * Destinations in other accounts. Each gets an output with the registry policy its account
   * must apply before replication can succeed. @default []
   */
  readonly crossAccountDestinations?: ReadonlyArray<{ readonly accountId: string; readonly region: string }>;
  /**
   * Destinations in accounts outside this config, each with the replica settings its team should
   * apply (see `replicaSettingsDocument`); each gets a second output. @default []
   */
  readonly replicaSettings?: ReadonlyArray<{ readonly accountId: string; readonly region: string; readonly document: Record<string, unknown> }>;
}

/**
 * The registry's replication configuration (one per account and region), plus, for every
 * cross-account destination, the registry policy document the destination team applies.
 */
export class RegistryReplication extends Construct {
  readonly configuration: EcrReplicationConfiguration;

  constructor(scope: Construct, id: string, props: RegistryReplicationProps) {
    super(scope, id);
    this.configuration = new EcrReplicationConfiguration(this, "configuration", {
      replicationConfiguration: {
        rule: props.rules.map((rule) => ({
          destination: rule.destinations.map((d) => ({ region: d.region, registryId: d.registryId ?? accountIdOf(this, props.accountId) })),
          repositoryFilter:
            rule.repositoryPrefixes.length > 0 ? rule.repositoryPrefixes.map((filter) => ({ filter, filterType: "PREFIX_MATCH" })) : undefined,
        })),
      },
    });
    this.configuration.overrideLogicalId(FEATURE_IDS.replication);

    for (const destination of props.crossAccountDestinations ?? []) {
      const name = replicationPolicyOutputName(destination.accountId, destination.region);
      const policy = replicationRegistryPolicy({
        partition: props.partition,
        region: destination.region,
        registryAccountId: destination.accountId,
        sourceAccountIds: [accountIdOf(this, props.accountId)],
      });
      new TerraformOutput(this, name, {
        value: JSON.stringify(policy),
        description: `Registry policy that account ${destination.accountId} must apply in ${destination.region} (aws ecr put-registry-policy) so this registry (${props.region}) can replicate into it`,
      }).overrideLogicalId(name);
    }
    for (const destination of props.replicaSettings ?? []) {
      const name = replicaSettingsOutputName(destination.accountId, destination.region);
      new TerraformOutput(this, name, {
        value: JSON.stringify(destination.document),
        description: `Settings that account ${destination.accountId} should give the replicas it receives in ${destination.region} from this registry (${props.region}): each repository's, and creation templates (docs/replication.md)`,
      }).overrideLogicalId(name);
    }
  }
}
