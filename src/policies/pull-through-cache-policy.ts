import type { Partition } from "../config/schema/aws";
import { ECR_AUTHORIZATION_ACTION, ECR_CACHE_IMPORT_ACTIONS, ECR_PULL_ACTIONS } from "../access/actions";
import { compare } from "../access/matrix";
import { PolicyDocument, PolicyStatement, assertLeastPrivilege } from "./policy-document";

/**
 * Policies that let principals pull through a pull-through cache rule. A first pull of an
 * upstream image needs `ecr:BatchImportUpstreamImage` and, while the repository does not exist
 * yet, `ecr:CreateRepository` (granted by the registry policy or an identity policy, never by a
 * repository policy for CreateRepository); every pull needs the pull actions on the repository the
 * cache created, which has no repository policy unless its creation template sets one.
 */

/** The repositories a cache rule creates: `repository/<prefix>/*` of the registry. */
export function cacheRepositoriesArn(partition: Partition, region: string, accountId: string, prefix: string): string {
  return `arn:${partition}:ecr:${region}:${accountId}:repository/${prefix}/*`;
}

/** A statement id from a cache prefix: `ecr-public` → `PullThroughCacheEcrPublic`. */
export function cacheStatementId(prefix: string): string {
  return `PullThroughCache${prefix
    .split(/[^a-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("")}`;
}

export interface CacheGrant {
  /** The cache rule's prefix. */
  readonly prefix: string;
  /** Principal ARNs that may pull through it. */
  readonly principals: readonly string[];
}

/**
 * The registry policy statements for caches: one per cache with principals, granting them the two
 * import actions on the cache's namespace only (the shape of ECR's own example). Sorted by prefix.
 * Two prefixes that differ only in separators (`a-b`, `a.b`) would share a statement id; ECR's
 * prefix rules allow both, so such ids get a suffix naming the prefix's separators.
 */
export function cacheRegistryStatements(partition: Partition, region: string, accountId: string, caches: readonly CacheGrant[]): PolicyStatement[] {
  const withPrincipals = caches.filter((c) => c.principals.length > 0).sort((a, b) => compare(a.prefix, b.prefix));
  const ids = withPrincipals.map((c) => cacheStatementId(c.prefix));
  const statements = withPrincipals.map(
    (cache, i): PolicyStatement => ({
      Sid: ids.indexOf(ids[i]) === ids.lastIndexOf(ids[i]) ? ids[i] : `${ids[i]}${separatorsOf(cache.prefix)}`,
      Effect: "Allow",
      Principal: { AWS: [...new Set(cache.principals)].sort(compare) },
      Action: [...ECR_CACHE_IMPORT_ACTIONS],
      Resource: cacheRepositoriesArn(partition, region, accountId, cache.prefix),
    }),
  );
  assertLeastPrivilege({ Version: "2012-10-17", Statement: statements });
  return statements;
}

/** `-` → `Dash`, `.` → `Dot`, `_` → `Underscore`, `/` → `Slash`, in order: tells apart prefixes that camel-case alike. */
function separatorsOf(prefix: string): string {
  const names: Record<string, string> = { "-": "Dash", ".": "Dot", _: "Underscore", "/": "Slash" };
  return [...prefix].filter((c) => c in names).map((c) => names[c]).join("");
}

/**
 * The repository policy a cache's creation template gives the repositories it creates: the
 * cache's principals may pull. Undefined when nobody is granted.
 */
export function cacheRepositoryPolicyDocument(principals: readonly string[]): PolicyDocument | undefined {
  if (principals.length === 0) return undefined;
  const document: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Sid: "PullThroughCachePull", Effect: "Allow", Principal: { AWS: [...new Set(principals)].sort(compare) }, Action: [...ECR_PULL_ACTIONS] }],
  };
  assertLeastPrivilege(document);
  return document;
}

/**
 * An identity policy for roles in the registry's own account that pull through a cache: the login
 * token, and the pull and import actions on the cache's namespace.
 */
export function cacheIdentityPolicyDocument(cacheRepositories: string): PolicyDocument {
  const document: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
      { Sid: "GetAuthorizationToken", Effect: "Allow", Action: [ECR_AUTHORIZATION_ACTION], Resource: "*" },
      { Sid: "PullThroughCache", Effect: "Allow", Action: [...ECR_PULL_ACTIONS, ...ECR_CACHE_IMPORT_ACTIONS].sort(compare), Resource: cacheRepositories },
    ],
  };
  assertLeastPrivilege(document);
  return document;
}
