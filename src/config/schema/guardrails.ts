import { z } from "zod";

/**
 * The id of every guardrail rule, in catalogue order: the names waivers use, so they never change.
 * The catalogue (`guardrails/rules.ts`) gives each its check; the ids live here so validating a
 * config does not load the rules, which read synthesized stacks.
 */
export const GUARDRAIL_RULE_IDS = [
  "ecr-scan-on-push",
  "ecr-tag-immutability",
  "ecr-lifecycle-policy",
  "ecr-kms-encryption",
  "ecr-policy-no-public-access",
  "policy-no-wildcard-actions",
  "ecr-no-force-delete",
  "prevent-destroy",
  "kms-key-rotation",
  "state-backend-encryption",
  "state-backend-locking",
  "s3-bucket-public-access-block",
  "s3-bucket-tls-only",
  "s3-bucket-versioning",
  "sns-topic-encryption",
  "eventbridge-topic-key",
  "pull-through-cache-template",
  "pull-through-cache-mutable-tags",
  "pull-through-cache-access",
  "signing-profile-signers",
  "ecr-replica-governed",
] as const;

export type GuardrailRuleId = (typeof GUARDRAIL_RULE_IDS)[number];

/** A waiver's reason must say why; a word or two does not. */
export const MIN_WAIVER_REASON_LENGTH = 20;

const nameList = (what: string) =>
  z
    .array(z.string())
    .min(1, { message: `list at least one ${what}, or leave the key out` })
    .refine((names) => new Set(names).size === names.length, { message: `lists a ${what} twice` });

export const waiverSchema = z.strictObject({
  rule: z
    .enum(GUARDRAIL_RULE_IDS)
    .meta({ title: "a rule id from docs/guardrails.md" })
    .describe("The id of the guardrail rule to waive (docs/guardrails.md lists them)."),
  environments: nameList("environment")
    .optional()
    .describe("Environments where the waiver applies. Default: every environment (and, for rules of the state stack, that stack)."),
  repositories: nameList("repository")
    .optional()
    .describe("Repositories (names in this config) the waiver applies to. Default: everything the rule checks, unless creationTemplates is given."),
  creationTemplates: nameList("creation template prefix")
    .optional()
    .describe("Creation templates (their prefix) the waiver applies to. Default: everything the rule checks, unless repositories is given."),
  reason: z
    .string()
    .refine((reason) => reason.trim().length >= MIN_WAIVER_REASON_LENGTH, {
      message: `say why the rule does not apply here, in at least ${MIN_WAIVER_REASON_LENGTH} characters; a waiver without a reason is not accepted`,
    })
    .describe(`Why the rule does not apply here (at least ${MIN_WAIVER_REASON_LENGTH} characters). Listed in the synth output and in guardrails.json.`),
});

export type WaiverConfig = z.infer<typeof waiverSchema>;

export const guardrailsSchema = z.strictObject({
  waivers: z
    .array(waiverSchema)
    .default([])
    .describe("Guardrail rules waived for some repositories, creation templates or environments, each with a written reason."),
});

export type GuardrailsConfig = z.infer<typeof guardrailsSchema>;

