import { z } from "zod";
import { lifecycleSettingSchema } from "./lifecycle";
import { TAG_MUTABILITY_VALUES, TagMutability, encryptionSchema, mutabilityExclusionListSchema } from "./repository";
import { PURPOSE, Tags, mergeTags, tagsSchema } from "./tags";

/** The prefix that makes a template apply to every repository no other template's prefix matches. */
export const ROOT_PREFIX = "ROOT";

/** What a template applies to. ECR also has CREATE_ON_PUSH, which the pinned AWS provider (6.25.0) rejects. */
export const APPLIED_FOR_VALUES = ["PULL_THROUGH_CACHE", "REPLICATION"] as const;
export type AppliedFor = (typeof APPLIED_FOR_VALUES)[number];

/** ECR's template description limit. */
export const MAX_TEMPLATE_DESCRIPTION = 256;

const PREFIX_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

const prefixSchema = z
  .string()
  .max(256, { message: "prefixes must be at most 256 characters" })
  .refine((prefix) => prefix === ROOT_PREFIX || PREFIX_PATTERN.test(prefix), {
    message: "must be ROOT or a repository namespace such as ecr-public or base-images/quay, without a trailing '/' (ECR adds it)",
  });

const appliedForSchema = z.string().superRefine((value, ctx) => {
  if (value === "CREATE_ON_PUSH")
    ctx.addIssue({
      code: "custom",
      message: "CREATE_ON_PUSH is not accepted by the pinned AWS provider 6.25.0 (ECR added it in December 2025, after that release)",
    });
  else if (!(APPLIED_FOR_VALUES as readonly string[]).includes(value))
    ctx.addIssue({ code: "custom", message: `must be one of ${APPLIED_FOR_VALUES.map((v) => JSON.stringify(v)).join(", ")} (got ${JSON.stringify(value)})` });
});

export const creationTemplateSchema = z
  .strictObject({
    prefix: prefixSchema.describe("Repositories whose names start with <prefix>/ get these settings; ROOT: every repository no other template matches."),
    appliedFor: z
      .array(appliedForSchema)
      .min(1, { message: "name at least one of PULL_THROUGH_CACHE, REPLICATION" })
      .refine((values) => new Set(values).size === values.length, { message: "lists a value twice" })
      .describe("Which ECR features create repositories from this template: PULL_THROUGH_CACHE, REPLICATION."),
    description: z
      .string()
      .max(MAX_TEMPLATE_DESCRIPTION, { message: `template descriptions must be at most ${MAX_TEMPLATE_DESCRIPTION} characters` })
      .optional()
      .describe("Shown in the ECR console. Default: generated from prefix and appliedFor."),
    tagMutability: z
      .enum(TAG_MUTABILITY_VALUES)
      .optional()
      .describe(
        "Tag mutability of created repositories. Default: MUTABLE for templates applied for PULL_THROUGH_CACHE (ECR cannot refresh a cached tag in an immutable repository), else IMMUTABLE.",
      ),
    mutabilityExclusions: mutabilityExclusionListSchema
      .optional()
      .describe("Tag filters exempt from tagMutability; required with the *_WITH_EXCLUSION modes."),
    encryption: encryptionSchema.default({ type: "KMS" }).describe("Encryption of created repositories. Default: KMS with the environment's managed key."),
    lifecycle: lifecycleSettingSchema
      .optional()
      .describe("Lifecycle policy of created repositories, as for repositories. Default: the registry-wide lifecycle."),
    tags: tagsSchema.default({}).describe("Extra tags for created repositories, over Purpose, Project, Environment and the registry's tags."),
  })
  .superRefine((template, ctx) => {
    const needsExclusions = template.tagMutability?.endsWith("_WITH_EXCLUSION") ?? false;
    if (needsExclusions && !template.mutabilityExclusions)
      ctx.addIssue({ code: "custom", path: ["mutabilityExclusions"], message: `is required when tagMutability is ${template.tagMutability}` });
    if (!needsExclusions && template.mutabilityExclusions)
      ctx.addIssue({
        code: "custom",
        path: ["mutabilityExclusions"],
        message: `is only allowed with tagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION (got ${template.tagMutability ?? templateTagMutability(template)})`,
      });
  });

export type CreationTemplateConfig = z.infer<typeof creationTemplateSchema>;

/**
 * A template's tag mutability: its own, else MUTABLE for pull-through cache templates and
 * IMMUTABLE for the others. ECR refreshes a cached image by writing the upstream's new image
 * under the same tag, which tag immutability prevents (ECR user guide, pull through cache
 * considerations); users pin base images by digest instead.
 */
export function templateTagMutability(template: Pick<CreationTemplateConfig, "tagMutability" | "appliedFor">): TagMutability {
  return template.tagMutability ?? (template.appliedFor.includes("PULL_THROUGH_CACHE") ? "MUTABLE" : "IMMUTABLE");
}

/**
 * Tags ECR puts on the repositories a template creates. Those repositories are not managed by
 * Terraform, so the provider's default tags do not reach them and `ManagedBy` would be untrue.
 */
export function creationTemplateTags(project: string, environment: string, registryTags: Tags, templateTags: Tags): Tags {
  return mergeTags({ Purpose: PURPOSE, Project: project, Environment: environment }, registryTags, templateTags);
}

/**
 * The template ECR applies to the repositories a pull-through cache rule creates under `prefix`:
 * the pull-through cache template with the longest prefix that covers it, ROOT last.
 */
export function cacheTemplateFor<T extends Pick<CreationTemplateConfig, "prefix" | "appliedFor">>(templates: readonly T[], prefix: string): T | undefined {
  const covering = templates.filter(
    (t) => t.appliedFor.includes("PULL_THROUGH_CACHE") && (t.prefix === ROOT_PREFIX || `${prefix}/`.startsWith(`${t.prefix}/`)),
  );
  const depth = (t: T) => (t.prefix === ROOT_PREFIX ? -1 : t.prefix.length);
  return covering.sort((a, b) => depth(b) - depth(a))[0];
}

/** The scan filter that matches the repositories a template creates (ROOT: all of them). */
export function templateScanFilter(prefix: string): string {
  return prefix === ROOT_PREFIX ? "*" : `${prefix}/*`;
}

