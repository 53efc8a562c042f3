import { memoByObject } from "../cache";
import { everyLambdaFunctionArn, lambdaArnParts } from "../config/schema/consumers";
import { AccessLevel, ECR_LAMBDA_PULL_ACTIONS, ECR_PULL_ACTIONS, ECR_PUSH_ACTIONS, LAMBDA_SERVICE_PRINCIPAL } from "../access/actions";
import { AccessGrant, LambdaGrantee, OrganizationGrantee, compare } from "../access/matrix";
import { PolicyDocument, PolicyStatement, assertLeastPrivilege, policyJson } from "./policy-document";

/** ECR's limit on a repository policy's text (SetRepositoryPolicy `policyText`). */
export const MAX_REPOSITORY_POLICY_LENGTH = 10_240;

/**
 * The repository policy for one repository's grants (see `repositoryGrants`), or undefined when
 * nothing is granted. Statements come in a fixed order with stable Sids derived from what they
 * grant, never from config positions:
 * - `Push`: every push principal; `Pull`: every pull-only principal;
 * - `LambdaPull`: the Lambda service for the functions matching `aws:SourceArn` (ArnLike), the
 *   condition AWS documents for Lambda image pulls; an account's `function:*` pattern makes
 *   narrower patterns of the same account redundant;
 * - `OrganizationPull<id>`: `Principal: "*"` under `aws:PrincipalOrgID` (and `aws:PrincipalOrgPaths`).
 * Principals, actions and condition values are sorted. Throws `UnsafePolicyError` if the result
 * would break the least-privilege rules.
 */
export function repositoryPolicyDocument(grants: readonly AccessGrant[]): PolicyDocument | undefined {
  const { document } = unvettedPolicy(grants);
  if (document) assertLeastPrivilege(document);
  return document;
}

/**
 * The document before the least-privilege guard, and its text: config validation measures it
 * while other fields may still be invalid. Once per list of grants: the check and the stack both
 * ask for the same repository's (`repositoryGrants` gives them the same list).
 */
export const unvettedPolicy: (grants: readonly AccessGrant[]) => { document: PolicyDocument | undefined; json: string | undefined } = memoByObject(
  (grants: readonly AccessGrant[]) => {
    const document = unvettedPolicyDocument(grants);
    return { document, json: document && policyJson(document) };
  },
);

function unvettedPolicyDocument(grants: readonly AccessGrant[]): PolicyDocument | undefined {
  const statements: PolicyStatement[] = [];
  const principals = (level: AccessLevel) =>
    uniqueSorted(grants.flatMap((g) => (g.level === level && g.grantee.kind === "principal" ? [g.grantee.arn] : [])));

  const push = principals("push");
  if (push.length > 0) statements.push({ Sid: "Push", Effect: "Allow", Principal: { AWS: push }, Action: [...ECR_PUSH_ACTIONS] });
  const pull = principals("pull");
  if (pull.length > 0) statements.push({ Sid: "Pull", Effect: "Allow", Principal: { AWS: pull }, Action: [...ECR_PULL_ACTIONS] });

  statements.push(...lambdaStatements(grants.flatMap((g) => (g.grantee.kind === "lambda" ? [g.grantee] : []))));
  statements.push(...organizationStatements(grants.flatMap((g) => (g.grantee.kind === "organization" ? [g.grantee] : []))));

  return statements.length === 0 ? undefined : { Version: "2012-10-17", Statement: statements };
}

/**
 * One statement for every Lambda consumer: all conditions are the same key and operator, so a
 * list of patterns (any of which matches) says it, like `Pull` lists its principals.
 */
function lambdaStatements(grantees: readonly LambdaGrantee[]): PolicyStatement[] {
  const patterns = new Set(grantees.map((g) => g.sourceArn));
  const redundant = (pattern: string) => {
    const fn = lambdaArnParts(pattern);
    const everyFunction = fn && everyLambdaFunctionArn(fn.partition, fn.region, fn.account);
    return everyFunction !== undefined && everyFunction !== pattern && patterns.has(everyFunction);
  };
  const sourceArns = [...patterns].filter((p) => !redundant(p)).sort(compare);
  if (sourceArns.length === 0) return [];
  return [
    {
      Sid: "LambdaPull",
      Effect: "Allow",
      Principal: { Service: LAMBDA_SERVICE_PRINCIPAL },
      Action: [...ECR_LAMBDA_PULL_ACTIONS],
      Condition: { ArnLike: { "aws:SourceArn": sourceArns } },
    },
  ];
}

function organizationStatements(grantees: readonly OrganizationGrantee[]): PolicyStatement[] {
  return [...grantees]
    .sort((a, b) => compare(a.organizationId, b.organizationId))
    .map((g) => ({
      Sid: `OrganizationPull${g.organizationId.slice("o-".length)}`,
      Effect: "Allow",
      Principal: "*",
      Action: [...ECR_PULL_ACTIONS],
      Condition: {
        ...(g.organizationPaths ? { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": [...g.organizationPaths] } } : {}),
        StringEquals: { "aws:PrincipalOrgID": g.organizationId },
      },
    }));
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compare);
}

