import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { EcrAccountSetting } from "@cdktf/provider-aws/lib/ecr-account-setting";

/** The ECR account setting that selects the basic scanner of a registry (account and region). */
export const BASIC_SCAN_TYPE_VERSION = "BASIC_SCAN_TYPE_VERSION";

export interface BasicScanTypeProps {
  /** The scanner: `AWS_NATIVE`, which AWS recommends (Clair basic scanning is deprecated). @default "AWS_NATIVE" */
  readonly value?: "AWS_NATIVE";
  /** The provider of the registry's region (the setting is per account and region). @default - the stack's default provider */
  readonly provider?: TerraformProvider;
  /** Terraform name of the setting. @default "basic_scan_type_version" */
  readonly logicalId?: string;
}

/**
 * `aws_ecr_account_setting` BASIC_SCAN_TYPE_VERSION: pins a registry's basic scanning to AWS's
 * native scanner, so a registry opted into Clair before AWS changed the default moves off it and
 * stays off.
 */
export class BasicScanType extends Construct {
  readonly setting: EcrAccountSetting;

  constructor(scope: Construct, id: string, props: BasicScanTypeProps = {}) {
    super(scope, id);
    this.setting = new EcrAccountSetting(this, "setting", { name: BASIC_SCAN_TYPE_VERSION, value: props.value ?? "AWS_NATIVE", provider: props.provider });
    this.setting.overrideLogicalId(props.logicalId ?? "basic_scan_type_version");
  }
}
