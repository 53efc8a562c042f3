import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { SignerSigningProfile } from "@cdktf/provider-aws/lib/signer-signing-profile";
import { SignerSigningProfilePermission } from "@cdktf/provider-aws/lib/signer-signing-profile-permission";
import { policyJson } from "../policies/policy-document";
import { SIGN_PAYLOAD_ACTION } from "../access/actions";
import { signingIdentityPolicyDocument, signingProfileArn } from "../policies/signing-policy";
import type { Partition } from "../config/schema/aws";
import { MAX_VALIDITY_MONTHS, NOTATION_PLATFORM, ValidityUnit } from "../config/schema/signing";
import { FEATURE_IDS, FEATURE_OUTPUTS, signerPermissionIds } from "../naming";

export interface ModelSigningProfileProps {
  /** Profile name: letters, digits and `_`, 2–64 characters. */
  readonly name: string;
  /** How long signatures stay valid. @default - 135 MONTHS (Signer's default and maximum) */
  readonly signatureValidity?: { readonly value: number; readonly unit: ValidityUnit };
  /**
   * Principals of other accounts (IAM role ARNs or account ids) that may sign: each gets an
   * `aws_signer_signing_profile_permission` for `signer:SignPayload`. @default []
   */
  readonly crossAccountSigners?: readonly string[];
  /**
   * An IAM policy letting roles of the profile's own account sign with it. Needs the account
   * to name the profile in the policy as literal JSON. @default - none
   */
  readonly identityPolicy?: { readonly name: string; readonly path: string; readonly partition: Partition; readonly region: string; readonly accountId: string };
}

/**
 * An AWS Signer profile for signing model images with Notation, the outputs CI needs to sign
 * with it (`notation sign --plugin com.amazonaws.signer.notation.plugin --id <arn>`), and who may
 * sign: a profile permission per signer of another account (Signer's cross-account signing) and
 * an identity policy for the profile's own account. Notation's Signer plugin calls only
 * SignPayload to sign, so that is the one action granted.
 */
export class ModelSigningProfile extends Construct {
  readonly profile: SignerSigningProfile;
  readonly permissions: readonly SignerSigningProfilePermission[];
  readonly identityPolicy?: IamPolicy;

  constructor(scope: Construct, id: string, props: ModelSigningProfileProps) {
    super(scope, id);
    const validity = props.signatureValidity ?? { value: MAX_VALIDITY_MONTHS, unit: "MONTHS" };
    this.profile = new SignerSigningProfile(this, "profile", {
      name: props.name,
      platformId: NOTATION_PLATFORM,
      signatureValidityPeriod: { value: validity.value, type: validity.unit },
    });
    this.profile.overrideLogicalId(FEATURE_IDS.signingProfile);

    const outputs: Array<[string, string, string]> = [
      [FEATURE_OUTPUTS.signingProfileArn, this.profile.arn, "Signing profile ARN: notation sign --id <this value>"],
      [FEATURE_OUTPUTS.signingProfileName, this.profile.name, "Signing profile name"],
      [FEATURE_OUTPUTS.signingProfileVersionArn, this.profile.versionArn, "Signing profile version ARN (for trust policies pinned to a version)"],
    ];
    for (const [name, value, description] of outputs) new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);

    this.permissions = [...new Set(props.crossAccountSigners ?? [])].sort().map((principal) => {
      const ids = signerPermissionIds(principal);
      const permission = new SignerSigningProfilePermission(this, ids.logicalId, {
        profileName: this.profile.name,
        action: SIGN_PAYLOAD_ACTION,
        principal,
        statementId: ids.statementId,
      });
      permission.overrideLogicalId(ids.logicalId);
      return permission;
    });

    if (props.identityPolicy) {
      const { name, path, partition, region, accountId } = props.identityPolicy;
      this.identityPolicy = new IamPolicy(this, "identity-policy", {
        name,
        path,
        // The description is immutable in IAM (a change replaces the policy), so it names only fixed facts.
        description: `Sign container images with the AWS Signer profile ${props.name}`,
        policy: policyJson(signingIdentityPolicyDocument(signingProfileArn(partition, region, accountId, props.name))),
      });
      this.identityPolicy.overrideLogicalId(FEATURE_IDS.signingProfile);
      new TerraformOutput(this, FEATURE_OUTPUTS.signingPolicyArn, {
        value: this.identityPolicy.arn,
        description: "ARN of the IAM policy that lets a role of the registry's account sign with the profile; attach it to the signing roles",
      }).overrideLogicalId(FEATURE_OUTPUTS.signingPolicyArn);
    }
  }
}
