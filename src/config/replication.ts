import { z } from "zod";
import { noRepeats } from "./unique";
import { Partition, accountIdSchema, kmsKeyArnSchema, partitionOf, regionSchema } from "./aws";
import { ResolvedEnvironment, resolveEnvironments } from "./resolve";
import type { RegistryConfig } from "./schema";
import { checkEnvironmentSelection, environmentSelectionSchema, selectedEnvironments } from "./selection";
import { unknownEnvironment } from "./suggest";

/** ECR's replication limits (user guide, "Considerations for private image replication"). */
export const REPLICATION_LIMITS = {
  rulesPerConfiguration: 10,
  uniqueDestinations: 25,
  destinationsPerRule: 25,
  filtersPerRule: 100,
} as const;

/** ECR's pattern for a `PREFIX_MATCH` repository filter (API reference, RepositoryFilter). */
const REPOSITORY_FILTER_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*\/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$/;

const repositoryPrefixSchema = z
  .string()
  .min(2, { message: "repository prefixes must be 2 to 256 characters" })
  .max(256, { message: "repository prefixes must be 2 to 256 characters" })
  .regex(REPOSITORY_FILTER_PATTERN, {
    message: "must be the start of a repository name: lowercase letters, digits, '.', '_', '-' and '/' (e.g. ai-models/)",
  });

const destinationSchema = z.strictObject({
  region: regionSchema.describe("Region to replicate to."),
  accountId: accountIdSchema
    .optional()
    .describe("Account to replicate to. Default: the source environment's own account (cross-Region replication)."),
  kmsKeyArn: kmsKeyArnSchema
    .optional()
    .describe("Key in this region for the replicas of KMS-encrypted repositories (KMS keys are regional). Default: a managed key per environment and region."),
  manageReplicas: z
    .boolean()
    .default(true)
    .describe(
      "Declare the replica repositories here with the source repositories' settings (only for accounts of this config; docs/replication.md). false leaves them to ECR's defaults, which the guardrail ecr-replica-governed fails unless waived.",
    ),
});

const ruleSchema = z.strictObject({
  environments: environmentSelectionSchema
    .optional()
    .describe("Source environments this rule applies to. Default: every environment that manages registry settings."),
  repositoryPrefixes: z
    .array(repositoryPrefixSchema)
    .min(1)
    .max(REPLICATION_LIMITS.filtersPerRule, { message: `ECR allows at most ${REPLICATION_LIMITS.filtersPerRule} repository filters per rule` })
    .optional()
    .describe("Replicate only repositories whose names start with one of these (ECR PREFIX_MATCH filters). Default: every repository."),
  destinations: z
    .array(destinationSchema)
    .min(1, { message: "list at least one destination" })
    .max(REPLICATION_LIMITS.destinationsPerRule, {
      message: `ECR allows at most ${REPLICATION_LIMITS.destinationsPerRule} destinations per rule`,
    })
    .describe("Where images are copied to: a region, and an account for cross-account replication."),
});

const acceptFromSchema = z.strictObject({
  environment: z.string().describe("The environment whose registry receives the replicas."),
  sourceAccounts: z
    .array(accountIdSchema)
    .min(1, { message: "list at least one source account" })
    .describe("Accounts (outside this config) allowed to replicate into that environment's registry."),
});

export const replicationSchema = z.strictObject({
  rules: z
    .array(ruleSchema)
    .max(REPLICATION_LIMITS.rulesPerConfiguration, {
      message: `ECR allows at most ${REPLICATION_LIMITS.rulesPerConfiguration} replication rules per registry`,
    })
    .default([])
    .describe("Replication rules of the source registries."),
  acceptFrom: z
    .array(acceptFromSchema)
    .default([])
    .describe("Source accounts outside this config that may replicate into an environment's registry (sources declared here are found automatically)."),
  retiredRegions: z
    .array(regionSchema)
    .superRefine(noRepeats("region"))
    .default([])
    .describe(
      "Regions whose replicas Terraform should forget without destroying them (removed blocks with destroy = false) when a stack no longer declares replicas there: the repositories, their images and the KMS key stay in AWS. Required before a replica region leaves a protected environment.",
    ),
  creationTemplates: z
    .boolean()
    .default(false)
    .describe(
      "Also declare a REPLICATION repository creation template in each replica registry this config manages, one per rule prefix (ROOT for a rule without prefixes), for repositories replicated before a synth declares them.",
    ),
});

export type ReplicationConfig = z.infer<typeof replicationSchema>;

