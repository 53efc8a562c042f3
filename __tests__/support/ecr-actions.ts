/**
 * The action sets the issue specifies, written out literally: tests compare the synthesized
 * policies (and src/access/actions.ts) against these, never against the code's own lists.
 */
export const PUSH = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:BatchGetImage",
  "ecr:CompleteLayerUpload",
  "ecr:GetDownloadUrlForLayer",
  "ecr:InitiateLayerUpload",
  "ecr:PutImage",
  "ecr:UploadLayerPart",
];
export const PULL = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
export const LAMBDA_PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
/** What a first pull through a cache needs besides pulling (ECR user guide, pull through cache IAM permissions). */
export const CACHE_IMPORT = ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"];
