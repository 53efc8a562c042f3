import { memoByObject } from "../cache";
import { partitionOf } from "../config/schema/aws";
import { Consumer, everyLambdaFunctionArn, principalAccount, principalArn } from "../config/schema/consumers";
import type { RepositoryConfig } from "../config/schema/repository";
import { ResolvedEnvironment, resolveEnvironments } from "../plan/environments";
import { governedReplicaRegions } from "../plan/replicas";
import type { RegistryConfig } from "../config/schema";
import { AccessLevel, ECR_LAMBDA_PULL_ACTIONS, ECR_PULL_ACTIONS, EcrAction, actionsOfLevel } from "./actions";

/** An IAM role, user or account (root) named in the config. */
export interface PrincipalGrantee {
  readonly kind: "principal";
  /** The principal as it appears in the policy; account ids are already `arn:<partition>:iam::<id>:root`. */
  readonly arn: string;
  /** Whether the principal is in the environment's account; undefined when the environment's account is not configured. */
  readonly sameAccount: boolean | undefined;
}

/** The Lambda service, pulling on behalf of the functions its condition matches. */
export interface LambdaGrantee {
  readonly kind: "lambda";
  /**
   * Condition `aws:SourceArn` (ArnLike): the consumer's `sourceArn`, or for a consumer with only
   * `sourceAccount` every function of that account in the environment's partition and region
   * (`arn:<partition>:lambda:<region>:<account>:function:*`).
   */
  readonly sourceArn: string;
}

/** Every principal of an organization (`Principal: "*"` under `aws:PrincipalOrgID`). */
export interface OrganizationGrantee {
  readonly kind: "organization";
  /** Condition `aws:PrincipalOrgID` (StringEquals). */
  readonly organizationId: string;
  /** Condition `aws:PrincipalOrgPaths` (ForAnyValue:StringLike), sorted; absent means the whole organization. */
  readonly organizationPaths?: readonly string[];
}

export type Grantee = PrincipalGrantee | LambdaGrantee | OrganizationGrantee;

/** One cell of the access matrix: who may do what to one repository in one environment. */
export interface AccessGrant {
  readonly environment: string;
  /** Where the grant applies: the environment's region, or a region the repository is replicated to (its replica's policy). */
  readonly region: string;
  readonly repository: string;
  readonly grantee: Grantee;
  /** `push` only for principals declared with kind push; Lambda and organizations always pull. */
  readonly level: AccessLevel;
  /** The exact actions the repository policy grants, sorted. */
  readonly actions: readonly EcrAction[];
  /** The config entries this grant comes from (several when inherited and repository consumers merge), e.g. `consumers[0]`. */
  readonly declaredAt: readonly string[];
}

/** A consumer with the config path it was declared at. */
interface DeclaredConsumer {
  readonly consumer: Consumer;
  readonly path: string;
}

/**
 * The consumers of one repository: the registry-wide list (unless the repository sets
 * `inheritConsumers: false`) followed by its own.
 */
function declaredConsumers(config: RegistryConfig, repositoryName: string): DeclaredConsumer[] {
  const index = repositoryIndex(config.repositories, repositoryName);
  const repo = config.repositories[index];
  const inherited = repo.inheritConsumers ? (config.consumers ?? []).map((consumer, i) => ({ consumer, path: `consumers[${i}]` })) : [];
  const own = (repo.consumers ?? []).map((consumer, i) => ({ consumer, path: `repositories[${index}].consumers[${i}]` }));
  return [...inherited, ...own];
}

/** The index of each repository name in a list; a linear search per repository made synth quadratic. */
const repositoryIndexes = memoByObject((repositories: readonly RepositoryConfig[]) => {
  const indexes = new Map<string, number>();
  repositories.forEach((repo, i) => {
    if (!indexes.has(repo.name)) indexes.set(repo.name, i);
  });
  return indexes;
});

/** The index of the first repository named `name`, like `findIndex`. */
function repositoryIndex(repositories: readonly RepositoryConfig[], name: string): number {
  const index = repositoryIndexes(repositories).get(name);
  // A list changed after it was indexed (a test's config built by hand) is searched instead.
  return index !== undefined && repositories[index]?.name === name ? index : repositories.findIndex((r) => r.name === name);
}

/** Grants already merged, per config; config validation and the stacks ask for the same repositories. */
const grantsByConfig = memoByObject((_config: RegistryConfig) => new Map<string, readonly AccessGrant[]>());

/**
 * The grants of one repository in one environment, merged without duplicates: a principal
 * declared more than once gets the highest level; identical Lambda conditions merge; an
 * organization admitted whole absorbs its own path-limited entries, otherwise paths are united.
 * Sorted by grantee so the result does not depend on config order.
 */
