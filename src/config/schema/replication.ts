import { z } from "zod";
import { noRepeats } from "./unique";
import { accountIdSchema, kmsKeyArnSchema, regionSchema } from "./aws";
import { environmentSelectionSchema } from "./selection";

/** ECR's replication limits (user guide, "Considerations for private image replication"). */
export const REPLICATION_LIMITS = {
  rulesPerConfiguration: 10,
  uniqueDestinations: 25,
  destinationsPerRule: 25,
  filtersPerRule: 100,
} as const;

/** ECR's pattern for a `PREFIX_MATCH` repository filter (API reference, RepositoryFilter). */
const REPOSITORY_FILTER_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*\/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$/;

/** The start of a repository name (replication filters, stack group rules). */
export const repositoryPrefixSchema = z
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

