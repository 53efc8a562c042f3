import type { z } from "zod";
import { ConfigProblem } from "./errors";
import { pathSegments } from "./locate";
import type { RegistryConfig } from "./schema";

/**
 * A rule over a whole config, beyond what the schema checks field by field: the cross-field rules
 * of `src/checks/` (listed in `CONFIG_CHECKS`). The config layer runs the checks it is given and
 * knows none of them, so the schema loads nothing the rules need (policy documents, guardrails).
 */
export interface ConfigCheck {
  /** Short name, e.g. `repository-policy-size`. */
  readonly name: string;
  /** Every problem found, each with the path of the config field at fault (`repositories[2].scanOnPush`). */
  check(config: RegistryConfig): ConfigProblem[];
}

/**
 * The schema with `checks` run as its refinement: zod runs them on the parsed config even when some
 * fields failed their format checks (though not when the config's shape is wrong), so every problem
 * is listed at once, and the checks' problems are deduplicated and located like the schema's.
 */
export function withChecks<T extends z.ZodType<RegistryConfig, unknown>>(schema: T, checks: readonly ConfigCheck[]): T {
  if (checks.length === 0) return schema;
  return schema.superRefine((config, ctx) => {
    for (const check of checks)
      for (const problem of check.check(config)) ctx.addIssue({ code: "custom", path: pathSegments(problem.path) ?? [], message: problem.message });
  }) as unknown as T;
}
