import * as fs from "fs";
import * as path from "path";
import { identityPolicyLevels } from "../src/policies/identity-policy";
import { repositoryGrants } from "../src/access/matrix";
import { repositoryPolicyDocument } from "../src/policies/repository-policy";
import { effectiveLifecycle } from "../src/plan/lifecycle";
import { REPOSITORY_NAME_PATTERN } from "../src/config/schema/repository-name";
import { resolveEnvironments } from "../src/plan/environments";
import { RegistryConfig } from "../src/config/schema";
import { MAX_IAM_POLICY_NAME_LENGTH, REPOSITORY_OUTPUTS, identityPolicyId, identityPolicyOutputName, repositoryId, repositoryOutputName, stackName } from "../src/naming";

/**
 * Terraform's rule for resource, data source and output names: a letter or underscore, then
 * letters, digits, underscores and dashes (Terraform sets no length limit).
 */
export const TERRAFORM_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** AWS limits on names this project derives, by resource type and attribute: the largest length and the allowed characters. */
export const AWS_NAME_LIMITS: Record<string, { readonly attribute: string; readonly max: number; readonly pattern: RegExp }> = {
  aws_ecr_repository: { attribute: "name", max: 256, pattern: REPOSITORY_NAME_PATTERN },
  aws_iam_policy: { attribute: "name", max: MAX_IAM_POLICY_NAME_LENGTH, pattern: /^[\w+=,.@-]+$/ },
  aws_iam_role_policy: { attribute: "name", max: 128, pattern: /^[\w+=,.@-]+$/ },
  aws_kms_alias: { attribute: "name", max: 256, pattern: /^alias\/(?!aws\/)[A-Za-z0-9/_-]+$/ },
  aws_sns_topic: { attribute: "name", max: 256, pattern: /^[A-Za-z0-9_-]+$/ },
  aws_cloudwatch_event_rule: { attribute: "name", max: 64, pattern: /^[.\-_A-Za-z0-9]+$/ },
  aws_signer_signing_profile: { attribute: "name", max: 64, pattern: /^[A-Za-z0-9_]+$/ },
};

/** ECR's limits on policy text (SetRepositoryPolicy, PutLifecyclePolicy). */
const POLICY_LIMITS: Record<string, number> = { aws_ecr_repository_policy: 10_240, aws_ecr_lifecycle_policy: 30_720 };

/**
 * Checks a synthesized output folder against its config at any scale: every repository of every
 * environment has exactly the resources and outputs this project derives for it, under its own
 * names (two repositories whose names collided would share an entry, and cdktf merges such
 * entries silently, so counts would fall short); every resource, data source and output name is a
 * Terraform identifier; and every name and policy derived from config is within AWS's limits.
 * Returns the problems found, empty when there are none. Used by the scale tests and the benchmark.
 */
export function scaleProblems(config: RegistryConfig, outdir: string): string[] {
  const problems: string[] = [];
  for (const environment of resolveEnvironments(config)) {
    const name = stackName(config.project, environment.name);
    const stack = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
    const resources: Record<string, Record<string, Record<string, unknown>>> = stack.resource ?? {};
    const outputs: Record<string, unknown> = stack.output ?? {};
    const problem = (message: string) => problems.push(`${name}: ${message}`);

    const expected = { resources: new Map<string, number>(), outputs: new Set<string>() };
    const expect = (type: string, id: string) => {
      expected.resources.set(type, (expected.resources.get(type) ?? 0) + 1);
      if (!resources[type]?.[id]) problem(`missing ${type}.${id}`);
    };
    for (const repo of environment.repositories) {
      const id = repositoryId(repo.name);
      expect("aws_ecr_repository", id);
      if (effectiveLifecycle(config.lifecycle, repo.lifecycle)) expect("aws_ecr_lifecycle_policy", id);
      const grants = repositoryGrants(config, environment, repo.name);
      if (repositoryPolicyDocument(grants)) expect("aws_ecr_repository_policy", id);
      for (const output of Object.keys(REPOSITORY_OUTPUTS) as Array<keyof typeof REPOSITORY_OUTPUTS>) expected.outputs.add(repositoryOutputName(repo.name, output));
      if (config.identityPolicies && environment.accountId) {
        for (const level of identityPolicyLevels(grants)) {
          expect("aws_iam_policy", identityPolicyId(repo.name, level));
          expected.outputs.add(identityPolicyOutputName(repo.name, level));
        }
      }
    }
    for (const [type, count] of expected.resources) {
      const actual = Object.keys(resources[type] ?? {}).length;
      if (actual !== count) problem(`${actual} ${type} resources, expected ${count} (one per repository)`);
    }
    for (const output of expected.outputs) if (!(output in outputs)) problem(`missing output ${output}`);

    const dataSources: Record<string, Record<string, Record<string, unknown>>> = prefixed("data.", stack.data ?? {});
    for (const [type, byId] of Object.entries({ ...resources, ...dataSources })) {
      for (const [id, body] of Object.entries(byId)) {
        if (!TERRAFORM_IDENTIFIER.test(id)) problem(`${type}.${id} is not a Terraform identifier`);
        const limit = AWS_NAME_LIMITS[type];
        const value = limit && body[limit.attribute];
        if (typeof value === "string" && (value.length > limit.max || !limit.pattern.test(value)))
          problem(`${type}.${id} ${limit.attribute} "${value}" (${value.length} characters) breaks AWS's limit of ${limit.max} or ${limit.pattern}`);
        const policyLimit = POLICY_LIMITS[type];
        if (policyLimit && typeof body.policy === "string" && body.policy.length > policyLimit) problem(`${type}.${id} policy is ${body.policy.length} characters, over ${policyLimit}`);
      }
    }
    for (const output of Object.keys(outputs)) if (!TERRAFORM_IDENTIFIER.test(output)) problem(`output ${output} is not a Terraform identifier`);
  }
  return problems;
}

function prefixed<T>(prefix: string, byType: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(byType).map(([type, value]) => [`${prefix}${type}`, value]));
}
