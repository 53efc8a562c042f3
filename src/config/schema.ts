import { z } from "zod";
import { refineRepositoryPolicies } from "../access/repository-policy";
import { accountIdSchema, regionSchema } from "./aws";
import { consumerListSchema, refineConsumers } from "./consumers";
import { checkRenamesAndRetirements, retiredSchema } from "./data-safety";
import { checkAdoption } from "./adoption";
import { environmentSchema } from "./environment";
import { notificationsSchema, validateNotifications } from "./notifications";
import { pullThroughCacheSchema, validatePullThroughCache } from "./pull-through-cache";
import { replicationSchema, validateReplication } from "./replication";
import { validateReplicas } from "./replicas";
import { checkRegistrySettingsOwners, checkRoleAccounts, checkStateLocations } from "./environment-rules";
import { repositorySchema } from "./repository";
import { resolveEnvironments } from "./resolve";
import { scanningIssues, scanningSchema } from "./scanning";
import { signingSchema, validateSigning } from "./signing";
import { creationTemplateIssues, creationTemplateSchema } from "./creation-templates";
import { lifecycleConfigIssues, lifecycleSettingSchema } from "./lifecycle";
import { stateSchema } from "./state";
import { checkStateBackend } from "./backend";
import { TAG_LIMITS, providerDefaultTags, repositoryTags, tagsSchema } from "./tags";
import { checkGuardrailWaivers, guardrailsSchema } from "./guardrails";
import { unknownEnvironment } from "./suggest";

export const projectNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/, {
    message: "project names must be 2-40 lowercase letters, digits or '-', starting with a letter",
  })
  .meta({ title: "project name: 2–40 of a-z 0-9 -, starting with a letter" });

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
    guardrails: guardrailsSchema
      .default({ waivers: [] })
      .describe("Security guardrails checked on the synthesized stacks (docs/guardrails.md): waivers, each with a reason."),
  })
  .superRefine((config, ctx) => {
    const environmentNames = config.environments.map((e) => e.name);

    reportDuplicates(environmentNames, "environment", (i) => ["environments", i, "name"], ctx);
    reportDuplicates(
      config.repositories.map((r) => r.name),
      "repository",
      (i) => ["repositories", i, "name"],
      ctx,
    );

    checkStateBackend(config, ctx);
    checkRenamesAndRetirements(config, ctx);
    checkAdoption(config, ctx);

    const resolved = resolveEnvironments(config);
    checkRoleAccounts(config, config.environments, ctx);
    checkRegistrySettingsOwners(resolved, ctx);
    checkStateLocations(resolved, config.environments, ctx);

    for (const issue of [...scanningIssues(config), ...lifecycleConfigIssues(config), ...creationTemplateIssues(config)])
      ctx.addIssue({ code: "custom", path: [...issue.path], message: issue.message });

    refineConsumers(config, ctx);
    refineRepositoryPolicies(config, ctx);

    // The provider's default tag keys of each environment, the same for every repository.
    const defaultTagKeys = config.environments.map((env) => Object.keys(providerDefaultTags(config.project, env.name, config.tags)));
    config.repositories.forEach((repo, i) => {
      repo.environments?.forEach((name, j) => {
        if (!environmentNames.includes(name))
          ctx.addIssue({
            code: "custom",
            path: ["repositories", i, "environments", j],
            message: unknownEnvironment(name, environmentNames),
          });
      });
      const ownTagKeys = Object.keys(repositoryTags(repo.tags));
      for (const keys of defaultTagKeys) {
        const effective = new Set([...keys, ...ownTagKeys]);
        if (effective.size > TAG_LIMITS.maxTagsPerResource) {
          ctx.addIssue({
            code: "custom",
            path: ["repositories", i, "tags"],
            message: `the repository would carry ${effective.size} tags with the registry's default tags; AWS allows at most ${TAG_LIMITS.maxTagsPerResource}`,
          });
          break;
        }
      }
    });

    validateReplication(config, ctx);
    validateReplicas(config, ctx);
    validatePullThroughCache(config, ctx);
    validateNotifications(config, ctx);
    validateSigning(config, ctx);
    checkGuardrailWaivers(config, ctx);
  });

function reportDuplicates(
  values: string[],
  what: string,
  pathOf: (index: number) => Array<string | number>,
  ctx: z.RefinementCtx,
): void {
  const firstIndex = new Map<string, number>();
  values.forEach((value, i) => {
    const first = firstIndex.get(value);
    if (first === undefined) firstIndex.set(value, i);
    else ctx.addIssue({ code: "custom", path: pathOf(i), message: `duplicate ${what} name "${value}" (first declared at index ${first})` });
  });
}

export type RegistryConfig = z.infer<typeof registryConfigSchema>;
