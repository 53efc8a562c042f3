/**
 * What each Terraform resource and data source type this project emits is, in a platform team's
 * words. The one table behind the hand-off README's resource sections; a test checks that every
 * type the default config synthesizes is in it, so a feature that adds a resource type adds a row.
 */

export interface ResourceTypeDescription {
  /** The AWS service, as the console names it. */
  readonly service: string;
  /** One sentence: what this resource is and why the registry has it. */
  readonly meaning: string;
}

export const RESOURCE_TYPES: Readonly<Record<string, ResourceTypeDescription>> = {
  // ECR
  aws_ecr_repository: {
    service: "ECR",
    meaning: "A private image repository holding one model's container images (`force_delete` off: Terraform cannot delete it while it holds images).",
  },
  aws_ecr_repository_policy: {
    service: "ECR",
    meaning: "The repository's resource policy: which principals may push or pull its images, generated from the declared consumers.",
  },
  aws_ecr_lifecycle_policy: {
    service: "ECR",
    meaning: "Lifecycle rules of one repository: which old or untagged images ECR expires, and which tags are protected.",
  },
  aws_ecr_registry_scanning_configuration: {
    service: "ECR",
    meaning: "Registry-wide image scanning (basic, or enhanced with Amazon Inspector) and which repositories scan on push; one per account and region.",
  },
  aws_ecr_replication_configuration: {
    service: "ECR",
    meaning: "Registry-wide replication of images to other regions or accounts; one per account and region.",
  },
  aws_ecr_registry_policy: {
    service: "ECR",
    meaning: "Registry-wide resource policy: other accounts replicating into this registry, and who may import images through its pull-through caches; one per account and region.",
  },
  aws_ecr_pull_through_cache_rule: {
    service: "ECR",
    meaning: "Caches images of an upstream registry (ECR Public, Docker Hub, ...) under a repository prefix of this registry.",
  },
  aws_ecr_repository_creation_template: {
    service: "ECR",
    meaning: "Settings (encryption, scanning, tags, lifecycle) for repositories that ECR creates itself, through pull-through cache or replication.",
  },
  aws_ecr_account_setting: {
    service: "ECR",
    meaning: "An account-level ECR setting of this region.",
  },
  // KMS
  aws_kms_key: {
    service: "KMS",
    meaning: "A customer managed KMS key that encrypts the registry's images at rest.",
  },
  aws_kms_alias: {
    service: "KMS",
    meaning: "A readable name (`alias/...`) pointing at a KMS key.",
  },
  aws_kms_key_policy: {
    service: "KMS",
    meaning: "The key policy of a KMS key: who may administer it and use it to encrypt and decrypt.",
  },
  // IAM
  aws_iam_policy: {
    service: "IAM",
    meaning: "A managed IAM policy scoped to the registry's repositories, caches or signing profile, for the platform team to attach to roles in this account.",
  },
  aws_iam_role: {
    service: "IAM",
    meaning: "An IAM role that a service or workload assumes.",
  },
  aws_iam_role_policy: {
    service: "IAM",
    meaning: "An inline policy of one IAM role.",
  },
  aws_iam_role_policy_attachment: {
    service: "IAM",
    meaning: "Attaches a managed policy to an IAM role.",
  },
  aws_iam_openid_connect_provider: {
    service: "IAM",
    meaning: "An OpenID Connect identity provider (e.g. GitHub Actions) that IAM roles can trust.",
  },
  // S3
  aws_s3_bucket: {
    service: "S3",
    meaning: "An S3 bucket (here: the bucket holding Terraform state).",
  },
  aws_s3_bucket_versioning: {
    service: "S3",
    meaning: "Turns on object versioning of a bucket, so overwritten or deleted state can be recovered.",
  },
  aws_s3_bucket_server_side_encryption_configuration: {
    service: "S3",
    meaning: "Default encryption of the objects in a bucket.",
  },
  aws_s3_bucket_public_access_block: {
    service: "S3",
    meaning: "Blocks every form of public access to a bucket.",
  },
  aws_s3_bucket_ownership_controls: {
    service: "S3",
    meaning: "Object ownership of a bucket (`BucketOwnerEnforced` turns ACLs off).",
  },
  aws_s3_bucket_policy: {
    service: "S3",
    meaning: "A bucket's resource policy, e.g. denying requests that do not use TLS.",
  },
  aws_s3_bucket_lifecycle_configuration: {
    service: "S3",
    meaning: "Lifecycle rules of a bucket, e.g. expiring old noncurrent object versions.",
  },
  aws_s3_bucket_logging: {
    service: "S3",
    meaning: "Server access logging of a bucket into another bucket.",
  },
  // SNS
  aws_sns_topic: {
    service: "SNS",
    meaning: "A notification topic, e.g. for image scan findings.",
  },
  aws_sns_topic_policy: {
    service: "SNS",
    meaning: "The topic's access policy: which services or accounts may publish to it.",
  },
  aws_sns_topic_subscription: {
    service: "SNS",
    meaning: "Delivers a topic's messages to one endpoint (e-mail, HTTPS, SQS, Lambda, ...).",
  },
  // EventBridge
  aws_cloudwatch_event_rule: {
    service: "EventBridge",
    meaning: "An EventBridge rule matching ECR events, e.g. completed image scans with findings.",
  },
  aws_cloudwatch_event_target: {
    service: "EventBridge",
    meaning: "Where an EventBridge rule sends the events it matches, e.g. an SNS topic.",
  },
  // Signer
  aws_signer_signing_profile: {
    service: "AWS Signer",
    meaning: "A signing profile for signing container images (Notation), so deployments can verify images came from the registry's pipeline.",
  },
  aws_signer_signing_profile_permission: {
    service: "AWS Signer",
    meaning: "Allows a principal of another account to sign with a signing profile (signer:SignPayload).",
  },
};

/** Data sources: read at plan time, they create nothing. */
export const DATA_SOURCE_TYPES: Readonly<Record<string, ResourceTypeDescription>> = {
  aws_caller_identity: { service: "STS", meaning: "Reads the account id of the credentials Terraform runs with." },
  aws_partition: { service: "AWS", meaning: "Reads the AWS partition (aws, aws-cn, aws-us-gov) and its DNS suffix, for building ARNs and URLs." },
  aws_region: { service: "AWS", meaning: "Reads the provider's region." },
  aws_iam_policy_document: { service: "IAM", meaning: "Renders a policy document as JSON; no AWS call." },
};

/** The description of a type, or a generic one (`known: false`) for a type the table does not list yet. */
export function describeResourceType(type: string, mode: "managed" | "data" = "managed"): ResourceTypeDescription & { readonly known: boolean } {
  const entry = (mode === "data" ? DATA_SOURCE_TYPES : RESOURCE_TYPES)[type];
  if (entry) return { ...entry, known: true };
  return {
    service: "AWS",
    meaning: `A \`${type}\` ${mode === "data" ? "data source" : "resource"}; see the AWS provider documentation for what it manages.`,
    known: false,
  };
}
