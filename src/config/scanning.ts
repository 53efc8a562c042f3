import { z } from "zod";

/** ECR allows at most this many repository filters per scanning rule. */
export const MAX_SCANNING_FILTERS = 100;

export const scanningSchema = z.strictObject({
  type: z
    .enum(["BASIC", "ENHANCED"])
    .default("BASIC")
    .describe("Registry scanning mode. BASIC scans on push with ECR's built-in scanner; ENHANCED uses Amazon Inspector."),
});

export type ScanningConfig = z.infer<typeof scanningSchema>;

/**
 * The repository filters of the registry's scan-on-push rule. ECR's registry-level rules win over
 * each repository's own `scan_on_push`, so a repository that opted out must not be matched:
 * `*` when every repository scans (covering repositories made outside this project too),
 * otherwise the exact names of those that do.
 */
export function scanOnPushFilters(repositories: ReadonlyArray<{ name: string; scanOnPush: boolean }>): string[] {
  const scanned = repositories.filter((r) => r.scanOnPush).map((r) => r.name);
  if (scanned.length === repositories.length) return ["*"];
  return scanned.sort();
}
