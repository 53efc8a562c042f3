import { defaultWorkspaceName, environmentWorkspaceTag, stateKeyAliasName } from "../naming";
import type { ResolvedEnvironment } from "./environments";
import type { RegistryConfig } from "../config/schema";

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

export function workspaceNameOf(project: string, environment: string, overrides: Record<string, string> | undefined): string {
  return overrides?.[environment] ?? defaultWorkspaceName(project, environment);
}

