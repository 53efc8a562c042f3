import { z } from "zod";
import { repositoryPrefixSchema } from "./replication";

/**
 * Stack groups (docs/stack-groups.md): an environment's repositories split over several stacks,
 * `<project>-<environment>-<group>`, each with its own state, so a plan refreshes only the
 * repositories of the stacks a change touches.
 */

/** A group name: the suffix of its stack name and a segment of its state key. */
export const groupNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, { message: "group names must be 2-32 lowercase letters, digits or '-', starting with a letter" })
  .meta({ title: "group name: 2–32 of a-z 0-9 -, starting with a letter" });

/** The resources a stack may hold before synth warns (or, with `failOnExcess`, refuses). */
export const DEFAULT_MAX_STACK_RESOURCES = 500;

export const stackGroupRuleSchema = z.strictObject({
  prefix: repositoryPrefixSchema.describe("Repositories whose name starts with this (e.g. llm/) go in the group, unless they name a group themselves."),
  group: groupNameSchema.describe("The group of those repositories."),
});

export const stackGroupsSchema = z.strictObject({
  rules: z
    .array(stackGroupRuleSchema)
    .default([])
    .describe("Groups by repository name prefix; the longest matching prefix wins, and a repository's own group wins over every rule."),
  maxResources: z
    .number()
    .int()
    .min(1)
    .default(DEFAULT_MAX_STACK_RESOURCES)
    .describe(`Synth warns when a stack holds more resources than this and names repositories to group.`),
  failOnExcess: z.boolean().default(false).describe("Make a stack over maxResources an error instead of a warning."),
});

export type StackGroupsConfig = z.infer<typeof stackGroupsSchema>;

/** The group of a repository: its own `group`, else the longest matching `stackGroups.rules` prefix; undefined: the environment's own stack. */
export function groupOf(repository: { name: string; group?: string }, rules: readonly { prefix: string; group: string }[]): string | undefined {
  if (repository.group !== undefined) return repository.group;
  let best: { prefix: string; group: string } | undefined;
  for (const rule of rules) if (repository.name.startsWith(rule.prefix) && (!best || rule.prefix.length > best.prefix.length)) best = rule;
  return best?.group;
}
