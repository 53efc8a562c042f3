import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { AccessLevel } from "../access/actions";
import { identityPolicyDocument } from "../policies/identity-policy";
import { policyJson } from "../policies/policy-document";
import { identityPolicyId, identityPolicyOutputName } from "../naming";
import { ModelRepository } from "./model-repository";

export interface RepositoryIdentityPolicyProps {
  /** The repository the policy grants access to. */
  readonly model: ModelRepository;
  /** The repository's ARN, built from known account, region and name (`repositoryArn`). */
  readonly repositoryArn: string;
  /** Push (publish) or pull (read). */
  readonly level: AccessLevel;
  /** IAM policy name, from `identityPolicyName`. */
  readonly policyName: string;
  /** IAM path grouping this project's policies. @default "/" */
  readonly path?: string;
}

/**
 * An `aws_iam_policy` that a platform team attaches to roles in the registry's account: one
 * repository at one level, plus the login token. Its ARN is an output.
 */
export class RepositoryIdentityPolicy extends Construct {
  readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: RepositoryIdentityPolicyProps) {
    super(scope, id);
    const verb = props.level === "push" ? "Push to and pull from" : "Pull from";
    this.policy = new IamPolicy(this, "policy", {
      name: props.policyName,
      path: props.path ?? "/",
      // The description is immutable in IAM (a change replaces the policy), so it names only fixed facts.
      description: `${verb} the ECR repository ${props.model.awsName}`,
      policy: policyJson(identityPolicyDocument(props.level, props.repositoryArn)),
    });
    this.policy.overrideLogicalId(identityPolicyId(props.model.repositoryName, props.level));

    const outputName = identityPolicyOutputName(props.model.repositoryName, props.level);
    new TerraformOutput(this, outputName, {
      value: this.policy.arn,
      description: `ARN of the IAM policy granting ${props.level} on ${props.model.awsName}; attach it to roles in the registry's account`,
    }).overrideLogicalId(outputName);
  }
}
