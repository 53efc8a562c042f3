import { isProtected, retiredIn } from "../config/schema/data-safety";
import { parseRoleArn } from "../config/schema/assume-role";
import type { EnvironmentConfig } from "../config/schema/environment";
import type { RepositoryConfig } from "../config/schema/repository";
import type { RegistryConfig } from "../config/schema";

// plan/: the checked config as what each environment holds, pure data for the checks and the
// stacks (docs/design.md). This file is its base: each environment with its defaults filled in.

/** The role the AWS provider assumes for one environment. */
export interface ResolvedAssumeRole {
  readonly roleArn: string;
  readonly externalId?: string;
  readonly sessionName?: string;
}

/** Where one environment's Terraform state lives (S3 backend). */
export interface ResolvedS3State {
  readonly bucket: string;
  readonly region: string;
  readonly key: string;
  readonly dynamodbTable?: string;
}

/** One environment with every default filled in and its repositories selected. */
export interface ResolvedEnvironment {
  readonly name: string;
  readonly region: string;
  /** The only account the provider may touch; undefined when neither the config nor a role names one. */
  readonly accountId?: string;
  readonly assumeRole?: ResolvedAssumeRole;
  /** The S3 state location; undefined with `state.backend: hcp`, where HCP Terraform keeps state. */
  readonly state?: ResolvedS3State;
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
    accountId: environmentAccountId(env, config.accountId),
    assumeRole: env.assumeRoleArn
      ? { roleArn: env.assumeRoleArn, externalId: env.externalId, sessionName: env.sessionName }
      : undefined,
    state: s3StateOf(config, env),
    manageRegistrySettings: env.manageRegistrySettings,
    repositories: config.repositories.filter((repo) => !repo.environments || repo.environments.includes(env.name)),
    protected: isProtected(env),
    retired: retiredIn(config, env.name),
  }));
}

function s3StateOf(config: RegistryConfig, env: EnvironmentConfig): ResolvedS3State | undefined {
  const registry = config.state;
  if (registry.backend !== "s3") return undefined;
  return {
    bucket: env.state?.bucket ?? registry.bucket,
    region: env.state?.region ?? registry.region ?? config.region,
    key: env.stateKey ?? `${env.state?.keyPrefix ?? registry.keyPrefix ?? config.project}/${env.name}/terraform.tfstate`,
    dynamodbTable: env.state?.dynamodbTable ?? registry.dynamodbTable,
  };
}

/**
 * The account an environment deploys into: its own `accountId`, else the registry's, else the
 * account of the role it assumes (a role's session always acts in the role's account).
 */
export function environmentAccountId(
  env: Pick<EnvironmentConfig, "accountId" | "assumeRoleArn">,
  registryAccountId: string | undefined,
): string | undefined {
  return env.accountId ?? registryAccountId ?? (env.assumeRoleArn ? parseRoleArn(env.assumeRoleArn)?.accountId : undefined);
}
/** The environments a feature applies to: the named ones, or by default every eligible one. */
export function selectedEnvironments(
  config: RegistryConfig,
  names: readonly string[] | undefined,
  scope: "registry-wide" | "per-environment",
): ResolvedEnvironment[] {
  return resolveEnvironments(config).filter(
    (env) => (names ? names.includes(env.name) : scope === "per-environment" || env.manageRegistrySettings),
  );
}
