import { z } from "zod";
import { ResolvedEnvironment, resolveEnvironments } from "./resolve";
import type { RegistryConfig } from "./schema";

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

