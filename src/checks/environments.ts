import { parseRoleArn } from "../config/schema/assume-role";
import { partitionOf, regionSchema } from "../config/schema/aws";
import { ConfigProblem, problemAt } from "../config/errors";
import { resolveEnvironments } from "../plan/environments";
import type { RegistryConfig } from "../config/schema";

// Rules across environments and the registry's top-level settings. The checks also run when a
// field failed its own format check (so every problem is listed at once), so they tolerate such values.

/**
 * An environment's role must act in the environment's account (its `accountId`, else the
 * registry's) unless `allowCrossAccountRole` says otherwise, and in the partition of its region.
 */
export function roleAccountProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const registry = config;
  config.environments.forEach((env, i) => {
    const role = env.assumeRoleArn ? parseRoleArn(env.assumeRoleArn) : undefined;
    if (!role) return;
    const region = env.region ?? registry.region;
    const partition = partitionOf(region);
    if (role.partition !== partition && regionSchema.safeParse(region).success) {
      problems.push(problemAt({
        path: ["environments", i, "assumeRoleArn"],
        message: `is in partition ${role.partition}, but the environment's region ${region} is in partition ${partition}`,
      }));
    }
    const declared = env.accountId ?? registry.accountId;
    if (declared !== undefined && role.accountId !== declared && !env.allowCrossAccountRole) {
      const which = env.accountId !== undefined ? `environments[${i}].accountId` : "the registry's accountId";
      problems.push(problemAt({
        path: ["environments", i, "assumeRoleArn"],
        message: `is a role in account ${role.accountId}, but this environment deploys into account ${declared} (${which}); use a role in ${declared}, correct the accountId, or set allowCrossAccountRole: true`,
      }));
    }
  });
  return problems;
}

/**
 * Registry-wide settings (scanning) exist once per account and region, so at most one environment
 * may own them there. An environment whose account is unknown may share an account with any other
 * in its region, so it conflicts with every owner there.
 */
export function registrySettingsOwnerProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const resolved = resolveEnvironments(config);
  const owners: number[] = [];
  resolved.forEach((env, i) => {
    if (!env.manageRegistrySettings) return;
    const owner = owners.find((o) => {
      const other = resolved[o];
      return other.region === env.region && (other.accountId === undefined || env.accountId === undefined || other.accountId === env.accountId);
    });
    owners.push(i);
    if (owner === undefined) return;
    const other = resolved[owner];
    const bothKnown = other.accountId !== undefined && env.accountId !== undefined;
    const where = bothKnown ? `${env.region} of account ${env.accountId}` : env.region;
    const hint = bothKnown ? "" : " (or, if they are in different accounts, declare accountId for both)";
    problems.push(problemAt({
      path: ["environments", i, "manageRegistrySettings"],
      message: `environments[${owner}] (${other.name}) already manages the registry settings of ${where}; registry scanning is one setting per account and region, so set manageRegistrySettings: false here or give the environments different regions${hint}`,
    }));
  });
  return problems;
}

/** Two environments writing one state object would overwrite each other's state. */
export function stateLocationProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const resolved = resolveEnvironments(config);
  const environments = config.environments;
  const first = new Map<string, number>();
  resolved.forEach((env, i) => {
    if (!env.state) return; // HCP Terraform: workspaces are checked with the backend (backend.ts)
    const location = `s3://${env.state.bucket}/${env.state.key}`;
    const earlier = first.get(location);
    if (earlier === undefined) {
      first.set(location, i);
      return;
    }
    if (resolved[earlier].name === env.name) return; // a duplicate name, reported as such
    // Point at the environment whose own stateKey caused the clash.
    const at = environments[i].stateKey === undefined && environments[earlier].stateKey !== undefined ? earlier : i;
    const other = at === i ? earlier : i;
    problems.push(problemAt({
      path: ["environments", at, environments[at].stateKey !== undefined ? "stateKey" : "state"],
      message: `environments[${other}] (${resolved[other].name}) already keeps its state at ${location}; two environments sharing a state file would overwrite each other`,
    }));
  });
  return problems;
}
