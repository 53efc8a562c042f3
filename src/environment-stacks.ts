import { resolveEnvironments } from "./plan/environments";
import { RegistryConfig } from "./config/schema";
import { stackName } from "./naming";

/**
 * The stack of every environment, in config order: what the CI workflow plans and applies.
 * Other stacks an app may hold (such as one bootstrapping the state bucket, kept in local state)
 * are not environments and are left to people.
 */
export function environmentStackNames(config: RegistryConfig): string[] {
  return resolveEnvironments(config).map((environment) => stackName(config.project, environment.name));
}
