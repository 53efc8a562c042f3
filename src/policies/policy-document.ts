import { lambdaArnParts } from "../config/schema/consumers";
import { ECR_AUTHORIZATION_ACTION, LAMBDA_SERVICE_PRINCIPAL } from "../access/actions";

/** The subset of the IAM policy grammar this project writes. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal?: "*" | { readonly AWS: readonly string[] } | { readonly Service: string };
  readonly Action: readonly string[];
  readonly Resource?: string;
  /** Operator → condition key → values. */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** Thrown when code (not config) tries to emit a policy that breaks the least-privilege rules: a bug, never a user error. */
export class UnsafePolicyError extends Error {
  constructor(message: string) {
    super(`refusing to emit an unsafe policy: ${message}`);
    this.name = "UnsafePolicyError";
  }
}

/**
 * The last check before a policy leaves this project. Config validation already makes these
 * states impossible; this guard keeps a future code change from emitting one silently.
 * - no action with a wildcard (`ecr:*`, `ecr:Put*`, `*`);
 * - no `Principal: "*"` unless the statement is limited by `aws:PrincipalOrgID`;
 * - no service principal without a condition; the Lambda service only under `ArnLike
 *   aws:SourceArn` with function ARNs of named accounts (AWS documents no other condition for
 *   image pulls, and a pattern without an account would admit every account's functions);
 * - `Resource: "*"` only for `ecr:GetAuthorizationToken`, alone in its statement;
 * - unique, alphanumeric Sids.
 */
export function assertLeastPrivilege(document: PolicyDocument): void {
  const sids = new Set<string>();
  for (const statement of document.Statement) {
    const sid = statement.Sid;
    if (!/^[A-Za-z0-9]+$/.test(sid)) throw new UnsafePolicyError(`Sid ${JSON.stringify(sid)} must be alphanumeric`);
    if (sids.has(sid)) throw new UnsafePolicyError(`Sid ${sid} appears twice`);
    sids.add(sid);
    if (statement.Action.length === 0) throw new UnsafePolicyError(`statement ${sid} has no actions`);
    for (const action of statement.Action) {
      if (action.includes("*") || action.includes("?")) throw new UnsafePolicyError(`statement ${sid} grants the wildcard action ${action}`);
    }
    const principal = statement.Principal;
    const wildcardPrincipal = principal === "*" || (principal !== undefined && "AWS" in principal && principal.AWS.includes("*"));
    if (wildcardPrincipal && !hasCondition(statement, "StringEquals", "aws:PrincipalOrgID"))
      throw new UnsafePolicyError(`statement ${sid} grants Principal "*" without an aws:PrincipalOrgID condition`);
    const service = principal !== undefined && principal !== "*" && "Service" in principal ? principal.Service : undefined;
    if (service !== undefined && !statement.Condition) throw new UnsafePolicyError(`statement ${sid} grants the service ${service} without a condition`);
    if (service === LAMBDA_SERVICE_PRINCIPAL && !limitedToNamedFunctions(statement))
      throw new UnsafePolicyError(`statement ${sid} grants ${LAMBDA_SERVICE_PRINCIPAL} without ArnLike aws:SourceArn function ARNs of named accounts`);
    if (statement.Resource === "*" && !(statement.Action.length === 1 && statement.Action[0] === ECR_AUTHORIZATION_ACTION))
      throw new UnsafePolicyError(`statement ${sid} grants ${statement.Action.join(", ")} on every resource`);
  }
}

function limitedToNamedFunctions(statement: PolicyStatement): boolean {
  const value = statement.Condition?.ArnLike?.["aws:SourceArn"];
  const patterns = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return patterns.length > 0 && patterns.every((p) => lambdaArnParts(p) !== undefined);
}

function hasCondition(statement: PolicyStatement, operator: string, key: string): boolean {
  const value = statement.Condition?.[operator]?.[key];
  return value !== undefined && value.length > 0 && !(Array.isArray(value) ? value.includes("*") : value === "*");
}

/** Compact JSON with the key order the builders chose, so the same config gives byte-identical output. */
export function policyJson(document: PolicyDocument): string {
  return JSON.stringify(document);
}
