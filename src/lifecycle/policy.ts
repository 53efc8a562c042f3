/**
 * ECR lifecycle policies: every rule of their semantics lives here, as pure functions over typed
 * specs. The config schema (`src/config/schema/lifecycle.ts`) and its checks (`src/checks/lifecycle.ts`)
 * call these so problems carry config paths; constructs call `renderLifecyclePolicy` for the JSON ECR receives.
 *
 * ECR's rules (Amazon ECR User Guide, "Lifecycle policy properties" and "evaluation rules"):
 * rule priorities are unique; a `tagStatus: any` rule has the highest priority number; a `tagged`
 * rule selects by `tagPrefixList` or `tagPatternList` (not both); `untagged`/`any` rules select by
 * neither; only one rule selects untagged images; no two rules select the same tag set; at most
 * four `*` per pattern; `sinceImagePushed` counts in `days`; counts are positive integers; at most
 * 50 rules and 30,720 characters per policy.
 */

export const TAG_STATUSES = ["tagged", "untagged", "any"] as const;
export type TagStatus = (typeof TAG_STATUSES)[number];

export const LIFECYCLE_LIMITS = {
  /** ECR service quota "Rules per lifecycle policy" (not adjustable). */
  maxRules: 50,
  /** ECR service quota "Lifecycle policy length", in characters (not adjustable). */
  maxPolicyLength: 30_720,
  /** Wildcards (`*`) allowed in one tag pattern. */
  maxWildcardsPerPattern: 4,
  /** Image tags are at most 128 characters, so longer prefixes or patterns could never match. */
  maxTagFilterLength: 128,
} as const;

/**
 * The count of a protected-tag rule: it keeps this many images carrying the tag, so protection
 * holds while fewer images match. 100,000 is ECR's default images-per-repository quota, so a
 * repository at that quota cannot exceed it (docs/lifecycle.md, "Protected tags", limits).
 */
export const PROTECTED_TAG_KEEP_COUNT = 100_000;

/** Image tag characters (OCI distribution spec: `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`). */
export const TAG_PREFIX_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
/** Tag characters plus the `*` wildcard. */
export const TAG_PATTERN_PATTERN = /^[A-Za-z0-9._*-]+$/;

/** One rule as written in config. Exactly one of `keepLast` and `olderThanDays`. */
export interface LifecycleRuleSpec {
  /** Why the rule exists; shown in the ECR console. */
  readonly description?: string;
  /** Evaluation order, lowest first; assigned when omitted (see `assignPriorities`). */
  readonly priority?: number;
  /** Which images the rule looks at. */
  readonly tagStatus: TagStatus;
  /** Images carrying a tag that starts with each of these prefixes (all of them). */
  readonly tagPrefixes?: readonly string[];
  /** Images carrying a tag that matches each of these patterns (all of them). */
  readonly tagPatterns?: readonly string[];
  /** Keep this many of the most recently pushed selected images; expire the rest. */
  readonly keepLast?: number;
  /** Expire selected images pushed more than this many days ago. */
  readonly olderThanDays?: number;
}

/** A whole policy: protected tag patterns (rendered first) and the expiry rules. */
export interface LifecyclePolicySpec {
  /** Tag patterns no rule may expire, e.g. `prod-*`. */
  readonly protectedTags: readonly string[];
  readonly rules: readonly LifecycleRuleSpec[];
}

/** The default for model repositories: protect prod-* and release-* tags, expire untagged images after 14 days, keep the last 30 tagged images. */
export const DEFAULT_LIFECYCLE: LifecyclePolicySpec = {
  protectedTags: ["prod-*", "release-*"],
  rules: [
    { description: "Expire untagged images 14 days after push", tagStatus: "untagged", olderThanDays: 14 },
    { description: "Keep the 30 most recent tagged images", tagStatus: "tagged", tagPatterns: ["*"], keepLast: 30 },
  ],
};

/** The JSON shape ECR takes, keys in the order ECR documents them. */
export interface EcrLifecycleRule {
  readonly rulePriority: number;
  readonly description?: string;
  readonly selection: {
    readonly tagStatus: TagStatus;
    readonly tagPrefixList?: string[];
    readonly tagPatternList?: string[];
    readonly countType: "imageCountMoreThan" | "sinceImagePushed";
    readonly countUnit?: "days";
    readonly countNumber: number;
  };
  readonly action: { readonly type: "expire" };
}

