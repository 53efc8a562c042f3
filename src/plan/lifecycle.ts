import type { LifecycleSetting } from "../config/schema/lifecycle";
import { DEFAULT_LIFECYCLE, LifecyclePolicySpec } from "../lifecycle/policy";

/**
 * The lifecycle policy a repository (or creation template) gets. Its own setting, when written,
 * decides whether it has one (`enabled`, default true); otherwise the registry-wide setting does.
 * Each field comes from its own setting, else the registry-wide one, else the built-in default.
 */
export function effectiveLifecycle(registryWide: LifecycleSetting, own?: LifecycleSetting): LifecyclePolicySpec | undefined {
  if ((own ?? registryWide).enabled === false) return undefined;
  const base = registryWide.enabled === false ? DEFAULT_LIFECYCLE : complete(registryWide, DEFAULT_LIFECYCLE);
  return own === undefined ? base : complete(own, base);
}

function complete(fields: LifecycleSetting, base: LifecyclePolicySpec): LifecyclePolicySpec {
  return { protectedTags: fields.protectedTags ?? base.protectedTags, rules: fields.rules ?? base.rules };
}
