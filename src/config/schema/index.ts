import { z } from "zod";
import { accountIdSchema, regionSchema } from "./aws";
import { consumerListSchema } from "./consumers";
import { creationTemplateSchema } from "./creation-templates";
import { retiredSchema } from "./data-safety";
import { environmentSchema } from "./environment";
import { guardrailsSchema } from "./guardrails";
import { lifecycleSettingSchema } from "./lifecycle";
import { notificationsSchema } from "./notifications";
import { pullThroughCacheSchema } from "./pull-through-cache";
import { replicationSchema } from "./replication";
import { repositorySchema } from "./repository";
import { scanningSchema } from "./scanning";
import { signingSchema } from "./signing";
import { DEFAULT_MAX_STACK_RESOURCES, stackGroupsSchema } from "./stack-groups";
import { stateSchema } from "./state";
import { tagsSchema } from "./tags";

export const projectNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/, {
    message: "project names must be 2-40 lowercase letters, digits or '-', starting with a letter",
  })
  .meta({ title: "project name: 2–40 of a-z 0-9 -, starting with a letter" });

/**
 * The config file's schema, field by field. Rules across fields (unique names, environments that
 * exist, policy sizes, ...) are the checks of `src/checks/`, run with it by `parseConfig`.
 */
export const registryConfigSchema = z
  .strictObject({
    project: projectNameSchema.describe("Prefixes stack names (<project>-<environment>) and state keys."),
    region: regionSchema.describe("Default AWS region of every environment."),
    accountId: accountIdSchema.optional().describe("Account of every environment that does not name its own; the provider then refuses other accounts (allowed_account_ids)."),
    state: stateSchema.describe("Where Terraform keeps state: an S3 bucket with native locking (default) or HCP Terraform."),
    environments: z.array(environmentSchema).min(1, { message: "declare at least one environment" }).describe("Environments, one stack each. Names must be unique."),
    tags: tagsSchema.default({}).describe("Tags applied to every resource (provider default_tags)."),
    scanning: scanningSchema.default({ type: "BASIC", basicScanTypeVersion: "AWS_NATIVE" }).describe("Registry-wide image scanning."),
    repositories: z.array(repositorySchema).min(1, { message: "declare at least one repository" }).describe("The model repositories. Names must be unique."),
    consumers: consumerListSchema
      .optional()
      .describe("Consumers every repository inherits (unless it sets inheritConsumers: false). See the consumer reference."),
    identityPolicies: z
      .boolean()
      .default(false)
      .describe("Also create an IAM policy per repository and level (push, pull) held by a same-account consumer, and output its ARN."),
    retired: retiredSchema,
    replication: replicationSchema.optional().describe("Registry replication to other regions and accounts."),
    pullThroughCache: pullThroughCacheSchema.optional().describe("Pull-through cache rules for upstream registries."),
    notifications: notificationsSchema.optional().describe("Notifications of image scan findings by severity."),
    signing: signingSchema.optional().describe("An AWS Signer profile for signing model images with Notation."),
    lifecycle: lifecycleSettingSchema
      .default({})
      .describe("Registry-wide default lifecycle policy of repositories (enabled: false for none). Default: protect prod-*/release-*, expire untagged after 14 days, keep the last 30 tagged."),
    repositoryCreationTemplates: z
      .array(creationTemplateSchema)
      .default([])
      .describe("Settings for repositories ECR creates itself (pull-through cache, replication); registry-wide, so only in environments that manage registry settings."),
    stackGroups: stackGroupsSchema
      .default({ rules: [], maxResources: DEFAULT_MAX_STACK_RESOURCES, failOnExcess: false })
      .describe("Splitting environments into several stacks by repository group, and the stack size guard (docs/stack-groups.md)."),
    guardrails: guardrailsSchema
      .default({ waivers: [] })
      .describe("Security guardrails checked on the synthesized stacks (docs/guardrails.md): waivers, each with a reason."),
  });

export type RegistryConfig = z.infer<typeof registryConfigSchema>;
