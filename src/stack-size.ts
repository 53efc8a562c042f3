import { ConfigError, ConfigProblem } from "./config/errors";
import type { RegistryConfig } from "./config/schema";
import { environmentStackPlans } from "./plan/stack-groups";
import type { SynthesizedStack } from "./synthesized/stack";

/** A stack holding more resources than `stackGroups.maxResources`. */
export interface OversizedStack {
  readonly stack: string;
  readonly resources: number;
  readonly limit: number;
  /** The repositories declared in the stack. */
  readonly repositories: number;
  /** The fewest repositories that must leave the stack to bring it under the limit, at its average resources per repository. */
  readonly toMove: number;
  /** The largest name prefixes (first path segment) among the stack's repositories, with counts: candidates for a group. */
  readonly prefixes: ReadonlyArray<{ readonly prefix: string; readonly repositories: number }>;
}

/** How many prefixes a warning names. */
const PREFIXES_SHOWN = 3;

/** The managed resources of a synthesized stack (data sources, outputs and blocks aside). */
export function resourceCount(stack: SynthesizedStack): number {
  return Object.values(stack.json.resource ?? {}).reduce((sum, byId) => sum + Object.keys(byId).length, 0);
}

/**
 * The environment stacks over `stackGroups.maxResources` (docs/stack-groups.md): every plan of
 * such a stack refreshes all its resources, so each names the repositories to group.
 */
export function oversizedStacks(config: RegistryConfig, stacks: readonly SynthesizedStack[]): OversizedStack[] {
  const limit = config.stackGroups.maxResources;
  const found: OversizedStack[] = [];
  for (const { stack } of environmentStackPlans(config)) {
    const synthesized = stacks.find((s) => s.name === stack.name);
    if (!synthesized) continue;
    const resources = resourceCount(synthesized);
    if (resources <= limit) continue;
    const repositories = stack.repositories.length;
    const perRepository = repositories > 0 ? resources / repositories : resources;
    const counts = new Map<string, number>();
    for (const repo of stack.repositories) {
      const slash = repo.name.indexOf("/");
      const prefix = slash < 0 ? repo.name : repo.name.slice(0, slash + 1);
      counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
    }
    const prefixes = [...counts]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, PREFIXES_SHOWN)
      .map(([prefix, n]) => ({ prefix, repositories: n }));
    found.push({ stack: stack.name, resources, limit, repositories, toMove: Math.ceil((resources - limit) / perRepository), prefixes });
  }
  return found;
}

/** One sentence per oversized stack. */
export function oversizedStackMessage(o: OversizedStack): string {
  const prefixes = o.prefixes.map((p) => `${p.prefix} (${p.repositories})`).join(", ");
  return `stack ${o.stack} holds ${o.resources} resources, more than ${o.limit}, so every plan of it refreshes them all; move at least ${o.toMove} of its ${o.repositories} repositories to groups (repositories[].group, or stackGroups.rules by prefix; largest prefixes: ${prefixes}). docs/stack-groups.md`;
}

/**
 * The size guard: warnings for oversized stacks, or, with `stackGroups.failOnExcess`, a
 * `ConfigError` listing them.
 */
export function checkStackSizes(config: RegistryConfig, stacks: readonly SynthesizedStack[], source: string): string[] {
  const oversized = oversizedStacks(config, stacks);
  if (oversized.length > 0 && config.stackGroups.failOnExcess) {
    const problems: ConfigProblem[] = oversized.map((o) => ({ path: "stackGroups.maxResources", message: oversizedStackMessage(o) }));
    throw new ConfigError(source, problems);
  }
  return oversized.map((o) => `Warning: ${oversizedStackMessage(o)}`);
}
