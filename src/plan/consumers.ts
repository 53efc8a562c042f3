import { partitionOf } from "../config/schema/aws";
import { PrincipalGrant, principalAccount, principalArn } from "../config/schema/consumers";
import type { RegistryConfig } from "../config/schema";
import type { ResolvedEnvironment } from "./environments";

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
