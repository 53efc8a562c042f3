import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { LifecyclePolicySpec, renderLifecyclePolicy } from "../lifecycle/policy";
import { repositoryId } from "../naming";

export interface RepositoryLifecyclePolicyProps {
  /** The repository's name; pass the repository resource's `name` attribute so Terraform creates the repository first. */
  readonly repository: string;
  /** The repository name as written in config, from which the logical id derives. */
  readonly repositoryName: string;
  /** Protected tags and rules, already validated (see `lifecyclePolicyProblems`). */
  readonly policy: LifecyclePolicySpec;
  /** The repository's logical id, which this resource shares (a replica's has its region). @default - repositoryId(repositoryName) */
  readonly logicalId?: string;
  /** The provider of the repository's region. @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/** One repository's `aws_ecr_lifecycle_policy`, its JSON rendered by `renderLifecyclePolicy`. */
export class RepositoryLifecyclePolicy extends Construct {
  readonly resource: EcrLifecyclePolicy;

  constructor(scope: Construct, id: string, props: RepositoryLifecyclePolicyProps) {
    super(scope, id);
    this.resource = new EcrLifecyclePolicy(this, "policy", {
      repository: props.repository,
      policy: renderLifecyclePolicy(props.policy),
      provider: props.provider,
    });
    this.resource.overrideLogicalId(props.logicalId ?? repositoryId(props.repositoryName));
  }
}
