import { z } from "zod";
import { noRepeats } from "./unique";
import { TAG_STATUSES, ruleProblems, tagPatternProblem, tagPrefixProblem } from "../../lifecycle/policy";

function checked(problemOf: (value: string) => string | undefined) {
  return z.string().superRefine((value, ctx) => {
    const message = problemOf(value);
    if (message) ctx.addIssue({ code: "custom", message });
  });
}

const tagPatternSchema = checked(tagPatternProblem);
const tagPrefixSchema = checked(tagPrefixProblem);
const positiveCount = (what: string) => z.number().int({ message: `${what} must be a whole number` }).min(1, { message: `${what} must be at least 1` });

export const lifecycleRuleSchema = z
  .strictObject({
    description: z.string().min(1).optional().describe("Why the rule exists; shown in the ECR console."),
    priority: positiveCount("priorities")
      .optional()
      .describe("Evaluation order, lowest first; unique. Default: the next numbers after every other priority, in list order."),
    tagStatus: z
      .enum(TAG_STATUSES)
      .default("tagged")
      .describe("Which images the rule looks at: tagged (those matching tagPrefixes or tagPatterns), untagged, or any."),
    tagPrefixes: z
      .array(tagPrefixSchema)
      .min(1)
      .superRefine(noRepeats("tag prefix"))
      .optional()
      .describe("Select images with a tag starting with each prefix (all of them). Only with tagStatus tagged."),
    tagPatterns: z
      .array(tagPatternSchema)
      .min(1)
      .superRefine(noRepeats("tag pattern"))
      .optional()
      .describe("Select images with a tag matching each pattern, '*' = any characters, at most 4 per pattern (all of them). Only with tagStatus tagged."),
    keepLast: positiveCount("keepLast").optional().describe("Keep this many of the most recently pushed selected images and expire the rest."),
    olderThanDays: positiveCount("olderThanDays").optional().describe("Expire selected images pushed more than this many days ago."),
  })
  .superRefine((rule, ctx) => {
    for (const problem of ruleProblems(rule)) ctx.addIssue({ code: "custom", path: [...problem.path], message: problem.message });
  });

/**
 * A lifecycle setting (registry-wide, per repository or per creation template). Omitted fields are
 * inherited; `enabled: false` means no lifecycle policy.
 */
export const lifecycleSettingSchema = z
  .strictObject({
    enabled: z.boolean().optional().describe("false: no lifecycle policy. Default: true wherever a lifecycle mapping is written."),
    protectedTags: z
      .array(tagPatternSchema)
      .optional()
      .describe("Tag patterns no rule may expire, each rendered as a first rule that keeps every image carrying it. Default: prod-*, release-*."),
    rules: z
      .array(lifecycleRuleSchema)
      .optional()
      .describe("Expiry rules. Default: expire untagged images after 14 days, keep the 30 most recent tagged images."),
  })
  .superRefine((setting, ctx) => {
    if (setting.enabled !== false) return;
    for (const field of ["protectedTags", "rules"] as const)
      if (setting[field] !== undefined)
        ctx.addIssue({ code: "custom", path: [field], message: "has no effect with enabled: false; remove it or enable the lifecycle policy" });
  });

export type LifecycleSetting = z.infer<typeof lifecycleSettingSchema>;

