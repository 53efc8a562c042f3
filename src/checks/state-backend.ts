import { parseRoleArn } from "../config/schema/assume-role";
import { workspaceNameOf } from "../plan/backend";
import { ConfigProblem, problemAt } from "../config/errors";
import type { RegistryConfig } from "../config/schema";
import { unknownEnvironment } from "../config/suggest";
import { stackName, stateStackName } from "../naming";

/** Rules between `state` and the rest of the config. */
export function stateBackendProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const state = config.state;
  const environmentNames = config.environments.map((e) => e.name);

  if (state.backend === "s3") {
    const role = state.assumeRoleArn ? parseRoleArn(state.assumeRoleArn) : undefined;
    if (role && state.accountId && role.accountId !== state.accountId)
      problems.push(problemAt({
        path: ["state", "assumeRoleArn"],
        message: `is a role in account ${role.accountId}, but the state bucket is in account ${state.accountId} (state.accountId); the backend would be refused`,
      }));
    if (!state.bootstrap && state.encryption.type === "KMS" && !state.encryption.kmsKeyArn)
      problems.push(problemAt({
        path: ["state", "encryption", "kmsKeyArn"],
        message:
          "is required with bootstrap: false and encryption type KMS, because the backend must name the key of a bucket this project does not create (or set encryption type AES256)",
      }));
    if (state.bootstrap) problems.push(...bootstrapStackNameProblems(config));
    return problems;
  }

  config.environments.forEach((env, i) => {
    for (const key of ["stateKey", "state"] as const) {
      if (env[key] !== undefined)
        problems.push(problemAt({
          path: ["environments", i, key],
          message: "is an S3 backend setting; with state.backend hcp each environment's state lives in its HCP Terraform workspace",
        }));
    }
  });

  for (const name of Object.keys(state.workspaceNames ?? {}).sort()) {
    if (!environmentNames.includes(name))
      problems.push(problemAt({
        path: ["state", "workspaceNames", name],
        message: unknownEnvironment(name, environmentNames),
      }));
  }

  if (!state.workspaceTags) {
    const owner = new Map<string, string>();
    for (const env of new Set(environmentNames)) {
      const workspace = workspaceNameOf(config.project, env, state.workspaceNames);
      const first = owner.get(workspace);
      if (first === undefined) owner.set(workspace, env);
      else
        problems.push(problemAt({
          // Blame the override, not the environment that kept its default name.
          path: ["state", "workspaceNames", state.workspaceNames?.[env] !== undefined ? env : first],
          message: `environments ${first} and ${env} would share workspace "${workspace}" and overwrite each other's state`,
        }));
    }
  }
  return problems;
}

function bootstrapStackNameProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  config.environments.forEach((env, i) => {
    if (stackName(config.project, env.name) === stateStackName(config.project))
      problems.push(problemAt({
        path: ["environments", i, "name"],
        message: `"${env.name}" would name its stack ${stateStackName(config.project)}, the state bootstrap stack's name; rename the environment (or set state.bootstrap: false)`,
      }));
  });
  return problems;
}
