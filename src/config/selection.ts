import { z } from "zod";
import { ResolvedEnvironment, resolveEnvironments } from "./resolve";
import type { RegistryConfig } from "./schema";
import { unknownEnvironment } from "./suggest";

/**
 * A feature's `environments` list. Registry-wide features (replication, pull-through cache,
 * finding notifications) exist once per account and region, so they default to, and may only
 * name, environments that manage their registry's settings.
 */
export const environmentSelectionSchema = z.array(z.string()).min(1, { message: "list at least one environment, or leave the key out" });

/** The environments a feature applies to: the named ones, or by default every eligible one. */
export function selectedEnvironments(
  config: RegistryConfig,
  names: readonly string[] | undefined,
  scope: "registry-wide" | "per-environment",
): ResolvedEnvironment[] {
  return resolveEnvironments(config).filter(
    (env) => (names ? names.includes(env.name) : scope === "per-environment" || env.manageRegistrySettings),
  );
}

/** Reports unknown, repeated and (for registry-wide features) ineligible environment names, each at its own path. */
export function checkEnvironmentSelection(
  config: RegistryConfig,
  names: readonly string[] | undefined,
  path: ReadonlyArray<string | number>,
  feature: string,
  scope: "registry-wide" | "per-environment",
  ctx: z.RefinementCtx,
): void {
  if (!names) return;
  const declared = config.environments.map((e) => e.name);
  names.forEach((name, i) => {
    const at = [...path, i];
    const environment = config.environments.find((e) => e.name === name);
    if (!environment) {
      ctx.addIssue({ code: "custom", path: at, message: unknownEnvironment(name, declared) });
    } else if (names.indexOf(name) !== i) {
      ctx.addIssue({ code: "custom", path: at, message: `environment "${name}" is listed twice` });
    } else if (scope === "registry-wide" && !environment.manageRegistrySettings) {
      ctx.addIssue({
        code: "custom",
        path: at,
        message: `${feature} is a registry-wide setting (one per account and region), but environment "${name}" has manageRegistrySettings: false; list the environment that manages this registry instead`,
      });
    }
  });
}
