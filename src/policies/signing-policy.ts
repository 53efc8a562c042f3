import type { Partition } from "../config/schema/aws";
import { PolicyDocument, assertLeastPrivilege } from "./policy-document";

/**
 * The one Signer action a Notation signer needs: the AWS Signer plugin for Notation signs by
 * calling SignPayload, and cross-account signing of container images is granted with it
 * (AddProfilePermission: StartSigningJob is not supported for container image workflows).
 */
export const SIGN_PAYLOAD_ACTION = "signer:SignPayload";

/** A signing profile's ARN, built from what the config knows (`arn:<partition>:signer:<region>:<account>:/signing-profiles/<name>`). */
export function signingProfileArn(partition: Partition, region: string, accountId: string, name: string): string {
  return `arn:${partition}:signer:${region}:${accountId}:/signing-profiles/${name}`;
}

/** An identity policy for roles of the profile's own account: SignPayload on that profile only. */
export function signingIdentityPolicyDocument(profileArn: string): PolicyDocument {
  const document: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Sid: "SignWithProfile", Effect: "Allow", Action: [SIGN_PAYLOAD_ACTION], Resource: profileArn }],
  };
  assertLeastPrivilege(document);
  return document;
}