/** A destination with its account resolved; `registryId` is undefined for "this environment's own account" when that is not known. */
export interface ReplicationDestination {
  readonly region: string;
  readonly registryId?: string;
}

/** One environment's replication configuration, ready for the `RegistryReplication` construct. */
export interface ReplicationPlan {
  readonly partition: Partition;
  readonly region: string;
  readonly accountId?: string;
  readonly rules: ReadonlyArray<{ readonly repositoryPrefixes: readonly string[]; readonly destinations: readonly ReplicationDestination[] }>;
  /** Cross-account destinations, each needing a registry policy in its account. */
  readonly crossAccountDestinations: ReadonlyArray<{ readonly accountId: string; readonly region: string }>;
}

function destinationOf(destination: { region: string; accountId?: string }, source: ResolvedEnvironment): ReplicationDestination {
  return { region: destination.region, registryId: destination.accountId ?? source.accountId };
}

function isCrossAccount(destination: { accountId?: string }, source: ResolvedEnvironment): destination is { accountId: string } {
  return destination.accountId !== undefined && destination.accountId !== source.accountId;
}

function rulesOf(config: RegistryConfig, environment: ResolvedEnvironment) {
  if (!environment.manageRegistrySettings) return [];
  return (config.replication?.rules ?? []).filter((rule) =>
    selectedEnvironments(config, rule.environments, "registry-wide").some((e) => e.name === environment.name),
  );
}

/** The replication configuration of an environment's registry, or undefined when it replicates nothing. */
export function replicationFor(config: RegistryConfig, environment: ResolvedEnvironment): ReplicationPlan | undefined {
  const rules = rulesOf(config, environment);
  if (rules.length === 0) return undefined;
  const crossAccount = new Map<string, { accountId: string; region: string }>();
  for (const rule of rules) {
    for (const destination of rule.destinations) {
      if (isCrossAccount(destination, environment)) {
        crossAccount.set(`${destination.accountId} ${destination.region}`, { accountId: destination.accountId, region: destination.region });
      }
    }
  }
  return {
    partition: partitionOf(environment.region),
    region: environment.region,
    accountId: environment.accountId,
    rules: rules.map((rule) => ({
      repositoryPrefixes: rule.repositoryPrefixes ?? [],
      destinations: rule.destinations.map((d) => destinationOf(d, environment)),
    })),
    crossAccountDestinations: [...crossAccount.keys()].sort().map((key) => crossAccount.get(key)!),
  };
}

/** The registry policy of an environment that receives cross-account replicas. */
export interface InboundReplicationPlan {
  readonly partition: Partition;
  readonly region: string;
  readonly accountId?: string;
  readonly sourceAccountIds: readonly string[];
}

/**
 * Who may replicate into an environment's registry: every environment of this config whose
 * rules name this registry (its account and region) as a cross-account destination, plus
 * `acceptFrom`. Only the environment that manages the registry's settings owns its policy.
 */
export function inboundReplicationFor(config: RegistryConfig, environment: ResolvedEnvironment): InboundReplicationPlan | undefined {
  const sourceAccountIds = replicationSourcesOf(config, environment);
  if (sourceAccountIds.length === 0) return undefined;
  return { partition: partitionOf(environment.region), region: environment.region, accountId: environment.accountId, sourceAccountIds };
}

function replicationSourcesOf(config: RegistryConfig, environment: ResolvedEnvironment): string[] {
  if (!environment.manageRegistrySettings) return [];
  const sources = new Set<string>();
  for (const entry of config.replication?.acceptFrom ?? []) {
    if (entry.environment === environment.name) entry.sourceAccounts.forEach((a) => sources.add(a));
  }
  if (environment.accountId) {
    for (const source of resolveEnvironments(config)) {
      for (const rule of rulesOf(config, source)) {
        for (const destination of rule.destinations) {
          if (isCrossAccount(destination, source) && destination.accountId === environment.accountId && destination.region === environment.region) {
            sources.add(source.accountId!);
          }
        }
      }
    }
  }
  return [...sources].sort();
}

