import { IAspect, TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { PROTECTED_RESOURCE_TYPES } from "../config/schema/data-safety";


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
