import { ConfigProblem, problemAt } from "../config/errors";
import type { RegistryConfig } from "../config/schema";
import { groupOf } from "../config/schema/stack-groups";
import { environmentStackPlans } from "../plan/stack-groups";

/**
 * Cross-field rules of stack groups (docs/stack-groups.md): a move names a stack the repository
 * left, rule prefixes are unique, every stack name is unique across environments, and HCP
 * Terraform state is in named workspaces (tags cannot tell a group's workspace from its
 * environment's).
 */
export function stackGroupProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const rules = config.stackGroups.rules;
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    if (seen.has(rule.prefix)) problems.push(problemAt({ path: ["stackGroups", "rules", i, "prefix"], message: `repeats the prefix ${rule.prefix}; give each prefix one group` }));
    seen.add(rule.prefix);
  });
  let grouped = false;
  config.repositories.forEach((repo, i) => {
    const group = groupOf(repo, rules);
    if (group !== undefined || repo.movedFromGroup) grouped = true;
    if (repo.movedFromGroup !== undefined && (repo.movedFromGroup ?? undefined) === group) {
      const here = group === undefined ? "the environment's own stack (no group)" : `group ${group}`;
      problems.push(problemAt({ path: ["repositories", i, "movedFromGroup"], message: `names ${here}, where the repository is now; give the group it was in before (null for the environment's own stack), or remove the key` }));
    }
  });
  if (!grouped) return problems;
  if (config.state.backend === "hcp" && config.state.workspaceTags)
    problems.push(problemAt({
      path: ["state", "workspaceTags"],
      message: "cannot hold stack groups: every group's stack needs a workspace of its own, which tags do not tell apart; use named workspaces (workspaceNames, or the default names), which groups extend with -<group>",
    }));
  const owners = new Map<string, string>();
  for (const { environment, stack } of environmentStackPlans(config)) {
    const owner = stack.group === undefined ? `environment ${environment.name}` : `group ${stack.group} of environment ${environment.name}`;
    const other = owners.get(stack.name);
    if (other !== undefined) {
      const index = config.environments.findIndex((e) => e.name === environment.name);
      problems.push(problemAt({ path: ["environments", index, "name"], message: `makes the stack name ${stack.name} twice (${other}, and ${owner}); rename the group or the environment` }));
    }
    owners.set(stack.name, owner);
  }
  return problems;
}
