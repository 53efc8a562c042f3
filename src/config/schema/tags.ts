import { z } from "zod";

/** AWS's limits on resource tags, shared by every resource this project creates. */
export const TAG_LIMITS = {
  maxTagsPerResource: 50,
  maxKeyLength: 128,
  maxValueLength: 256,
} as const;

// AWS's documented tag character set: letters, numbers, spaces and _ . : / = + - @
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const tagKeySchema = z
  .string()
  .min(1, { message: "tag keys must not be empty" })
  .max(TAG_LIMITS.maxKeyLength, { message: `tag keys must be at most ${TAG_LIMITS.maxKeyLength} characters` })
  .regex(TAG_CHARACTERS, { message: "tag keys may contain only letters, numbers, spaces and _ . : / = + - @" })
  .refine((key) => !key.toLowerCase().startsWith("aws:"), { message: 'tag keys must not start with the reserved prefix "aws:"' });

const tagValueSchema = z
  .string({ message: "tag values must be strings (quote numbers and booleans)" })
  .max(TAG_LIMITS.maxValueLength, { message: `tag values must be at most ${TAG_LIMITS.maxValueLength} characters` })
  .regex(TAG_CHARACTERS, { message: "tag values may contain only letters, numbers, spaces and _ . : / = + - @" });

/** A map of tag key to value, checked against AWS's tag rules. */
export const tagsSchema = z.record(tagKeySchema, tagValueSchema).meta({ title: "tags: map of key to value" });

export type Tags = Record<string, string>;

/** Merges tag maps (later ones win) and returns them sorted by key, so output does not depend on config order. */
export function mergeTags(...maps: Array<Tags | undefined>): Tags {
  const merged: Tags = {};
  for (const map of maps) Object.assign(merged, map);
  return sortedTags(merged);
}

export function sortedTags(tags: Tags): Tags {
  return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The value of the `Purpose` tag, carried over from the seed. */
export const PURPOSE = "AI Model Storage";

/** The tags the AWS provider applies to every resource of an environment (`default_tags`). */
/** The value of the `ManagedBy` tag on everything this project creates. */
export const MANAGED_BY = "ecr-model-registry";

export function providerDefaultTags(project: string, environment: string, registryTags: Tags): Tags {
  return mergeTags({ Purpose: PURPOSE, ManagedBy: MANAGED_BY, Project: project, Environment: environment }, registryTags);
}

/** The value of the `Purpose` tag on the state bootstrap stack's resources. */
export const STATE_PURPOSE = "Terraform state";

/** The tags of the state bootstrap stack's resources: no `Environment`, the bucket serves them all. */
export function stateProviderDefaultTags(project: string, registryTags: Tags): Tags {
  return mergeTags({ Purpose: STATE_PURPOSE, ManagedBy: MANAGED_BY, Project: project }, registryTags);
}

/** The tags set on a repository resource itself. */
export function repositoryTags(repositoryTagsFromConfig: Tags): Tags {
  return mergeTags({ Purpose: PURPOSE }, repositoryTagsFromConfig);
}
