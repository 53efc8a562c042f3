import type { z } from "zod";
import { defaultWorkspaceName, environmentWorkspaceTag, stackName, stateKeyAliasName, stateStackName } from "../naming";
import { parseRoleArn } from "./assume-role";
import type { ResolvedEnvironment } from "./resolve";
import type { RegistryConfig } from "./schema";
import { unknownEnvironment } from "./suggest";

/** Where one environment's Terraform state lives, with every default filled in. */
export type BackendSettings = S3BackendSettings | HcpBackendSettings;

export interface S3BackendSettings {
  readonly type: "s3";
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  /** KMS key (ARN or `alias/...`) for SSE-KMS; absent means SSE-S3 (AES256). */
  readonly kmsKeyId?: string;
  readonly dynamodbTable?: string;
  /** Role the backend assumes for state access; absent means Terraform's own credentials. */
  readonly assumeRoleArn?: string;
  /** The only account the backend may act in: the state bucket's, when it is reached through a role. */
  readonly allowedAccountIds?: readonly string[];
}

export interface HcpBackendSettings {
  readonly type: "hcp";
  readonly organization: string;
  /** Terraform Enterprise host; absent means HCP Terraform (app.terraform.io). */
  readonly hostname?: string;
  readonly workspace: { readonly name: string } | { readonly tags: readonly string[] };
}

export function backendFor(config: RegistryConfig, environment: ResolvedEnvironment): BackendSettings {
  const state = config.state;
  if (state.backend === "hcp") {
    return {
      type: "hcp",
      organization: state.organization,
      hostname: state.hostname,
      workspace: state.workspaceTags
        ? { tags: [...new Set([...state.workspaceTags, environmentWorkspaceTag(environment.name)])].sort() }
        : { name: workspaceNameOf(config.project, environment.name, state.workspaceNames) },
    };
  }
  const s3 = environment.state!; // resolved for every environment when the backend is s3
  // The S3 backend sends its own encryption header (AES256 unless given a key), which overrides the
  // bucket's default encryption, so SSE-KMS has to be named here too. The registry's state key
  // encrypts the registry's state bucket; an environment's own bucket brings its own encryption.
  const registryBucket = s3.bucket === state.bucket;
  return {
    type: "s3",
    bucket: s3.bucket,
    key: s3.key,
    region: s3.region,
    kmsKeyId:
      registryBucket && state.encryption.type === "KMS" ? (state.encryption.kmsKeyArn ?? `alias/${stateKeyAliasName(config.project)}`) : undefined,
    dynamodbTable: s3.dynamodbTable,
    assumeRoleArn: registryBucket ? state.assumeRoleArn : undefined,
    // Only with the role: without it, a caller in another account may be admitted by a bucket policy.
    allowedAccountIds: registryBucket && state.assumeRoleArn && state.accountId ? [state.accountId] : undefined,
  };
}

/** The prefix of every environment's S3 state key: `state.keyPrefix`, else the project name. */
export function stateKeyPrefix(config: RegistryConfig): string {
  return (config.state.backend === "s3" ? config.state.keyPrefix : undefined) ?? config.project;
}

/** Region of the S3 state bucket: `state.region`, else the registry's region. */
export function stateBucketRegion(config: RegistryConfig): string {
  return (config.state.backend === "s3" ? config.state.region : undefined) ?? config.region;
}

function workspaceNameOf(project: string, environment: string, overrides: Record<string, string> | undefined): string {
  return overrides?.[environment] ?? defaultWorkspaceName(project, environment);
}

/** Rules between `state` and the rest of the config (run from the root schema's superRefine). */
export function checkStateBackend(config: RegistryConfig, ctx: z.RefinementCtx): void {
  const state = config.state;
  const environmentNames = config.environments.map((e) => e.name);

  if (state.backend === "s3") {
    const role = state.assumeRoleArn ? parseRoleArn(state.assumeRoleArn) : undefined;
    if (role && state.accountId && role.accountId !== state.accountId)
      ctx.addIssue({
        code: "custom",
        path: ["state", "assumeRoleArn"],
        message: `is a role in account ${role.accountId}, but the state bucket is in account ${state.accountId} (state.accountId); the backend would be refused`,
      });
    if (!state.bootstrap && state.encryption.type === "KMS" && !state.encryption.kmsKeyArn)
      ctx.addIssue({
        code: "custom",
        path: ["state", "encryption", "kmsKeyArn"],
        message:
          "is required with bootstrap: false and encryption type KMS, because the backend must name the key of a bucket this project does not create (or set encryption type AES256)",
      });
    if (state.bootstrap) checkBootstrapStackName(config, ctx);
    return;
  }

  config.environments.forEach((env, i) => {
    for (const key of ["stateKey", "state"] as const) {
      if (env[key] !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["environments", i, key],
          message: "is an S3 backend setting; with state.backend hcp each environment's state lives in its HCP Terraform workspace",
        });
    }
  });

  for (const name of Object.keys(state.workspaceNames ?? {}).sort()) {
    if (!environmentNames.includes(name))
      ctx.addIssue({
        code: "custom",
        path: ["state", "workspaceNames", name],
        message: unknownEnvironment(name, environmentNames),
      });
  }

  if (!state.workspaceTags) {
    const owner = new Map<string, string>();
    for (const env of new Set(environmentNames)) {
      const workspace = workspaceNameOf(config.project, env, state.workspaceNames);
      const first = owner.get(workspace);
      if (first === undefined) owner.set(workspace, env);
      else
        ctx.addIssue({
          code: "custom",
          // Blame the override, not the environment that kept its default name.
          path: ["state", "workspaceNames", state.workspaceNames?.[env] !== undefined ? env : first],
          message: `environments ${first} and ${env} would share workspace "${workspace}" and overwrite each other's state`,
        });
    }
  }
}

function checkBootstrapStackName(config: RegistryConfig, ctx: z.RefinementCtx): void {
  config.environments.forEach((env, i) => {
    if (stackName(config.project, env.name) === stateStackName(config.project))
      ctx.addIssue({
        code: "custom",
        path: ["environments", i, "name"],
        message: `"${env.name}" would name its stack ${stateStackName(config.project)}, the state bootstrap stack's name; rename the environment (or set state.bootstrap: false)`,
      });
  });
}
