import type { RegistryConfig } from "../config/schema";
import { environmentStackPlans } from "../plan/stack-groups";
import type { SynthesizedStack } from "../synthesized/stack";

/**
 * A stack's Terraform JSON with its keys sorted and cdktf's `//` metadata left out: what
 * Terraform reads, so two synths of one config compare equal however they were written.
 */
export function canonicalJson(json: unknown): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.keys(value)
        .filter((key) => key !== "//")
        .sort()
        .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
    );
  };
  return JSON.stringify(sorted(json));
}

/**
 * The environment stacks of `config` (its own and its groups', in deploy order) whose head JSON
 * differs from the base's, or that the base does not have: the stacks a change touches and CI
 * plans (docs/stack-groups.md). Without a base (it has no registry yet) every stack is touched.
 * A stack only the base has is not listed: nothing synthesizes it any more, so nothing plans it.
 */
export function changedStacks(config: RegistryConfig, head: readonly SynthesizedStack[], base: readonly SynthesizedStack[] | undefined): string[] {
  const baseJson = new Map((base ?? []).map((s) => [s.name, canonicalJson(s.json)]));
  return environmentStackPlans(config)
    .map(({ stack }) => stack.name)
    .filter((name) => {
      const before = baseJson.get(name);
      const after = head.find((s) => s.name === name);
      return before === undefined || after === undefined || before !== canonicalJson(after.json);
    });
}
