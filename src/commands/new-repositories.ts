import { describeConsumer } from "../config/schema/consumers";
import { awsRepositoryName } from "../config/schema/data-safety";
import { resolveEnvironments } from "../plan/environments";
import type { RegistryConfig } from "../config/schema";
import type { SynthesizedStack } from "../synthesized/stack";
import { repositoryId, stackName } from "../naming";
import type { Baseline } from "../removal-guard";
import { replicationOf } from "../review/snapshot";

/** New repositories listed by name at most; a larger batch is counted. */
export const MAX_NEW_REPOSITORIES_SHOWN = 10;

/**
 * What each repository new to the baseline (every repository on a first synth) takes from the
 * registry-wide settings without saying so itself: the registry-wide `consumers` (unless
 * `inheritConsumers: false`), the lifecycle policy (unless it writes its own), and replication
 * (rules match repositories by name prefix; read from the synthesized stacks). One line each, so a
 * new model's access and retention are seen before they are deployed.
 */
export function newRepositoryLines(config: RegistryConfig, stacks: readonly SynthesizedStack[], baseline: Baseline | undefined): string[] {
  const environments = resolveEnvironments(config);
  const known = (name: string) =>
    baseline !== undefined &&
    environments.some((e) => {
      const ids = Object.keys(baseline.stack(stackName(config.project, e.name))?.resource?.aws_ecr_repository ?? {});
      return ids.includes(repositoryId(name));
    });
  const fresh = config.repositories.filter((repo) => ![repo.name, ...(repo.renamedFrom ?? [])].some(known));
  if (fresh.length === 0) return [];
  const lines = fresh.slice(0, MAX_NEW_REPOSITORIES_SHOWN).map((repo) => {
    const parts: string[] = [];
    const consumers = (config.consumers ?? []).map((c) => `${describeConsumer(c)}${c.environments ? ` in ${c.environments.join(", ")}` : ""}`);
    if (!repo.inheritConsumers) parts.push("consumers none (inheritConsumers: false)");
    else parts.push(`consumers ${consumers.length > 0 ? consumers.join(", ") : "none"}`);
    parts.push(`lifecycle ${lifecycleSource(config, repo.lifecycle)}`);
    const destinations = new Set<string>();
    for (const e of environments) {
      if (!e.repositories.some((r) => r.name === repo.name)) continue;
      const stack = stacks.find((s) => s.name === stackName(config.project, e.name));
      if (stack) for (const d of replicationOf(stack, awsRepositoryName(repo))) destinations.add(`${d} from ${e.name}`);
    }
    parts.push(`replication ${destinations.size > 0 ? [...destinations].join(", ") : "none"}`);
    return `  ${repo.name}: ${parts.join("; ")}`;
  });
  const more = fresh.length - lines.length;
  return [
    `New ${fresh.length === 1 ? "repository" : "repositories"}, with what ${fresh.length === 1 ? "it inherits" : "they inherit"} from the registry-wide settings (override per repository):`,
    ...lines,
    ...(more > 0 ? [`  ... and ${more} more`] : []),
  ];
}

/** Where a repository's lifecycle policy comes from, in a few words. */
function lifecycleSource(config: RegistryConfig, own: RegistryConfig["repositories"][number]["lifecycle"]): string {
  const registryWide = config.lifecycle;
  const from = (field: "rules" | "protectedTags") => (registryWide.enabled !== false && registryWide[field] !== undefined ? "registry-wide" : "default");
  if (own?.enabled === false || (own === undefined && registryWide.enabled === false)) return "none";
  if (own === undefined) {
    const sources = new Set([from("rules"), from("protectedTags")]);
    return sources.size === 1 ? `the ${[...sources][0]} policy` : `the registry-wide ${registryWide.rules ? "rules" : "protected tags"} and the default ${registryWide.rules ? "protected tags" : "rules"}`;
  }
  const inherited = (["rules", "protectedTags"] as const).filter((field) => own[field] === undefined);
  if (inherited.length === 0) return "its own";
  return `its own, with the ${inherited.map((field) => `${from(field)} ${field === "rules" ? "rules" : "protected tags"}`).join(" and ")}`;
}
