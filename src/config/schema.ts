import { z } from "zod";
import { accountIdSchema, regionSchema } from "./aws";
import { environmentSchema } from "./environment";
import { checkRegistrySettingsOwners, checkRoleAccounts, checkStateLocations } from "./environment-rules";
import { repositorySchema } from "./repository";
import { MAX_SCANNING_FILTERS, scanOnPushFilters, scanningSchema } from "./scanning";
import { resolveEnvironments } from "./resolve";
import { stateSchema } from "./state";
import { TAG_LIMITS, providerDefaultTags, repositoryTags, tagsSchema } from "./tags";

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
    state: stateSchema.describe("Where Terraform keeps state (S3 backend, native locking)."),
    environments: z.array(environmentSchema).min(1, { message: "declare at least one environment" }).describe("Environments, one stack each. Names must be unique."),
    tags: tagsSchema.default({}).describe("Tags applied to every resource (provider default_tags)."),
    scanning: scanningSchema.default({ type: "BASIC" }).describe("Registry-wide image scanning."),
    repositories: z.array(repositorySchema).min(1, { message: "declare at least one repository" }).describe("The model repositories. Names must be unique."),
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

    const resolved = resolveEnvironments(config);
    checkRoleAccounts(config, config.environments, ctx);
    checkRegistrySettingsOwners(resolved, ctx);
    checkStateLocations(resolved, config.environments, ctx);

    for (const env of resolved) {
      if (!env.manageRegistrySettings) continue;
      const filters = scanOnPushFilters(env.repositories);
      if (filters.length > MAX_SCANNING_FILTERS)
        ctx.addIssue({
          code: "custom",
          path: ["repositories"],
          message: `in environment ${env.name}, ${filters.length} repositories scan on push and others do not; ECR's scan-on-push rule takes at most ${MAX_SCANNING_FILTERS} repository filters, so turn scanOnPush on for all of them or off for fewer`,
        });
    }

    config.repositories.forEach((repo, i) => {
      repo.environments?.forEach((name, j) => {
        if (!environmentNames.includes(name))
          ctx.addIssue({
            code: "custom",
            path: ["repositories", i, "environments", j],
            message: `unknown environment "${name}" (declared: ${environmentNames.join(", ")})`,
          });
      });
      for (const env of config.environments) {
        const effective = new Set([
          ...Object.keys(providerDefaultTags(config.project, env.name, config.tags)),
          ...Object.keys(repositoryTags(repo.tags)),
        ]);
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
