import { partitionOf } from "../config/schema/aws";
import { Consumer, PrincipalGrant, principalAccount, principalArn } from "../config/schema/consumers";
import type { RepositoryConfig } from "../config/schema/repository";
import type { RegistryConfig } from "../config/schema";
import { ResolvedEnvironment, resolveEnvironments } from "./environments";

/** A principal as a feature grants it in one environment: its policy ARN and whether it is in the registry's account. */
export interface GrantedPrincipal {
  /** As it appears in a policy; account ids are already `arn:<partition>:iam::<id>:root`. */
  readonly arn: string;
  /** Whether it is in the environment's account; undefined when the environment's account is not configured. */
  readonly sameAccount: boolean | undefined;
}

/** The principals of `grants` that apply to an environment, as policies name them, without repeats, sorted. */
export function grantedPrincipals(grants: ReadonlyArray<{ principal: string; environments?: readonly string[] }>, environment: ResolvedEnvironment): GrantedPrincipal[] {
  const partition = partitionOf(environment.region);
  const byArn = new Map<string, GrantedPrincipal>();
  for (const grant of grants) {
    if (grant.environments && !grant.environments.includes(environment.name)) continue;
    const arn = principalArn(grant.principal, partition);
    const sameAccount = environment.accountId === undefined ? undefined : environment.accountId === principalAccount(grant.principal);
    byArn.set(arn, { arn, sameAccount });
  }
  return [...byArn.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

/**
 * The push consumers of an environment, as grants: the registry-wide ones and, with
 * `includeRepositories`, every repository's own push consumers for repositories in that
 * environment. They build and publish model images, so features for builders default to them.
 */
export function pushConsumersOf(config: RegistryConfig, environment: ResolvedEnvironment, includeRepositories: boolean): PrincipalGrant[] {
  const grants: PrincipalGrant[] = (config.consumers ?? []).flatMap((c) => (c.kind === "push" ? [{ principal: c.principal, environments: c.environments }] : []));
  if (includeRepositories) {
    const here = new Set(environment.repositories.map((r) => r.name));
    for (const repo of config.repositories) {
      if (!here.has(repo.name)) continue;
      for (const c of repo.consumers ?? []) if (c.kind === "push") grants.push({ principal: c.principal, environments: c.environments });
    }
  }
  return grants.filter((g) => !g.environments || g.environments.includes(environment.name));
}

/** Where a consumer list sits in the config, and which environments its consumers can apply to. */
export interface ConsumerScope {
  readonly path: Array<string | number>;
  readonly consumers: readonly Consumer[];
  readonly environments: readonly ResolvedEnvironment[];
  readonly what: string;
  /** The repositories of an environment the scope's consumers apply to. */
  readonly repositories: (environment: ResolvedEnvironment) => readonly RepositoryConfig[];
}

/** Every consumer list of the config: the registry-wide one, then each repository's own. */
export function consumerScopes(config: RegistryConfig): ConsumerScope[] {
  const environments = resolveEnvironments(config);
  const scopes: ConsumerScope[] = [];
  if (config.consumers)
    scopes.push({
      path: ["consumers"],
      consumers: config.consumers,
      environments,
      what: "the registry",
      repositories: (env) => env.repositories.filter((r) => r.inheritConsumers),
    });
  const namesIn = new Map(environments.map((env) => [env, new Set(env.repositories.map((r) => r.name))]));
  config.repositories.forEach((repo, i) => {
    if (!repo.consumers) return;
    scopes.push({
      path: ["repositories", i, "consumers"],
      consumers: repo.consumers,
      environments: environments.filter((env) => namesIn.get(env)!.has(repo.name)),
      what: `repository ${repo.name}`,
      repositories: (env) => env.repositories.filter((r) => r.name === repo.name),
    });
  });
  return scopes;
}
