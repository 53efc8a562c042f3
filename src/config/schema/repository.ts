import { z } from "zod";
import { noRepeats } from "./unique";
import { encryptionSettingSchema } from "./aws";
import { consumerListSchema } from "./consumers";
import { repositoryNameSchema } from "./repository-name";
import { lifecycleSettingSchema } from "./lifecycle";
import { tagsSchema } from "./tags";
import { adoptSchema, adoptionIssues } from "./adoption";
import { groupNameSchema } from "./stack-groups";

export const TAG_MUTABILITY_VALUES = ["IMMUTABLE", "MUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"] as const;
export type TagMutability = (typeof TAG_MUTABILITY_VALUES)[number];

/** ECR tag filters for mutability exclusions: tag characters plus `*` wildcards, at most 128 characters. */
export const mutabilityExclusionSchema = z
  .string()
  .min(1)
  .max(128, { message: "exclusion filters must be at most 128 characters" })
  .regex(/^[a-zA-Z0-9._*-]+$/, { message: "exclusion filters may contain letters, digits, '.', '_', '-' and the '*' wildcard" })
  .meta({ title: "tag filter: letters, digits, . _ - and the * wildcard" });

export const encryptionSchema = encryptionSettingSchema({
  type: "KMS (customer managed key) or AES256 (S3-managed keys).",
  kmsKeyArn: "An existing KMS key to use instead of the environment's managed key. Only with type KMS.",
});

/** Tag filters exempt from the tag mutability mode (repositories and creation templates). */
export const mutabilityExclusionListSchema = z
  .array(mutabilityExclusionSchema)
  .min(1)
  .max(5, { message: "ECR allows at most 5 mutability exclusion filters" })
  .superRefine(noRepeats("exclusion filter"));
export type Encryption = z.infer<typeof encryptionSchema>;

export const repositorySchema = z
  .strictObject({
    name: repositoryNameSchema.describe("The ECR repository name, e.g. ai-models/llm-serving."),
    description: z.string().max(1024, { message: "descriptions must be at most 1024 characters" }).optional().describe("What the images in this repository are; shown in the descriptions of its Terraform outputs."),
    tagMutability: z
      .enum(TAG_MUTABILITY_VALUES)
      .default("IMMUTABLE")
      .describe("Whether image tags can be overwritten. IMMUTABLE keeps a model version's tag pointing at one image."),
    mutabilityExclusions: mutabilityExclusionListSchema
      .optional()
      .describe("Tag filters (e.g. latest, dev-*) exempt from tagMutability. Required with the *_WITH_EXCLUSION modes."),
    scanOnPush: z.boolean().default(true).describe("Scan each image for vulnerabilities when it is pushed."),
    encryption: encryptionSchema
      .optional()
      .describe(
        "How images are encrypted at rest. Required with adopt: the existing repository's encryption, which cannot change without replacing it. Default: KMS with the environment's managed key.",
      ),
    tags: tagsSchema.default({}).describe("Extra tags for this repository, merged over the registry's tags."),
    lifecycle: lifecycleSettingSchema
      .optional()
      .describe("This repository's lifecycle policy: enabled: false for none; protectedTags/rules replace the registry-wide ones. Default: the registry-wide lifecycle."),
    environments: z
      .array(z.string())
      .min(1)
      .superRefine(noRepeats("environment"))
      .optional()
      .describe("Names of the environments this repository exists in. Default: every environment."),
    consumers: consumerListSchema
      .optional()
      .describe("Who may push or pull this repository, in addition to the registry-wide consumers. See the consumer reference."),
    inheritConsumers: z
      .boolean()
      .default(true)
      .describe("Whether the registry-wide consumers apply to this repository. false: only its own consumers do."),
    renamedFrom: z
      .array(repositoryNameSchema)
      .min(1)
      .max(20, { message: "at most 20 earlier names" })
      .optional()
      .describe(
        "Earlier names of this repository in this config, oldest first. Terraform moves its resources to the new addresses (moved blocks) instead of replacing them; the ECR repository keeps the first name (unless awsName is given), because ECR cannot rename a repository.",
      ),
    awsName: repositoryNameSchema
      .optional()
      .describe(
        "The repository's name in AWS, when it differs from name: an existing repository's (a Pulumi-suffixed or legacy name). Every resource addresses the repository by it; Terraform addresses and outputs keep deriving from name. Wins over renamedFrom. Default: the first renamedFrom name, else name.",
      ),
    group: groupNameSchema
      .optional()
      .describe("The stack group of this repository: it goes in stack <project>-<environment>-<group>, with its own state (docs/stack-groups.md). Default: the stackGroups rule of its name, else the environment's own stack."),
    movedFromGroup: groupNameSchema
      .nullable()
      .optional()
      .describe("The group this repository was in before (null: the environment's own stack). The old stack forgets it (removed blocks) and the new one imports it, so the move destroys nothing; remove the key once both stacks are applied."),
    adopt: adoptSchema.describe(
      "Import the existing ECR repository awsName (or name) into Terraform instead of creating it (a Terraform import block), in every environment of this repository (true) or in the listed ones. An adopted repository gets prevent_destroy; its repository policy and lifecycle policy are replaced by this config's. Needs encryption. See docs/adopting.md.",
    ),
  })
  .superRefine((repo, ctx) => {
    const needsExclusions = repo.tagMutability.endsWith("_WITH_EXCLUSION");
    if (needsExclusions && !repo.mutabilityExclusions) {
      ctx.addIssue({
        code: "custom",
        path: ["mutabilityExclusions"],
        message: `is required when tagMutability is ${repo.tagMutability}`,
      });
    }
    if (!needsExclusions && repo.mutabilityExclusions) {
      ctx.addIssue({
        code: "custom",
        path: ["mutabilityExclusions"],
        message: `is only allowed with tagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION (got ${repo.tagMutability})`,
      });
    }
    for (const issue of adoptionIssues(repo)) ctx.addIssue({ code: "custom", ...issue });
  })
  // The default is filled in after the checks, so that adoptionIssues sees whether encryption was written.
  .transform((repo) => ({ ...repo, encryption: repo.encryption ?? { type: "KMS" as const } }));

export type RepositoryConfig = z.infer<typeof repositorySchema>;
