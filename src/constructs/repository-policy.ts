import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { PolicyDocument, policyJson } from "../access/policy-document";
import { repositoryPolicyId } from "../naming";

export interface RepositoryPolicyProps {
  /** The repository the policy governs (a literal name: it is known at synth time). */
  readonly repositoryName: string;
  /** The policy, from `repositoryPolicyDocument`; written as literal JSON so a reviewer can read it in `cdk.tf.json`. */
  readonly document: PolicyDocument;
  /** The repository resource; the policy is applied only after it exists. @default - no explicit dependency */
  readonly repository?: ITerraformDependable;
}

/** The `aws_ecr_repository_policy` of one repository: who outside the repository's own IAM may push or pull. */
export class RepositoryPolicy extends Construct {
  readonly policy: EcrRepositoryPolicy;

  constructor(scope: Construct, id: string, props: RepositoryPolicyProps) {
    super(scope, id);
    this.policy = new EcrRepositoryPolicy(this, "policy", {
      repository: props.repositoryName,
      policy: policyJson(props.document),
      dependsOn: props.repository ? [props.repository] : undefined,
    });
    this.policy.overrideLogicalId(repositoryPolicyId(props.repositoryName));
  }
}
