import { Partition } from "../config/schema/aws";
import { AccessLevel, ECR_AUTHORIZATION_ACTION, actionsOfLevel } from "../access/actions";
import { AccessGrant } from "../access/matrix";
import { PolicyDocument, assertLeastPrivilege } from "./policy-document";

/** The ARN of a repository, built from what the config already knows (no Terraform reference needed). */
export function repositoryArn(partition: Partition, region: string, accountId: string, repositoryName: string): string {
  return `arn:${partition}:ecr:${region}:${accountId}:repository/${repositoryName}`;
}

/**
 * An identity policy for roles in the registry's own account: the level's actions on one
 * repository, plus `ecr:GetAuthorizationToken` on `*` in its own statement (the one ECR action
 * that cannot be scoped to a repository, and that no repository policy can grant).
 */
export function identityPolicyDocument(level: AccessLevel, repositoryArnValue: string): PolicyDocument {
  const document: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
      { Sid: "GetAuthorizationToken", Effect: "Allow", Action: [ECR_AUTHORIZATION_ACTION], Resource: "*" },
      { Sid: level === "push" ? "Push" : "Pull", Effect: "Allow", Action: [...actionsOfLevel(level)], Resource: repositoryArnValue },
    ],
  };
  assertLeastPrivilege(document);
  return document;
}

/**
 * The levels that get an identity policy for one repository: those held by at least one
 * principal of the environment's own account. Cross-account principals need a policy in their
 * own account, which this project cannot create; Lambda and organization grants need none.
 */
export function identityPolicyLevels(grants: readonly AccessGrant[]): AccessLevel[] {
  const levels = new Set(grants.filter((g) => g.grantee.kind === "principal" && g.grantee.sameAccount === true).map((g) => g.level));
  return (["push", "pull"] as const).filter((level) => levels.has(level));
}