export function repositoryGrants(
  config: RegistryConfig,
  environment: ResolvedEnvironment,
  repositoryName: string,
  region: string = environment.region,
): readonly AccessGrant[] {
  const known = grantsByConfig(config);
  // Everything of the environment the grants depend on, the repository and the region.
  const key = `${environment.name}\0${environment.region}\0${environment.accountId ?? ""}\0${repositoryName}\0${region}`;
  let grants = known.get(key);
  if (!grants) known.set(key, (grants = mergedGrants(config, environment, repositoryName, region)));
  return grants;
}

/** The regions a consumer uses a repository in: its `regions`, else the environment's own. */
export function consumerRegions(consumer: Consumer, environment: ResolvedEnvironment): readonly string[] {
  return consumer.regions ?? [environment.region];
}

function mergedGrants(config: RegistryConfig, environment: ResolvedEnvironment, repositoryName: string, region: string): AccessGrant[] {
  const partition = partitionOf(environment.region);
  const merged = new Map<string, { grantee: Grantee; level: AccessLevel; declaredAt: string[] }>();
  const add = (key: string, grantee: Grantee, level: AccessLevel, path: string) => {
    const existing = merged.get(key);
    if (!existing) {
      merged.set(key, { grantee, level, declaredAt: [path] });
      return;
    }
    existing.declaredAt.push(path);
    if (level === "push") existing.level = "push";
    if (grantee.kind === "organization" && existing.grantee.kind === "organization") {
      const a = existing.grantee.organizationPaths;
      const b = grantee.organizationPaths;
      existing.grantee = {
        ...existing.grantee,
        organizationPaths: a && b ? [...new Set([...a, ...b])].sort() : undefined,
      };
    }
  };

  for (const { consumer, path } of declaredConsumers(config, repositoryName)) {
    if (consumer.environments && !consumer.environments.includes(environment.name)) continue;
    if (!consumerRegions(consumer, environment).includes(region)) continue;
    switch (consumer.kind) {
      case "push":
      case "pull": {
        const arn = principalArn(consumer.principal, partition);
        const accountId = principalAccount(consumer.principal);
        const sameAccount = environment.accountId === undefined ? undefined : environment.accountId === accountId;
        add(`principal ${arn}`, { kind: "principal", arn, sameAccount }, consumer.kind, path);
        break;
      }
      case "lambda": {
        // The schema requires one of the two; `?? ""` only keeps a config with field errors measurable.
        const sourceArn = consumer.sourceArn ?? everyLambdaFunctionArn(partition, region, consumer.sourceAccount ?? "");
        add(`lambda ${sourceArn}`, { kind: "lambda", sourceArn }, "pull", path);
        break;
      }
      case "organization":
        add(
          `organization ${consumer.organizationId}`,
          withoutUndefined({
            kind: "organization",
            organizationId: consumer.organizationId,
            organizationPaths: consumer.organizationPaths ? [...new Set(consumer.organizationPaths)].sort() : undefined,
          }),
          "pull",
          path,
        );
        break;
    }
  }

  return [...merged.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([, { grantee, level, declaredAt }]) => ({
      environment: environment.name,
      region,
      repository: repositoryName,
      grantee: withoutUndefined(grantee),
      level,
      actions: grantee.kind === "lambda" ? ECR_LAMBDA_PULL_ACTIONS : grantee.kind === "organization" ? ECR_PULL_ACTIONS : actionsOfLevel(level),
      declaredAt,
    }));
}

/**
 * The access matrix of the whole registry: every grant of every repository in every
 * environment, in its region and then in each region it is replicated to (the replicas'
 * policies), sorted by environment, repository, region and grantee. Only what the config declares;
 * same-account IAM policies attached outside this project are not visible here.
 */
export function accessMatrix(config: RegistryConfig): AccessGrant[] {
  const grants: AccessGrant[] = [];
  const environments = [...resolveEnvironments(config)].sort((a, b) => compare(a.name, b.name));
  for (const environment of environments) {
    const repositories = [...environment.repositories].sort((a, b) => compare(a.name, b.name));
    for (const repository of repositories) {
      grants.push(...repositoryGrants(config, environment, repository.name));
      for (const region of governedReplicaRegions(config, environment, repository)) grants.push(...repositoryGrants(config, environment, repository.name, region));
    }
  }
  return grants;
}

/** A short, stable label for a grantee, e.g. for reports: the ARN, `lambda.amazonaws.com (aws:SourceArn=...)`, `organization o-...`. */
export function granteeLabel(grantee: Grantee): string {
  switch (grantee.kind) {
    case "principal":
      return grantee.arn;
    case "lambda":
      return `lambda.amazonaws.com (aws:SourceArn=${grantee.sourceArn})`;
    case "organization":
      return grantee.organizationPaths
        ? `organization ${grantee.organizationId} (${grantee.organizationPaths.join(", ")})`
        : `organization ${grantee.organizationId}`;
  }
}

/** Code-unit order, independent of locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
