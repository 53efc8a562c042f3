import type { App } from "cdktf";
import { Construct } from "constructs";
import type { SynthesizedStack, TerraformJson } from "../synthesized/stack";
import { SelfContainedStack } from "./self-contained-stack";

/**
 * The oldest Terraform that can run every stack: S3 native locking (`use_lockfile`) arrived in
 * 1.10 and `removed` blocks in 1.7, and an older Terraform would ignore or reject them with a
 * less clear error than this constraint gives.
 */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.10.0";


/**
 * Mends two faults of cdktf 0.21's HCL renderer in the `terraform` block (`npm run synth:hcl`):
 * it writes an attribute it has no special case for as `0 = "required_version"`, losing the
 * value, and it writes strings that look like integers unquoted, so the backend's
 * `allowed_account_ids` would become numbers (an account id is a string; Terraform would have to
 * convert them back).
 */
export function withTerraformBlockHcl(rendered: { [key: string]: any }): { [key: string]: any } {
  const hcl = (rendered.hcl as string)
    .replace(/^\s*\d+ = "required_version"$/m, `  required_version = "${REQUIRED_TERRAFORM_VERSION}"`)
    .replace(/(allowed_account_ids = \[\n)((?:\s*\d{12},\n)+)/, (_all, open: string, ids: string) => open + ids.replace(/(\d{12})/g, '"$1"'));
  return { ...rendered, hcl };
}

/**
 * Mends a third fault of cdktf 0.21's HCL renderer: it writes the `depends_on` and `provider`
 * meta-arguments as quoted strings (`depends_on = ["aws_s3_bucket_versioning.state"]`,
 * `provider = "aws.eu-west-1"`), which Terraform accepts with a "Quoted references are
 * deprecated" warning per use (23 in the default config's stacks) and a future Terraform may
 * refuse. Both must be bare references in HCL; the JSON syntax keeps them as strings. cdktf writes
 * a resource's own arguments unindented, so only those lines are touched, not a nested block's.
 */
export function withBareReferences(rendered: { [key: string]: any }): { [key: string]: any } {
  const hcl = (rendered.hcl as string)
    .replace(/^depends_on = \[\n((?:"[^"\n]+",\n)*)\]$/gm, (_all, addresses: string) => `depends_on = [\n${addresses.replace(/^"([^"\n]+)",$/gm, "$1,")}]`)
    .replace(/^provider = "([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)?)"$/gm, "provider = $1");
  return { ...rendered, hcl };
}

/**
 * The base of every stack this project writes: it requires `REQUIRED_TERRAFORM_VERSION` and
 * renders valid HCL: its `terraform` block (`withTerraformBlockHcl`) and its references
 * (`withBareReferences`).
 */
export abstract class ProjectStack extends SelfContainedStack {
  private lastJson?: { [key: string]: any };
  private renderedHcl = false;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
  }

  override toTerraform(): { [key: string]: any } {
    const json = super.toTerraform();
    this.lastJson = json;
    return json;
  }

  override toHclTerraform(): { [key: string]: any } {
    this.renderedHcl = true;
    return withBareReferences(withTerraformBlockHcl(super.toHclTerraform()));
  }

  /**
   * The stack's Terraform JSON as the last synth wrote it: the very document `toTerraform` gave
   * the synthesizer (which writes it unchanged, with sorted keys), so checks on it need not read
   * megabytes of `cdk.tf.json` back. After an HCL synth, the JSON of what the HCL declares.
   * Undefined when the stack was never synthesized.
   */
  synthesizedJson(): { [key: string]: any } | undefined {
    if (this.lastJson === undefined && this.renderedHcl) return this.toTerraform();
    return this.lastJson;
  }
}

/**
 * Every stack of a synthesized app as synth wrote it (`ProjectStack.synthesizedJson`), in the
 * app's order: what the guardrails and the removal guard check. Throws when the app has not been
 * synthesized.
 */
export function synthesizedStacks(app: App): SynthesizedStack[] {
  return app.node.children
    .filter((child): child is ProjectStack => child instanceof ProjectStack)
    .map((stack) => {
      const json = stack.synthesizedJson();
      if (json === undefined) throw new Error("guardrails run on a synthesized app: call app.synth() first");
      return { name: stack.node.id, json: json as TerraformJson };
    });
}
