import { z } from "zod";
import { GUARDRAIL_RULES, GUARDRAIL_RULE_IDS, SubjectKind } from "../guardrails/rules";
import { resolveEnvironments } from "./resolve";
import type { RegistryConfig } from "./schema";
import { unknownEnvironment } from "./suggest";

/** A waiver's reason must say why; a word or two does not. */
export const MIN_WAIVER_REASON_LENGTH = 20;

const nameList = (what: string) =>
  z
    .array(z.string())
    .min(1, { message: `list at least one ${what}, or leave the key out` })
    .refine((names) => new Set(names).size === names.length, { message: `lists a ${what} twice` });

export const waiverSchema = z.strictObject({
  rule: z
    .enum(GUARDRAIL_RULE_IDS as [string, ...string[]])
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

const SCOPE_KEYS: ReadonlyArray<{ key: "repositories" | "creationTemplates"; subject: SubjectKind; what: string }> = [
  { key: "repositories", subject: "repository", what: "repositories" },
  { key: "creationTemplates", subject: "creationTemplate", what: "creation templates" },
];

/**
 * Waivers against the rest of the config (run from the root schema's superRefine): each name must
 * be declared and be something the rule checks, and a repository or template must exist in at
 * least one of the waiver's environments, so a waiver can never silently match nothing because of
 * a typo.
 */
export function checkGuardrailWaivers(config: RegistryConfig, ctx: z.RefinementCtx): void {
  const environments = resolveEnvironments(config);
  const environmentNames = environments.map((e) => e.name);
  config.guardrails.waivers.forEach((waiver, i) => {
    const at = (...path: Array<string | number>) => ["guardrails", "waivers", i, ...path];
    const rule = GUARDRAIL_RULES.find((r) => r.id === waiver.rule);
    if (!rule) return; // reported by the enum
    const checkable = rule.subjects.map((s) => (s === "creationTemplate" ? "creation templates" : s === "repository" ? "repositories" : s === "state" ? "the state stack" : "environments"));

    waiver.environments?.forEach((name, j) => {
      if (!environmentNames.includes(name))
        ctx.addIssue({ code: "custom", path: at("environments", j), message: unknownEnvironment(name, environmentNames) });
    });
    if (waiver.environments && !rule.subjects.some((s) => s !== "state"))
      ctx.addIssue({
        code: "custom",
        path: at("environments"),
        message: `${rule.id} checks ${checkable.join(" and ")} only, so environments cannot narrow it; leave environments out`,
      });

    // With an unknown (or no) environment listed, which ones were meant is unclear; that is reported above.
    const listed = waiver.environments;
    const checkPresence = !listed || (listed.length > 0 && listed.every((name) => environmentNames.includes(name)));
    const inScope = environments.filter((e) => !listed || listed.includes(e.name));
    for (const { key, subject, what } of SCOPE_KEYS) {
      const names = waiver[key];
      if (!names) continue;
      if (!rule.subjects.includes(subject)) {
        ctx.addIssue({ code: "custom", path: at(key), message: `${rule.id} does not check ${what} (it checks ${checkable.join(" and ")}); leave ${key} out` });
        continue;
      }
      names.forEach((name, j) => {
        if (key === "repositories") {
          const repository = config.repositories.find((r) => r.name === name);
          if (!repository) {
            ctx.addIssue({ code: "custom", path: at(key, j), message: `unknown repository "${name}"` });
          } else if (checkPresence && !inScope.some((e) => e.repositories.includes(repository))) {
            ctx.addIssue({ code: "custom", path: at(key, j), message: `repository "${name}" does not exist in ${waiver.environments!.join(", ")}` });
          }
        } else {
          const declared = config.repositoryCreationTemplates.map((t) => t.prefix);
          if (!declared.includes(name)) {
            ctx.addIssue({
              code: "custom",
              path: at(key, j),
              message: `unknown creation template "${name}" (declared prefixes: ${declared.length > 0 ? declared.join(", ") : "none"})`,
            });
          } else if (checkPresence && !inScope.some((e) => e.manageRegistrySettings)) {
            ctx.addIssue({
              code: "custom",
              path: at(key, j),
              message: `creation templates exist only in environments that manage registry settings, and none of ${waiver.environments!.join(", ")} does`,
            });
          }
        }
      });
    }
  });
}