/** A problem located relative to the policy spec, e.g. `["rules", 2, "priority"]`. */
export interface LifecycleProblem {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

export function countWildcards(pattern: string): number {
  return pattern.split("*").length - 1;
}

/** Problems with one tag pattern (protected tag or `tagPatterns` entry). */
export function tagPatternProblem(pattern: string): string | undefined {
  if (pattern.length === 0 || pattern.length > LIFECYCLE_LIMITS.maxTagFilterLength)
    return `tag patterns must be 1 to ${LIFECYCLE_LIMITS.maxTagFilterLength} characters`;
  if (!TAG_PATTERN_PATTERN.test(pattern)) return "tag patterns may contain letters, digits, '.', '_', '-' and the '*' wildcard";
  const wildcards = countWildcards(pattern);
  if (wildcards > LIFECYCLE_LIMITS.maxWildcardsPerPattern)
    return `has ${wildcards} wildcards; ECR allows at most ${LIFECYCLE_LIMITS.maxWildcardsPerPattern} '*' per tag pattern`;
  return undefined;
}

/** Problems with one tag prefix. */
export function tagPrefixProblem(prefix: string): string | undefined {
  if (prefix.length === 0 || prefix.length > LIFECYCLE_LIMITS.maxTagFilterLength)
    return `tag prefixes must be 1 to ${LIFECYCLE_LIMITS.maxTagFilterLength} characters`;
  if (!TAG_PREFIX_PATTERN.test(prefix))
    return "tag prefixes may contain letters, digits, '.', '_' and '-', and start with a letter, digit or '_' (wildcards belong in tagPatterns)";
  return undefined;
}

/** Problems within one rule, relative to the rule. */
export function ruleProblems(rule: LifecycleRuleSpec): LifecycleProblem[] {
  const problems: LifecycleProblem[] = [];
  const hasPrefixes = rule.tagPrefixes !== undefined;
  const hasPatterns = rule.tagPatterns !== undefined;
  if (rule.tagStatus === "tagged") {
    if (!hasPrefixes && !hasPatterns)
      problems.push({ path: [], message: "a rule with tagStatus tagged needs tagPrefixes or tagPatterns to say which tags it selects" });
    if (hasPrefixes && hasPatterns)
      problems.push({ path: ["tagPatterns"], message: "use either tagPrefixes or tagPatterns in one rule, not both (ECR rejects both)" });
  } else {
    if (hasPrefixes) problems.push({ path: ["tagPrefixes"], message: `is only allowed with tagStatus tagged (got ${rule.tagStatus})` });
    if (hasPatterns) problems.push({ path: ["tagPatterns"], message: `is only allowed with tagStatus tagged (got ${rule.tagStatus})` });
  }
  if ((rule.keepLast === undefined) === (rule.olderThanDays === undefined))
    problems.push({ path: [], message: "give exactly one of keepLast (keep the N most recent images) and olderThanDays (expire images pushed more than N days ago)" });
  return problems;
}

/**
 * Rule priorities as ECR will see them, by index of `rules`. Protected-tag rules take 1..P (P =
 * number of protected tags) so they are evaluated first. Explicit priorities are kept; rules without
 * one get the next numbers above every other priority, in config order (as AWS CDK does), so
 * adding an unnumbered rule never renumbers an explicit one.
 */
export function assignPriorities(spec: LifecyclePolicySpec): number[] {
  const explicit = spec.rules.map((r) => r.priority).filter((p): p is number => p !== undefined);
  let next = Math.max(spec.protectedTags.length, ...explicit) + 1;
  return spec.rules.map((r) => r.priority ?? next++);
}

/** Whose fault a problem between protected tags and rules is: the field the user wrote. */
export type CrossFieldBlame = "rules" | "protectedTags";

/**
 * Problems across rules (per-rule problems come from `ruleProblems`): unique priorities, protected
 * rules first, one untagged rule, `any` last, unique tag sets, policy size limits. Assumes every
 * rule passed `ruleProblems`.
 */
export function policyProblems(spec: LifecyclePolicySpec, blame: CrossFieldBlame = "rules"): LifecycleProblem[] {
  const problems: LifecycleProblem[] = [];
  const priorities = assignPriorities(spec);
  const protectedCount = spec.protectedTags.length;

  const firstWithPriority = new Map<number, number>();
  spec.rules.forEach((rule, i) => {
    if (rule.priority === undefined) return;
    const first = firstWithPriority.get(rule.priority);
    if (first !== undefined)
      problems.push({ path: ["rules", i, "priority"], message: `priority ${rule.priority} is already used by rules[${first}]; priorities must be unique` });
    else firstWithPriority.set(rule.priority, i);
    if (rule.priority <= protectedCount) {
      const range = protectedCount === 1 ? "priority 1" : `priorities 1-${protectedCount}`;
      const owners = protectedCount === 1 ? "belongs to the protected tag rule" : `belong to the ${protectedCount} protected tag rules`;
      problems.push(
        blame === "rules"
          ? { path: ["rules", i, "priority"], message: `${range} ${owners}, which must come first; use ${protectedCount + 1} or more` }
          : { path: ["protectedTags"], message: `${protectedCount} protected tags take ${range}, but the inherited rules[${i}] has priority ${rule.priority}; protected tag rules must come first` },
      );
    }
  });

  const untagged = spec.rules.map((r, i) => (r.tagStatus === "untagged" ? i : -1)).filter((i) => i >= 0);
  for (const i of untagged.slice(1))
    problems.push({ path: ["rules", i, "tagStatus"], message: `rules[${untagged[0]}] already selects untagged images; ECR allows only one rule with tagStatus untagged` });

  const highest = Math.max(...priorities);
  spec.rules.forEach((rule, i) => {
    if (rule.tagStatus === "any" && priorities[i] !== highest)
      problems.push({
        path: ["rules", i, "tagStatus"],
        message: `a rule with tagStatus any must be evaluated last (highest priority number), but its priority is ${priorities[i]} and another rule has ${highest}; move it to the end or give it the highest priority`,
      });
  });

  const selections = new Map<string, string>();
  spec.protectedTags.forEach((pattern, j) => {
    const key = selectionKey("tagPatterns", [pattern]);
    const earlier = selections.get(key);
    if (earlier === undefined) selections.set(key, `protected tag "${pattern}" (protectedTags[${j}])`);
    else problems.push({ path: ["protectedTags", j], message: `is listed twice (first as ${earlier})` });
  });
  spec.rules.forEach((rule, i) => {
    const field = rule.tagPrefixes ? "tagPrefixes" : rule.tagPatterns ? "tagPatterns" : undefined;
    if (!field) return;
    const key = selectionKey(field, rule[field]!);
    const earlier = selections.get(key);
    if (earlier === undefined) {
      selections.set(key, `rules[${i}]`);
      return;
    }
    const protectedIndex = earlier.startsWith("protected") ? spec.protectedTags.indexOf(rule[field]![0]) : -1;
    problems.push(
      protectedIndex >= 0 && blame === "protectedTags"
        ? { path: ["protectedTags", protectedIndex], message: `selects the same tags as the inherited rules[${i}]; ECR requires every rule to select a different set of tags` }
        : { path: ["rules", i, field], message: `selects the same tags as ${earlier}; ECR requires every rule to select a different set of tags` },
    );
  });

  const total = protectedCount + spec.rules.length;
  if (total === 0) problems.push({ path: [], message: "has no protected tags and no rules; ECR needs at least one rule (write enabled: false for no policy)" });
  else if (total > LIFECYCLE_LIMITS.maxRules)
    problems.push({ path: [], message: `renders ${total} rules (${protectedCount} protected tags + ${spec.rules.length} rules); ECR allows at most ${LIFECYCLE_LIMITS.maxRules} per lifecycle policy` });
  else if (problems.length === 0) {
    const length = renderLifecyclePolicy(spec).length;
    if (length > LIFECYCLE_LIMITS.maxPolicyLength)
      problems.push({ path: [], message: `renders to ${length} characters; ECR allows at most ${LIFECYCLE_LIMITS.maxPolicyLength} per lifecycle policy` });
  }
  return problems;
}

/** Every problem of a policy: per-rule ones (paths under `rules[i]`) and cross-rule ones. */
export function lifecyclePolicyProblems(spec: LifecyclePolicySpec, blame: CrossFieldBlame = "rules"): LifecycleProblem[] {
  const perRule = spec.rules.flatMap((rule, i) => ruleProblems(rule).map((p) => ({ path: ["rules", i, ...p.path], message: p.message })));
  return perRule.length > 0 ? perRule : policyProblems(spec, blame);
}

/** The rules ECR receives, sorted by priority (ECR stores them sorted; unsorted input shows a diff on every plan). */
export function ecrLifecycleRules(spec: LifecyclePolicySpec): EcrLifecycleRule[] {
  const protectedRules = spec.protectedTags.map(
    (pattern, i): EcrLifecycleRule => ({
      rulePriority: i + 1,
      description: `Protect images tagged ${pattern}: later rules cannot expire them`,
      selection: { tagStatus: "tagged", tagPatternList: [pattern], countType: "imageCountMoreThan", countNumber: PROTECTED_TAG_KEEP_COUNT },
      action: { type: "expire" },
    }),
  );
  const priorities = assignPriorities(spec);
  const rules = spec.rules.map((rule, i): EcrLifecycleRule => {
    const byAge = rule.olderThanDays !== undefined;
    return {
      rulePriority: priorities[i],
      ...(rule.description !== undefined ? { description: rule.description } : {}),
      selection: {
        tagStatus: rule.tagStatus,
        ...(rule.tagPrefixes ? { tagPrefixList: [...rule.tagPrefixes] } : {}),
        ...(rule.tagPatterns ? { tagPatternList: [...rule.tagPatterns] } : {}),
        countType: byAge ? "sinceImagePushed" : "imageCountMoreThan",
        ...(byAge ? { countUnit: "days" as const } : {}),
        countNumber: byAge ? rule.olderThanDays! : rule.keepLast!,
      },
      action: { type: "expire" },
    };
  });
  return [...protectedRules, ...rules].sort((a, b) => a.rulePriority - b.rulePriority);
}

/** The lifecycle policy text for `aws_ecr_lifecycle_policy.policy`: compact JSON, same spec → same bytes. */
export function renderLifecyclePolicy(spec: LifecyclePolicySpec): string {
  return JSON.stringify({ rules: ecrLifecycleRules(spec) });
}

function selectionKey(field: "tagPrefixes" | "tagPatterns", values: readonly string[]): string {
  return `${field}:${JSON.stringify([...new Set(values)].sort())}`;
}