/** Cross-field rules: sources, destinations, partitions and ECR's limits. */
export function validateReplication(config: RegistryConfig, ctx: z.RefinementCtx): void {
  const replication = config.replication;
  if (!replication) return;
  const environments = resolveEnvironments(config);

  const ruleTexts = replication.rules.map((rule) => JSON.stringify(rule));
  replication.rules.forEach((rule, i) => {
    const at = (...rest: Array<string | number>) => ["replication", "rules", i, ...rest];
    if (ruleTexts.indexOf(ruleTexts[i]) !== i)
      ctx.addIssue({ code: "custom", path: at(), message: `repeats rules[${ruleTexts.indexOf(ruleTexts[i])}]; a rule given twice replicates nothing more` });
    checkEnvironmentSelection(config, rule.environments, at("environments"), "replication", "registry-wide", ctx);
    reportRepeats(rule.repositoryPrefixes ?? [], (j) => at("repositoryPrefixes", j), "repository prefix", ctx);
    reportRepeats(
      rule.destinations.map((d) => `${d.accountId ?? "its own account"} in ${d.region}`),
      (j) => at("destinations", j),
      "destination",
      ctx,
    );

    const sources = selectedEnvironments(config, rule.environments, "registry-wide");
    rule.destinations.forEach((destination, j) => {
      for (const source of sources) {
        const problem = destinationProblem(destination, source, config);
        if (problem) {
          ctx.addIssue({ code: "custom", path: at("destinations", j, problem.field), message: problem.message });
          break;
        }
      }
    });
  });

  for (const environment of environments) {
    const unique = new Set(
      rulesOf(config, environment).flatMap((rule) => rule.destinations.map((d) => `${d.accountId ?? environment.accountId ?? "self"} ${d.region}`)),
    );
    if (unique.size > REPLICATION_LIMITS.uniqueDestinations) {
      ctx.addIssue({
        code: "custom",
        path: ["replication", "rules"],
        message: `environment ${environment.name} would replicate to ${unique.size} unique destinations; ECR allows at most ${REPLICATION_LIMITS.uniqueDestinations} across all rules`,
      });
    }
  }

  replication.acceptFrom.forEach((entry, i) => {
    const at = (...rest: Array<string | number>) => ["replication", "acceptFrom", i, ...rest];
    const environment = environments.find((e) => e.name === entry.environment);
    if (!environment) {
      ctx.addIssue({
        code: "custom",
        path: at("environment"),
        message: unknownEnvironment(entry.environment, environments.map((e) => e.name)),
      });
      return;
    }
    if (replication.acceptFrom.findIndex((e) => e.environment === entry.environment) !== i) {
      ctx.addIssue({ code: "custom", path: at("environment"), message: `environment "${entry.environment}" already has an acceptFrom entry; merge them` });
    } else if (!environment.manageRegistrySettings) {
      ctx.addIssue({
        code: "custom",
        path: at("environment"),
        message: `the registry policy is a registry-wide setting, but environment "${entry.environment}" has manageRegistrySettings: false; name the environment that manages this registry`,
      });
    }
    reportRepeats(entry.sourceAccounts, (j) => at("sourceAccounts", j), "source account", ctx);
    entry.sourceAccounts.forEach((account, j) => {
      if (account === environment.accountId) {
        ctx.addIssue({
          code: "custom",
          path: at("sourceAccounts", j),
          message: `is environment ${environment.name}'s own account; replication within an account needs no registry policy`,
        });
      }
    });
  });
}

function destinationProblem(
  destination: { region: string; accountId?: string },
  source: ResolvedEnvironment,
  config: RegistryConfig,
): { field: "region" | "accountId"; message: string } | undefined {
  const sourcePartition = partitionOf(source.region);
  const destinationPartition = partitionOf(destination.region);
  if (sourcePartition !== destinationPartition) {
    return {
      field: "region",
      message: `is in partition ${destinationPartition} but source environment ${source.name} is in ${sourcePartition}; ECR cannot replicate across partitions`,
    };
  }
  if (destination.accountId !== undefined && source.accountId === undefined) {
    const index = config.environments.findIndex((e) => e.name === source.name);
    return {
      field: "accountId",
      message: `cross-account replication from environment ${source.name} needs its account id (set environments[${index}].accountId or accountId): it names the source in the destination's registry policy`,
    };
  }
  if (!isCrossAccount(destination, source) && destination.region === source.region) {
    return {
      field: "region",
      message: `is the region of source environment ${source.name} in its own account; a registry cannot replicate to itself (name another region or another account)`,
    };
  }
  return undefined;
}

function reportRepeats(
  values: readonly string[],
  pathOf: (index: number) => Array<string | number>,
  what: string,
  ctx: z.RefinementCtx,
): void {
  values.forEach((value, j) => {
    const first = values.indexOf(value);
    if (first !== j) ctx.addIssue({ code: "custom", path: pathOf(j), message: `duplicate ${what} (same as index ${first})` });
  });
}
