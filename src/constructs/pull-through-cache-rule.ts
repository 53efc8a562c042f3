import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { EcrPullThroughCacheRule } from "@cdktf/provider-aws/lib/ecr-pull-through-cache-rule";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { cacheIdentityPolicyDocument, cacheRepositoriesArn } from "../policies/pull-through-cache-policy";
import { policyJson } from "../policies/policy-document";
import type { Partition } from "../config/schema/aws";
import { dnsSuffixOf } from "../config/schema/arn";
import { pullThroughCacheOutputName, pullThroughCachePolicyId, pullThroughCachePolicyOutputName, pullThroughCacheRuleId } from "../naming";

export interface PullThroughCacheRuleProps {
  /** Repository namespace of the cache in this registry, e.g. `ecr-public`. */
  readonly prefix: string;
  /** The upstream registry's URL, e.g. `public.ecr.aws`. */
  readonly upstreamRegistryUrl: string;
  /** Secrets Manager secret with the upstream credentials. @default - none (public upstream) */
  readonly credentialArn?: string;
  /** IAM role for a cross-account ECR upstream. @default - none */
  readonly customRoleArn?: string;
  /** Only upstream repositories under this prefix (ECR upstreams). @default - all */
  readonly upstreamRepositoryPrefix?: string;
  /** Partition of this registry, for the pull address. */
  readonly partition: Partition;
  /** Region of this registry, for the pull address. */
  readonly region: string;
  /**
   * An IAM policy for roles in the registry's own account that pull through the cache (the
   * registry's account is then known). @default - none
   */
  readonly identityPolicy?: { readonly name: string; readonly path: string; readonly accountId: string };
}

/**
 * One pull-through cache rule, an output with the address to pull cached images from and,
 * optionally, an IAM policy to attach to same-account roles that pull through it. Cross-account
 * access is the registry policy's (`RegistryPolicy`) and the creation template's.
 */
export class PullThroughCacheRule extends Construct {
  readonly rule: EcrPullThroughCacheRule;
  readonly identityPolicy?: IamPolicy;

  constructor(scope: Construct, id: string, props: PullThroughCacheRuleProps) {
    super(scope, id);
    const ruleId = pullThroughCacheRuleId(props.prefix);
    this.rule = new EcrPullThroughCacheRule(this, "rule", {
      ecrRepositoryPrefix: props.prefix,
      upstreamRegistryUrl: props.upstreamRegistryUrl,
      credentialArn: props.credentialArn,
      customRoleArn: props.customRoleArn,
      upstreamRepositoryPrefix: props.upstreamRepositoryPrefix,
    });
    this.rule.overrideLogicalId(ruleId);

    const output = pullThroughCacheOutputName(props.prefix);
    new TerraformOutput(this, output, {
      value: `${this.rule.registryId}.dkr.ecr.${props.region}.${dnsSuffixOf(props.partition)}/${props.prefix}`,
      description: `Pull ${props.upstreamRegistryUrl}/<image> through the cache as <this value>/<image>`,
    }).overrideLogicalId(output);

    if (props.identityPolicy) {
      const { name, path, accountId } = props.identityPolicy;
      this.identityPolicy = new IamPolicy(this, "identity-policy", {
        name,
        path,
        // The description is immutable in IAM (a change replaces the policy), so it names only fixed facts.
        description: `Pull through the ECR pull-through cache ${props.prefix}/ (imports upstream images on first pull)`,
        policy: policyJson(cacheIdentityPolicyDocument(cacheRepositoriesArn(props.partition, props.region, accountId, props.prefix))),
      });
      this.identityPolicy.overrideLogicalId(pullThroughCachePolicyId(props.prefix));
      const policyOutput = pullThroughCachePolicyOutputName(props.prefix);
      new TerraformOutput(this, policyOutput, {
        value: this.identityPolicy.arn,
        description: `ARN of the IAM policy to pull through the ${props.prefix} cache; attach it to roles in the registry's account`,
      }).overrideLogicalId(policyOutput);
    }
  }
}
