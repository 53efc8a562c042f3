import { stateKeyPrefix } from "./backend";
import { isProtected, retiredIn } from "./data-safety";
import type { RepositoryConfig } from "./repository";
import type { RegistryConfig } from "./schema";

/** One environment with every default filled in and its repositories selected. */
export interface ResolvedEnvironment {
  readonly name: string;
  readonly region: string;
  readonly accountId?: string;
  readonly stateKey: string;
  readonly manageRegistrySettings: boolean;
  readonly repositories: readonly RepositoryConfig[];
  /** Whether the repositories and KMS key are guarded against destruction (see data-safety.ts). */
  readonly protected: boolean;
  /** Retired repositories not declared in this environment, sorted: Terraform forgets them. */
  readonly retired: readonly string[];
}

export function resolveEnvironments(config: RegistryConfig): ResolvedEnvironment[] {
  return config.environments.map((env) => ({
    name: env.name,
    region: env.region ?? config.region,
    accountId: env.accountId ?? config.accountId,
    stateKey: env.stateKey ?? `${stateKeyPrefix(config)}/${env.name}/terraform.tfstate`,
    manageRegistrySettings: env.manageRegistrySettings,
    repositories: config.repositories.filter((repo) => !repo.environments || repo.environments.includes(env.name)),
    protected: isProtected(env),
    retired: retiredIn(config, env.name),
  }));
}
