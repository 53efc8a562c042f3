import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { SignerSigningProfile } from "@cdktf/provider-aws/lib/signer-signing-profile";
import { MAX_VALIDITY_MONTHS, NOTATION_PLATFORM, ValidityUnit } from "../config/signing";
import { FEATURE_IDS, FEATURE_OUTPUTS } from "../naming";

export interface ModelSigningProfileProps {
  /** Profile name: letters, digits and `_`, 2–64 characters. */
  readonly name: string;
  /** How long signatures stay valid. @default - 135 MONTHS (Signer's default and maximum) */
  readonly signatureValidity?: { readonly value: number; readonly unit: ValidityUnit };
}

/**
 * An AWS Signer profile for signing model images with Notation, and the outputs CI needs to
 * sign with it (`notation sign --plugin com.amazonaws.signer.notation.plugin --id <arn>`).
 */
export class ModelSigningProfile extends Construct {
  readonly profile: SignerSigningProfile;

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
  }
}
