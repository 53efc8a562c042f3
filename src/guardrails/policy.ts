/**
 * Reading IAM policy documents as any tool could have written them: `Action`, `Resource` and
 * principals may be a string or a list, condition keys are case-insensitive, and `NotAction` /
 * `NotPrincipal` turn a statement inside out. The guardrails parse the policy text a resource
 * carries, so they judge what AWS will get rather than what this project meant to write.
 */

export interface ParsedStatement {
  readonly sid?: string;
  readonly effect: string;
  readonly principal: unknown;
  readonly notPrincipal: unknown;
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  readonly condition: Record<string, Record<string, unknown>>;
}

/** The statements of a policy document; undefined when the text is not a JSON policy document. */
export function parsePolicy(text: unknown): ParsedStatement[] | undefined {
  if (typeof text !== "string") return undefined;
  let document: any;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (document === null || typeof document !== "object") return undefined;
  const statements = Array.isArray(document.Statement) ? document.Statement : document.Statement ? [document.Statement] : [];
  return statements.map(
    (s: any): ParsedStatement => ({
      sid: typeof s.Sid === "string" ? s.Sid : undefined,
      effect: String(s.Effect ?? ""),
      principal: s.Principal,
      notPrincipal: s.NotPrincipal,
      actions: list(s.Action),
      notActions: list(s.NotAction),
      resources: list(s.Resource),
      condition: s.Condition && typeof s.Condition === "object" ? s.Condition : {},
    }),
  );
}

/** How a statement is named in messages: its Sid, else its position. */
export function statementName(statement: ParsedStatement, index: number): string {
  return statement.sid ? `statement ${statement.sid}` : `statement ${index + 1}`;
}

/** Whether a principal element admits everyone: `"*"`, or `*` among the AWS principals. */
export function isWildcardPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (principal && typeof principal === "object") return list((principal as Record<string, unknown>).AWS).includes("*");
  return false;
}

/**
 * Whether the statement is limited to one AWS Organization: a `StringEquals` (or
 * `ForAnyValue:`/`ForAllValues:StringEquals`) condition on `aws:PrincipalOrgID` with values and no
 * wildcard, the condition CKV_AWS_32 accepts.
 */
export function hasOrganizationCondition(statement: ParsedStatement): boolean {
  for (const [operator, keys] of Object.entries(statement.condition)) {
    if (!["stringequals", "forallvalues:stringequals", "foranyvalue:stringequals"].includes(operator.toLowerCase())) continue;
    for (const [key, value] of Object.entries(keys ?? {})) {
      if (key.toLowerCase() !== "aws:principalorgid") continue;
      const values = list(value);
      if (values.length > 0 && values.every((v) => v.length > 0 && !v.includes("*") && !v.includes("?"))) return true;
    }
  }
  return false;
}

/** Actions with a `*` or `?` wildcard (`ecr:*`, `ecr:Put*`, `*`). */
export function wildcardActions(statement: ParsedStatement): string[] {
  return statement.actions.filter((a) => a.includes("*") || a.includes("?"));
}

/** Whether a `Bool` condition requires `aws:SecureTransport` to be `false` (the statement then matches plain HTTP only). */
export function deniesInsecureTransport(statement: ParsedStatement): boolean {
  for (const [operator, keys] of Object.entries(statement.condition)) {
    if (operator.toLowerCase() !== "bool") continue;
    for (const [key, value] of Object.entries(keys ?? {})) {
      if (key.toLowerCase() === "aws:securetransport" && list(value).map((v) => v.toLowerCase()).includes("false")) return true;
    }
  }
  return false;
}

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

/** The service principals a principal element names (`{"Service": ...}`). */
export function servicePrincipals(principal: unknown): string[] {
  if (principal && typeof principal === "object") return list((principal as Record<string, unknown>).Service);
  return [];
}

/** The AWS principals a principal element names (`{"AWS": ...}`, or `"*"`). */
export function awsPrincipals(principal: unknown): string[] {
  if (principal === "*") return ["*"];
  if (principal && typeof principal === "object") return list((principal as Record<string, unknown>).AWS);
  return [];
}

/** Whether an `Action` entry (with `*`/`?` wildcards, case-insensitive as IAM compares) covers an action. */
export function actionCovers(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return regex.test(action);
}

/** Whether a statement's actions cover every one of `actions`. */
export function allowsActions(statement: ParsedStatement, actions: readonly string[]): boolean {
  return actions.every((action) => statement.actions.some((pattern) => actionCovers(pattern, action)));
}

/** The condition keys a statement uses, lower-cased (condition keys are case-insensitive). */
export function conditionKeys(statement: ParsedStatement): string[] {
  return Object.values(statement.condition).flatMap((keys) => Object.keys(keys ?? {}).map((key) => key.toLowerCase()));
}
