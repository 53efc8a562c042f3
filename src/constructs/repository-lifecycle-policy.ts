import { Construct } from "constructs";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { LifecyclePolicySpec, renderLifecyclePolicy } from "../lifecycle/policy";
import type { ModelRepository } from "./model-repository";

export interface RepositoryLifecyclePolicyProps {
  /**
   * The repository the policy applies to: the policy refers to its resource (so Terraform creates
   * the repository first), shares its logical id and uses its provider (a replica's region).
   */
  readonly repository: ModelRepository;
  /** Protected tags and rules, already validated (see `lifecyclePolicyProblems`). */
  readonly policy: LifecyclePolicySpec;
}

/** One repository's `aws_ecr_lifecycle_policy`, its JSON rendered by `renderLifecyclePolicy`. */
export class RepositoryLifecyclePolicy extends Construct {
  readonly resource: EcrLifecyclePolicy;

  constructor(scope: Construct, id: string, props: RepositoryLifecyclePolicyProps) {
    super(scope, id);
    this.resource = new EcrLifecyclePolicy(this, "policy", {
      repository: props.repository.repository.name,
      policy: renderLifecyclePolicy(props.policy),
      provider: props.repository.provider,
    });
    this.resource.overrideLogicalId(props.repository.logicalId);
  }
}
