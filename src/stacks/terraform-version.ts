import { TerraformStack } from "cdktf";

/**
 * The oldest Terraform that can run every stack: S3 native locking (`use_lockfile`) arrived in
 * 1.10 and `removed` blocks in 1.7, and an older Terraform would ignore or reject them with a
 * less clear error than this constraint gives.
 */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.10.0";

export function requireTerraformVersion(stack: TerraformStack): void {
  stack.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
}
