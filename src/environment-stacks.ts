import { environmentStackPlans } from "./plan/stack-groups";
import { RegistryConfig } from "./config/schema";

/**
 * The stack of every environment and of each of its repository groups (docs/stack-groups.md), in
 * deploy order: an environment's own stack before its groups (they find its KMS key by alias),
 * environments in config order. What the CI workflow plans and applies. Other stacks an app may
 * hold (such as one bootstrapping the state bucket, kept in local state) are not environments and
 * are left to people.
 */
export function environmentStackNames(config: RegistryConfig): string[] {
  return environmentStackPlans(config).map(({ stack }) => stack.name);
}
