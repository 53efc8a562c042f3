import { Construct } from "constructs";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { PolicyDocument, policyJson } from "../policies/policy-document";
import { ModelRepository } from "./model-repository";

export interface RepositoryPolicyProps {
  /** The repository the policy governs; the policy names it literally and is applied after it exists. */
  readonly model: ModelRepository;
  /** The policy, from `repositoryPolicyDocument`; written as literal JSON so a reviewer can read it in `cdk.tf.json`. */
  readonly document: PolicyDocument;
}

/** The `aws_ecr_repository_policy` of one repository: who outside the repository's own IAM may push or pull. */
export class RepositoryPolicy extends Construct {
  readonly policy: EcrRepositoryPolicy;

  constructor(scope: Construct, id: string, props: RepositoryPolicyProps) {
    super(scope, id);
    this.policy = new EcrRepositoryPolicy(this, "policy", {
      repository: props.model.awsName,
      policy: policyJson(props.document),
      dependsOn: [props.model.repository],
      provider: props.model.provider,
    });
    this.policy.overrideLogicalId(props.model.logicalId);
  }
}
