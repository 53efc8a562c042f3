import { ConfigIssue, ConfigProblem, problemAt } from "../config/errors";
import { LifecycleSetting, lifecycleSettingSchema } from "../config/schema/lifecycle";
import { effectiveLifecycle } from "../plan/lifecycle";
import type { RegistryConfig } from "../config/schema";
import { CrossFieldBlame, policyProblems } from "../lifecycle/policy";

/**
 * Cross-rule problems of the policy made from `own` (at `ownPath`) over the registry-wide setting,
 * with config paths. Per-rule problems are left to the rule schema. A problem that lies in fields
 * `own` inherits (only the policy-wide limits can) is reported at `ownPath`.
 */
export function lifecycleSettingIssues(
  registryWide: LifecycleSetting,
  own: LifecycleSetting | undefined,
  ownPath: ReadonlyArray<string | number>,
  registryWideValid: boolean = lifecycleSettingSchema.safeParse(registryWide).success,
): ConfigIssue[] {
  if (own === undefined || own.enabled === false) return [];
  // Checks run even when fields failed their own checks; those are reported once, there.
  if (!registryWideValid || !lifecycleSettingSchema.safeParse(own).success) return [];
  const spec = effectiveLifecycle(registryWide, own)!;
  const written = new Set((["protectedTags", "rules"] as const).filter((field) => own[field] !== undefined));
  const blame: CrossFieldBlame = written.has("protectedTags") && !written.has("rules") ? "protectedTags" : "rules";
  return policyProblems(spec, blame).map((problem) => {
    const field = problem.path[0];
    const inOwnField = field === "protectedTags" || field === "rules" ? written.has(field) : false;
    return { path: inOwnField ? [...ownPath, ...problem.path] : [...ownPath], message: problem.message };
  });
}

/** Lifecycle problems of the registry-wide setting and of every repository's own setting, with config paths. */
export function lifecycleProblems(config: RegistryConfig): ConfigProblem[] {
  const registryWide = lifecycleSettingIssues({ enabled: false }, config.lifecycle, ["lifecycle"]);
  const registryWideValid = lifecycleSettingSchema.safeParse(config.lifecycle).success;
  const perRepository = config.repositories.flatMap((repo, i) =>
    lifecycleSettingIssues(config.lifecycle, repo.lifecycle, ["repositories", i, "lifecycle"], registryWideValid),
  );
  return [...registryWide, ...perRepository].map(problemAt);
}
