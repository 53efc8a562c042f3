import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";

const CALLER_ID = "caller";

/**
 * The account id of a stack: the configured one when known (so policies stay literal JSON in
 * the synthesized output), otherwise a reference to the deploying identity's account, added to
 * the stack once and only when something needs it.
 */
export function accountIdOf(scope: Construct, configured: string | undefined): string {
  if (configured) return configured;
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(CALLER_ID) as DataAwsCallerIdentity | undefined;
  const caller = existing ?? new DataAwsCallerIdentity(stack, CALLER_ID);
  caller.overrideLogicalId("current");
  return caller.accountId;
}
