import { IAspect, TerraformResource } from "cdktf";
import { IConstruct } from "constructs";

/**
 * Resource types whose destruction loses data: a repository holds the images, and a KMS key is
 * the only way to decrypt them. In a protected environment each gets `prevent_destroy`, and synth
 * refuses a config that drops one (see `removal-guard.ts`).
 */
export const PROTECTED_RESOURCE_TYPES: readonly string[] = ["aws_ecr_repository", "aws_kms_key"];

/**
 * Sets `lifecycle.prevent_destroy` on every resource of a protected type in the scope it is added
 * to, whichever construct created it, keeping any lifecycle settings it already has.
 * Terraform then refuses any plan that destroys or replaces one of them.
 */
export class PreventDestroy implements IAspect {
  visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node)) return;
    if (!PROTECTED_RESOURCE_TYPES.includes(node.terraformResourceType)) return;
    node.lifecycle = { ...node.lifecycle, preventDestroy: true };
  }
}
