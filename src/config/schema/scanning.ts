import { z } from "zod";
import { awsRepositoryName } from "./data-safety";
import { ROOT_PREFIX } from "./creation-templates";

/** ECR's limits on registry scanning rules (API reference: PutRegistryScanningConfiguration, ScanningRepositoryFilter). */
export const SCANNING_LIMITS = {
  maxRules: 2,
  maxFiltersPerRule: 100,
  maxFilterLength: 255,
} as const;

/** ECR allows at most this many repository filters per scanning rule. */
export const MAX_SCANNING_FILTERS = SCANNING_LIMITS.maxFiltersPerRule;

/** Scan frequencies a rule can have. BASIC supports SCAN_ON_PUSH only; ENHANCED both. */
export const SCAN_FREQUENCIES = ["SCAN_ON_PUSH", "CONTINUOUS_SCAN"] as const;
export type ScanFrequency = (typeof SCAN_FREQUENCIES)[number];

/** Values of `scanning.basicScanTypeVersion`: the one AWS recommends, or leave the account setting alone. */
export const BASIC_SCAN_TYPE_VERSIONS = ["AWS_NATIVE", "unmanaged"] as const;

const FILTER_PATTERN = /^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$/;

const scanningFilterSchema = z
  .string()
  .min(1, { message: "scan filters must not be empty" })
  .max(SCANNING_LIMITS.maxFilterLength, { message: `scan filters must be at most ${SCANNING_LIMITS.maxFilterLength} characters` })
  .regex(FILTER_PATTERN, { message: "scan filters are lowercase repository-name characters and '*' wildcards, e.g. ai-models/* or *llm*" });

const scanningRuleSchema = z.strictObject({
  frequency: z.enum(SCAN_FREQUENCIES).describe("SCAN_ON_PUSH, or CONTINUOUS_SCAN (ENHANCED only: rescans as new vulnerabilities are published)."),
  filters: z
    .array(scanningFilterSchema)
    .min(1, { message: "give at least one filter (\"*\" for every repository)" })
    .max(SCANNING_LIMITS.maxFiltersPerRule, { message: `ECR allows at most ${SCANNING_LIMITS.maxFiltersPerRule} filters per scanning rule` })
    .refine((filters) => new Set(filters).size === filters.length, { message: "lists a filter twice" })
    .describe("Repository name filters (WILDCARD): '*' matches any characters; a filter without '*' matches every name containing it."),
});

export const scanningSchema = z
  .strictObject({
    type: z
      .enum(["BASIC", "ENHANCED"])
      .default("BASIC")
      .describe("Registry scanning mode. BASIC scans on push with ECR's built-in scanner; ENHANCED uses Amazon Inspector."),
    basicScanTypeVersion: z
      .enum(BASIC_SCAN_TYPE_VERSIONS)
      .default("AWS_NATIVE")
      .describe(
        "The account setting BASIC_SCAN_TYPE_VERSION in every region whose registry settings this config manages (environments and replica regions). AWS_NATIVE: ECR's recommended basic scanner (Clair is deprecated). unmanaged: leave the setting alone.",
      ),
    rules: z
      .array(scanningRuleSchema)
      .max(SCANNING_LIMITS.maxRules, { message: `ECR allows at most ${SCANNING_LIMITS.maxRules} scanning rules (one per frequency)` })
      .optional()
      .describe(
        "Explicit registry scanning rules, which decide what ECR scans (repositories' scanOnPush must agree). Default: one SCAN_ON_PUSH rule derived from the repositories' scanOnPush.",
      ),
  })
  .superRefine((scanning, ctx) => {
    const firstOf = new Map<string, number>();
    scanning.rules?.forEach((rule, i) => {
      if (rule.frequency === "CONTINUOUS_SCAN" && scanning.type !== "ENHANCED")
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "frequency"],
          message: "CONTINUOUS_SCAN needs scanning type ENHANCED (Amazon Inspector); BASIC scanning supports SCAN_ON_PUSH only",
        });
      const first = firstOf.get(rule.frequency);
      if (first !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "frequency"],
          message: `rules[${first}] is already the ${rule.frequency} rule; put all of a frequency's filters in one rule`,
        });
      else firstOf.set(rule.frequency, i);
    });
  });

export type ScanningConfig = z.infer<typeof scanningSchema>;

/** One rule of the registry scanning configuration, as rendered. */
export interface ScanningRule {
  readonly frequency: ScanFrequency;
  readonly filters: readonly string[];
}

/**
 * Whether an ECR scanning filter matches a repository name. ECR: "a filter with no wildcard will
 * match all repository names that contain the filter"; with wildcards, the whole name must match
 * and `*` stands for zero or more characters.
 */
export function scanFilterMatches(filter: string, repositoryName: string): boolean {
  if (!filter.includes("*")) return repositoryName.includes(filter);
  const pattern = filter.split("*").map((part) => part.replace(/[.\-/]/g, "\\$&")).join(".*");
  return new RegExp(`^${pattern}$`).test(repositoryName);
}

/**
 * Whether a filter matches every repository ECR can create under a template prefix (a sufficient
 * check: `*`, `<start>*` where `<prefix>/` starts with `<start>`, `*<part>*` or a plain filter
 * contained in `<prefix>/`).
 */
export function scanFilterCoversPrefix(filter: string, prefix: string): boolean {
  if (filter === "*") return true;
  if (prefix === ROOT_PREFIX) return false;
  const namespace = `${prefix}/`;
  if (!filter.includes("*")) return namespace.includes(filter);
  const trailing = /^([^*]*)\*$/.exec(filter);
  if (trailing) return namespace.startsWith(trailing[1]);
  const surrounded = /^\*([^*]*)\*$/.exec(filter);
  return surrounded !== null && namespace.includes(surrounded[1]);
}

/**
 * The repository filters of the derived scan-on-push rule. ECR's registry-level rules win over
 * each repository's own `scan_on_push`, so a repository that opted out must not be matched:
 * `*` when every repository scans (covering repositories made outside this project too),
 * otherwise the exact names of those that do.
 */
export function scanOnPushFilters(repositories: ReadonlyArray<{ name: string; awsName?: string; renamedFrom?: readonly string[]; scanOnPush: boolean }>): string[] {
  // Filters match the names in AWS, which a renamed repository keeps from before (see data-safety.ts).
  const scanned = repositories.filter((r) => r.scanOnPush).map((r) => awsRepositoryName(r));
  if (scanned.length === repositories.length) return ["*"];
  return scanned.sort();
}

