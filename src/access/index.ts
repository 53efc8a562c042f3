/**
 * Access to the registry, derived from the declared consumers. Later features (review report,
 * guardrails) import from here: the action sets, the access matrix and the policy builders.
 */
export * from "./actions";
export * from "./matrix";
export * from "./policy-document";
export { MAX_REPOSITORY_POLICY_LENGTH, repositoryPolicyDocument } from "./repository-policy";
export { identityPolicyDocument, identityPolicyLevels, repositoryArn } from "./identity-policy";
