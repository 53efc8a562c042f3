import { groupOf } from "../config/schema/stack-groups";
import type { RepositoryConfig } from "../config/schema/repository";
import type { RegistryConfig } from "../config/schema";
import { groupStackName, stackName } from "../naming";
import { backendFor, BackendSettings } from "./backend";
import { resolveEnvironments, ResolvedEnvironment } from "./environments";

/** One stack of an environment: its own (`group` undefined) or one repository group's (docs/stack-groups.md). */
export interface EnvironmentStackPlan {
  readonly name: string;
  /** undefined: the environment's own stack, which also holds every registry-wide setting. */
  readonly group?: string;
  /** The repositories declared in this stack, in config order. */
  readonly repositories: readonly RepositoryConfig[];
  /** Repositories moved from this stack to another (`movedFromGroup`), with their earlier names: Terraform forgets them here. */
  readonly movedOut: readonly string[];
  /** Repositories moved into this stack from another: Terraform imports them here. */
  readonly movedIn: ReadonlySet<string>;
}

/**
 * The stacks of one environment in deploy order: its own stack first (it holds the KMS key the
 * groups find by alias), then one per group, by name. A group's stack exists while a repository
 * is in it, has just moved out of it (`movedFromGroup`), or is retired under a name a
 * `stackGroups.rules` prefix puts in it, so emptying a group that way still forgets the
 * repositories it held.
 */
export function stacksOfEnvironment(config: RegistryConfig, environment: ResolvedEnvironment): EnvironmentStackPlan[] {
  const rules = config.stackGroups.rules;
  const key = (group: string | undefined) => group ?? "";
  const groups = new Set<string>();
  for (const repo of environment.repositories) {
    const group = groupOf(repo, rules);
    if (group !== undefined) groups.add(group);
    if (isMove(repo, group) && repo.movedFromGroup) groups.add(repo.movedFromGroup);
  }
  for (const name of environment.retired) {
    const group = groupOf({ name }, rules);
    if (group !== undefined) groups.add(group);
  }
  return [undefined, ...[...groups].sort()].map((group) => {
    const repositories = environment.repositories.filter((repo) => groupOf(repo, rules) === group);
    return {
      name: group === undefined ? stackName(config.project, environment.name) : groupStackName(config.project, environment.name, group),
      ...(group === undefined ? {} : { group }),
      repositories,
      movedOut: environment.repositories.filter((repo) => isMove(repo, groupOf(repo, rules)) && key(repo.movedFromGroup ?? undefined) === key(group))
        .flatMap((repo) => [repo.name, ...(repo.renamedFrom ?? [])]),
      movedIn: new Set(repositories.filter((repo) => isMove(repo, group)).map((repo) => repo.name)),
    };
  });
}

/** Whether the repository, now in `group`, says it was in another stack before. */
function isMove(repo: RepositoryConfig, group: string | undefined): boolean {
  return repo.movedFromGroup !== undefined && (repo.movedFromGroup ?? undefined) !== group;
}

/** Every environment's stacks, in deploy order: what `npm run stacks` prints and the CI workflow plans. */
export function environmentStackPlans(config: RegistryConfig): Array<{ environment: ResolvedEnvironment; stack: EnvironmentStackPlan }> {
  return resolveEnvironments(config).flatMap((environment) => stacksOfEnvironment(config, environment).map((stack) => ({ environment, stack })));
}

/**
 * Where a group stack keeps its state: the environment's S3 key with `groups/<group>/` before its
 * file name (`model-registry/prod/groups/llm/terraform.tfstate`), or the environment's HCP
 * workspace name with `-<group>`. Tagged HCP workspaces cannot tell the stacks apart; a check
 * refuses groups with them.
 */
export function groupBackendFor(config: RegistryConfig, environment: ResolvedEnvironment, group: string): BackendSettings {
  const settings = backendFor(config, environment);
  if (settings.type === "hcp") {
    if (!("name" in settings.workspace)) throw new Error("stack groups need named HCP workspaces (checked in src/checks/stack-groups.ts)");
    return { ...settings, workspace: { name: `${settings.workspace.name}-${group}` } };
  }
  const slash = settings.key.lastIndexOf("/");
  return { ...settings, key: `${settings.key.slice(0, slash + 1)}groups/${group}/${settings.key.slice(slash + 1)}` };
}
