import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Partition } from "../config/schema/aws";
import { DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS } from "../config/schema/state";
import { stateBucketPolicy } from "../policies/state-bucket-policy";

/** How state objects are encrypted by default, with any key already resolved. */
export type StateBucketEncryption = { readonly type: "AES256" } | { readonly type: "KMS"; readonly kmsKeyArn: string };

/** Days after which S3 aborts a multipart upload that never completed (and deletes its parts). */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

/** The id of the bucket's lifecycle rule. */
export const STATE_LIFECYCLE_RULE_ID = "expire-noncurrent-state-versions";

export interface StateBucketProps {
  /** The bucket name, e.g. `acme-model-registry-tfstate`. */
  readonly bucketName: string;
  /** Partition of the bucket's region; the bucket policy's ARNs use it. */
  readonly partition: Partition;
  /** Default encryption of new objects. */
  readonly encryption: StateBucketEncryption;
  /** Days overwritten state versions are kept before S3 deletes them. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
}

/**
 * The S3 bucket that holds Terraform state: versioned (every state write can be rolled back),
 * encrypted by default, closed to public access and ACLs, TLS only, and protected from
 * `terraform destroy`. Every resource is named `state` in Terraform.
 */
export class StateBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    this.bucket.overrideLogicalId("state");
    const bucket = this.bucket.id;

    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    const ownership = new S3BucketOwnershipControls(this, "ownership-controls", {
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });

    const versioning = new S3BucketVersioningA(this, "versioning", {
      bucket,
      versioningConfiguration: { status: "Enabled" },
    });

    const encryption = new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [
        props.encryption.type === "KMS"
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.encryption.kmsKeyArn },
              // One data key per bucket instead of per object: fewer KMS calls, lower cost.
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });

    // S3 can refuse a policy change made while the public access block is changing (OperationAborted).
    const policy = new S3BucketPolicy(this, "policy", {
      bucket,
      policy: stateBucketPolicy(props.bucketName, props.partition),
      dependsOn: [publicAccessBlock],
    });

    const lifecycle = new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: STATE_LIFECYCLE_RULE_ID,
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [
            { noncurrentDays: props.noncurrentVersionExpirationDays ?? DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS },
          ],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS }],
        },
      ],
      // Noncurrent-version rules need versioning in place first.
      dependsOn: [versioning],
    });

    for (const resource of [publicAccessBlock, ownership, versioning, encryption, policy, lifecycle]) resource.overrideLogicalId("state");
  }
}
