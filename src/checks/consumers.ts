import { Consumer, PrincipalGrant, lambdaArnParts, principalPartition } from "../config/schema/consumers";
import { partitionOf } from "../config/schema/aws";
import { ConfigProblem, problemAt } from "../config/errors";
import { consumerScopes } from "../plan/consumers";
import { ResolvedEnvironment, resolveEnvironments } from "../plan/environments";
import type { RegistryConfig } from "../config/schema";
import { unknownEnvironment } from "../config/suggest";

/**
 * Cross-field rules for consumers: environments named
 * by consumers exist (and, for a repository's own consumers, hold the repository); principals and
 * Lambda functions are in each environment's partition; Lambda functions are in the environment's
 * region (Lambda pulls only from its own region); identity policies know each environment's account.
 */
export function consumerProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const environments = resolveEnvironments(config);
  for (const scope of consumerScopes(config)) {
    scope.consumers.forEach((consumer, j) => {
      const at = (...rest: Array<string | number>) => [...scope.path, j, ...rest];
      const known = scope.environments.map((e) => e.name);
      consumer.environments?.forEach((name, k) => {
        if (!environments.some((e) => e.name === name))
          problems.push(problemAt({ path: at("environments", k), message: unknownEnvironment(name, environments.map((e) => e.name)) }));
        else if (!known.includes(name))
          problems.push(problemAt({
            path: at("environments", k),
            message: `${scope.what} does not exist in environment "${name}" (it exists in: ${known.join(", ")})`,
          }));
      });
      const applies = scope.environments.filter((env) => !consumer.environments || consumer.environments.includes(env.name));
      for (const env of applies) {
        const problem = placementProblem(consumer, env);
        if (problem) {
          problems.push(problemAt({ path: at(...[problem.field].flat()), message: problem.message }));
          break;
        }
      }
    });
  }

  if (config.identityPolicies) {
    const unknown = environments.filter((env) => !env.accountId).map((env) => env.name);
    if (unknown.length > 0)
      problems.push(problemAt({
        path: ["identityPolicies"],
        message: `identity policies are made for consumers in the registry's own account, so every environment needs an accountId (missing for: ${unknown.join(", ")})`,
      }));
  }
  return problems;
}

/**
 * Cross-field rules for a list of principal grants: the environments it names are among those
 * the feature exists in, and each principal is in the partition of every environment it applies to.
 */
export function principalGrantProblems(
  grants: readonly PrincipalGrant[],
  environments: readonly ResolvedEnvironment[],
  path: ReadonlyArray<string | number>,
  what: string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const known = environments.map((e) => e.name);
  grants.forEach((grant, i) => {
    grant.environments?.forEach((name, k) => {
      if (!known.includes(name))
        problems.push(problemAt({ path: [...path, i, "environments", k], message: `${what} does not exist in environment "${name}" (it exists in: ${known.join(", ") || "none"})` }));
    });
    for (const env of environments.filter((e) => !grant.environments || grant.environments.includes(e.name))) {
      const problem = placementProblem({ kind: "pull", principal: grant.principal }, env);
      if (problem) {
        problems.push(problemAt({ path: [...path, i, "principal"], message: problem.message }));
        break;
      }
    }
  });
  return problems;
}

function placementProblem(consumer: Consumer, env: ResolvedEnvironment): { field: string | Array<string | number>; message: string } | undefined {
  const partition = partitionOf(env.region);
  const limit = "; limit the consumer with environments: [...]";
  if (consumer.kind === "push" || consumer.kind === "pull") {
    const own = principalPartition(consumer.principal);
    if (own !== undefined && own !== partition)
      return {
        field: "principal",
        message: `is in partition ${own} but environment ${env.name} (${env.region}) is in partition ${partition}${limit}`,
      };
  }
  if (consumer.kind === "lambda" && consumer.sourceArn !== undefined) {
    const fn = lambdaArnParts(consumer.sourceArn);
    if (fn === undefined) return undefined;
    if (fn.partition !== partition)
      return { field: "sourceArn", message: `is in partition ${fn.partition} but environment ${env.name} (${env.region}) is in partition ${partition}${limit}` };
    if (consumer.regions === undefined && fn.region !== env.region)
      return {
        field: "sourceArn",
        message: `is a function in ${fn.region} but environment ${env.name} is in ${env.region}; Lambda pulls images only from its own region${limit} (or, to pull from a replica in ${fn.region}, list regions: [${fn.region}])`,
      };
    const other = consumer.regions?.findIndex((region) => region !== fn.region) ?? -1;
    if (other >= 0)
      return {
        field: ["regions", other],
        message: `is not the region of sourceArn's functions (${fn.region}); Lambda pulls images only from its own region, so list only ${fn.region}`,
      };
  }
  return undefined;
}
