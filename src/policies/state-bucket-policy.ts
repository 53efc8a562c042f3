import { Partition } from "../config/schema/aws";

/** The Sid of the statement that refuses requests not made over TLS. */
export const DENY_INSECURE_TRANSPORT_SID = "DenyInsecureTransport";

/**
 * The state bucket's policy: deny every request to the bucket and its objects that is not made
 * over TLS (`aws:SecureTransport = false`), for every principal, the bucket's own account included.
 * The bucket ARN is derived from its name, so the document is a literal (no Terraform references)
 * and identical on every synth.
 */
export function stateBucketPolicy(bucket: string, partition: Partition): string {
  const bucketArn = `arn:${partition}:s3:::${bucket}`;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: DENY_INSECURE_TRANSPORT_SID,
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}
