import type { Partition } from "../config/schema/aws";
import { SIGN_PAYLOAD_ACTION } from "../access/actions";
import { PolicyDocument, assertLeastPrivilege } from "./policy-document";

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
