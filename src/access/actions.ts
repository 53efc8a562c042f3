/**
 * The ECR actions each kind of access grants, defined once. Every policy this project writes
 * takes its actions from here; none is ever a wildcard.
 */

/** Read an image: resolve a tag or digest, check and download its layers. */
export const ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] as const;

/** Publish an image: everything a pull needs (the client checks which layers exist) plus the layer upload and PutImage. */
export const ECR_PUSH_ACTIONS = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:BatchGetImage",
  "ecr:CompleteLayerUpload",
  "ecr:GetDownloadUrlForLayer",
  "ecr:InitiateLayerUpload",
  "ecr:PutImage",
  "ecr:UploadLayerPart",
] as const;

/** What the Lambda service needs to fetch a function's container image (AWS's documented pair). */
export const ECR_LAMBDA_PULL_ACTIONS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] as const;

/**
 * What a first pull through a cache needs besides the pull actions: importing the upstream image
 * and creating the repository that stores it (ECR user guide, pull through cache IAM
 * permissions). ECR enforces only these and `ecr:ReplicateImage` in a registry policy.
 */
export const ECR_CACHE_IMPORT_ACTIONS = ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"] as const;

/**
 * Issues the registry login token. It cannot be scoped to a repository (its resource is always `*`)
 * and cannot be granted by a repository policy, so it only ever appears in identity policies.
 */
export const ECR_AUTHORIZATION_ACTION = "ecr:GetAuthorizationToken";

/**
 * The one Signer action a Notation signer needs: the AWS Signer plugin for Notation signs by
 * calling SignPayload, and cross-account signing of container images is granted with it
 * (AddProfilePermission: StartSigningJob is not supported for container image workflows).
 */
export const SIGN_PAYLOAD_ACTION = "signer:SignPayload";

export type EcrAction =
  | (typeof ECR_PUSH_ACTIONS)[number]
  | (typeof ECR_CACHE_IMPORT_ACTIONS)[number]
  | (typeof ECR_LAMBDA_PULL_ACTIONS)[number]
  | (typeof ECR_PULL_ACTIONS)[number]
  | typeof ECR_AUTHORIZATION_ACTION;

/** The two permission levels a principal can hold on a repository; push includes pull. */
export type AccessLevel = "pull" | "push";

export function actionsOfLevel(level: AccessLevel): readonly EcrAction[] {
  return level === "push" ? ECR_PUSH_ACTIONS : ECR_PULL_ACTIONS;
}

/** The service principal of container-image Lambda functions. */
export const LAMBDA_SERVICE_PRINCIPAL = "lambda.amazonaws.com";
