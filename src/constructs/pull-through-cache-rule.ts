import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { EcrPullThroughCacheRule } from "@cdktf/provider-aws/lib/ecr-pull-through-cache-rule";
import type { Partition } from "../config/aws";
import { dnsSuffixOf } from "../config/arn";
import { pullThroughCacheOutputName, pullThroughCacheRuleId } from "../naming";

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
}

/** One pull-through cache rule and an output with the address to pull cached images from. */
export class PullThroughCacheRule extends Construct {
  readonly rule: EcrPullThroughCacheRule;

  constructor(scope: Construct, props: PullThroughCacheRuleProps) {
    const id = pullThroughCacheRuleId(props.prefix);
    super(scope, `pull-through-cache-${id}`);
    this.rule = new EcrPullThroughCacheRule(this, "rule", {
      ecrRepositoryPrefix: props.prefix,
      upstreamRegistryUrl: props.upstreamRegistryUrl,
      credentialArn: props.credentialArn,
      customRoleArn: props.customRoleArn,
      upstreamRepositoryPrefix: props.upstreamRepositoryPrefix,
    });
    this.rule.overrideLogicalId(id);

    const output = pullThroughCacheOutputName(props.prefix);
    new TerraformOutput(this, output, {
      value: `${this.rule.registryId}.dkr.ecr.${props.region}.${dnsSuffixOf(props.partition)}/${props.prefix}`,
      description: `Pull ${props.upstreamRegistryUrl}/<image> through the cache as <this value>/<image>`,
    }).overrideLogicalId(output);
  }
}
