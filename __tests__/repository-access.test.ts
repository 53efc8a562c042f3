import * as fs from "fs";
import * as path from "path";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { parse } from "yaml";
import { PROJECT_ROOT, minimalRawConfig, repositoryPolicyOf, runMainInProcess, snapshotFolder, synthEnvironment, synthJson, tempDir, writeConfig } from "./support/fixtures";
import { LAMBDA_PULL, PULL, PUSH } from "./support/ecr-actions";

const CI = "arn:aws:iam::999999999999:role/github-actions/model-publisher";
const LOCAL_ROLE = "arn:aws:iam::111111111111:role/ecs/task-execution";

/** A one-environment registry in account 111111111111 whose repository `ai-models/llm` has these consumers. */
function withConsumers(consumers: unknown[], extra: Record<string, unknown> = {}): Record<string, any> {
  return { ...minimalRawConfig(), accountId: "111111111111", repositories: [{ name: "ai-models/llm", consumers }], ...extra };
}

/** The parsed policy document of a synthesized repository policy. */

describe("the repository policy in cdk.tf.json", () => {
  test("is literal JSON on the repository by name, applied after the repository exists", () => {
    const json = synthJson(withConsumers([{ kind: "push", principal: CI }]));
    const resource = json.resource.aws_ecr_repository_policy["ai-models__llm"];
    expect(resource.repository).toBe("ai-models/llm");
    expect(resource.depends_on).toEqual(["aws_ecr_repository.ai-models__llm"]);
    expect(resource.policy).not.toContain("${");
  });

  test("push: exactly the push actions for the named role", () => {
    expect(repositoryPolicyOf(synthJson(withConsumers([{ kind: "push", principal: CI }])))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "Push", Effect: "Allow", Principal: { AWS: [CI] }, Action: PUSH }],
    });
  });

  test("pull: exactly the pull actions for the account's root", () => {
    expect(repositoryPolicyOf(synthJson(withConsumers([{ kind: "pull", principal: "222222222222" }])))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "Pull", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::222222222222:root"] }, Action: PULL }],
    });
  });

  test("lambda: the Lambda service with the lambda pull actions under aws:SourceArn", () => {
    const consumer = { kind: "lambda", sourceAccount: "222222222222", sourceArn: "arn:aws:lambda:us-east-1:222222222222:function:embed-*" };
    expect(repositoryPolicyOf(synthJson(withConsumers([consumer])))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "LambdaPull",
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: LAMBDA_PULL,
          Condition: { ArnLike: { "aws:SourceArn": ["arn:aws:lambda:us-east-1:222222222222:function:embed-*"] } },
        },
      ],
    });
  });

  test("organization: Principal \"*\" with the pull actions, only under aws:PrincipalOrgID and aws:PrincipalOrgPaths", () => {
    const consumer = { kind: "organization", organizationId: "o-a1b2c3d4e5", organizationPaths: ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"] };
    expect(repositoryPolicyOf(synthJson(withConsumers([consumer])))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "OrganizationPulla1b2c3d4e5",
          Effect: "Allow",
          Principal: "*",
          Action: PULL,
          Condition: {
            "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"] },
            StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
          },
        },
      ],
    });
  });

  test("registry-wide consumers are merged into every repository's policy without duplicates", () => {
    const raw = {
      ...minimalRawConfig(),
      consumers: [{ kind: "push", principal: CI }, { kind: "pull", principal: LOCAL_ROLE }],
      repositories: [
        { name: "ai-models/llm", consumers: [{ kind: "pull", principal: CI }, { kind: "pull", principal: "222222222222" }] },
        { name: "ab" },
      ],
    };
    const json = synthJson(raw);
    expect(repositoryPolicyOf(json)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Push", Effect: "Allow", Principal: { AWS: [CI] }, Action: PUSH },
        { Sid: "Pull", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111111111111:role/ecs/task-execution", "arn:aws:iam::222222222222:root"] }, Action: PULL },
      ],
    });
    expect(repositoryPolicyOf(json, "ab")).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Push", Effect: "Allow", Principal: { AWS: [CI] }, Action: PUSH },
        { Sid: "Pull", Effect: "Allow", Principal: { AWS: [LOCAL_ROLE] }, Action: PULL },
      ],
    });
  });

  test("a repository that opts out of inheritance has only its own consumers, or no policy", () => {
    const raw = {
      ...minimalRawConfig(),
      consumers: [{ kind: "push", principal: CI }],
      repositories: [{ name: "ai-models/llm", inheritConsumers: false }, { name: "ab" }],
    };
    expect(Object.keys(synthJson(raw).resource.aws_ecr_repository_policy)).toEqual(["ab"]);
  });

  test("a repository without consumers gets no policy", () => {
    expect(synthJson(minimalRawConfig()).resource.aws_ecr_repository_policy).toBeUndefined();
  });

  test("a consumer limited to one environment appears only in that environment's stack", () => {
    const raw = {
      ...withConsumers([{ kind: "pull", principal: LOCAL_ROLE, environments: ["dev"] }, { kind: "push", principal: CI }]),
      environments: [{ name: "dev" }, { name: "prod", region: "us-west-2", accountId: "222222222222" }],
    };
    expect(repositoryPolicyOf(synthJson(raw, "prod"))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "Push", Effect: "Allow", Principal: { AWS: [CI] }, Action: PUSH }],
    });
  });

  test("matches the provider's resource type", () => {
    expect(synthEnvironment(withConsumers([{ kind: "push", principal: CI }]))).toHaveResourceWithProperties(EcrRepositoryPolicy, {
      repository: "ai-models/llm",
    });
  });
});

describe("identity policies", () => {
  const consumers = [{ kind: "push", principal: "arn:aws:iam::111111111111:role/ci" }, { kind: "pull", principal: LOCAL_ROLE }, { kind: "pull", principal: CI }];

  test("are not created by default", () => {
    expect(synthJson(withConsumers(consumers)).resource.aws_iam_policy).toBeUndefined();
  });

  test("one per level held by a same-account consumer, named after project, environment, repository and level", () => {
    const json = synthJson(withConsumers(consumers, { identityPolicies: true }));
    const policies = json.resource.aws_iam_policy;
    expect(Object.keys(policies).sort()).toEqual(["ai-models__llm_pull", "ai-models__llm_push"]);
    expect(policies["ai-models__llm_push"].name).toBe("model-registry-dev-ai-models__llm-push");
    expect(policies["ai-models__llm_push"].path).toBe("/model-registry/");
    expect(policies["ai-models__llm_push"].description).toBe("Push to and pull from the ECR repository ai-models/llm");
    expect(policies["ai-models__llm_pull"].name).toBe("model-registry-dev-ai-models__llm-pull");
  });

  test("grant the level's actions on the repository ARN and the authorization token on * alone", () => {
    const json = synthJson(withConsumers(consumers, { identityPolicies: true }));
    expect(JSON.parse(json.resource.aws_iam_policy["ai-models__llm_pull"].policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "GetAuthorizationToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
        { Sid: "Pull", Effect: "Allow", Action: PULL, Resource: "arn:aws:ecr:us-east-1:111111111111:repository/ai-models/llm" },
      ],
    });
    expect(JSON.parse(json.resource.aws_iam_policy["ai-models__llm_push"].policy).Statement[1]).toEqual({
      Sid: "Push",
      Effect: "Allow",
      Action: PUSH,
      Resource: "arn:aws:ecr:us-east-1:111111111111:repository/ai-models/llm",
    });
  });

  test("export their ARNs", () => {
    const json = synthJson(withConsumers(consumers, { identityPolicies: true }));
    expect(json.output["ai-models__llm_push_policy_arn"]).toEqual({
      description: "ARN of the IAM policy granting push on ai-models/llm; attach it to roles in the registry's account",
      value: "${aws_iam_policy.ai-models__llm_push.arn}",
    });
    expect(json.output["ai-models__llm_pull_policy_arn"].value).toBe("${aws_iam_policy.ai-models__llm_pull.arn}");
  });

  test("are not made for cross-account consumers only", () => {
    const json = synthJson(withConsumers([{ kind: "push", principal: CI }, { kind: "lambda", sourceAccount: "111111111111" }], { identityPolicies: true }));
    expect(json.resource.aws_iam_policy).toBeUndefined();
    expect(Object.keys(json.output).filter((name) => name.endsWith("_policy_arn"))).toEqual([]);
  });

  test("match the provider's resource type", () => {
    expect(synthEnvironment(withConsumers(consumers, { identityPolicies: true }))).toHaveResourceWithProperties(IamPolicy, {
      name: "model-registry-dev-ai-models__llm-pull",
    });
  });
});

describe("the default registry.yaml", () => {
  const raw = parse(fs.readFileSync(path.join(PROJECT_ROOT, "registry.yaml"), "utf8"));
  const dev = synthJson(raw, "dev");
  const prod = synthJson(raw, "prod");

  test("gives every repository a policy in every environment it exists in", () => {
    expect(Object.keys(dev.resource.aws_ecr_repository_policy).sort()).toEqual(Object.keys(dev.resource.aws_ecr_repository).sort());
    expect(Object.keys(prod.resource.aws_ecr_repository_policy).sort()).toEqual(Object.keys(prod.resource.aws_ecr_repository).sort());
  });

  test("shows every consumer kind in prod's embeddings policy", () => {
    const policy = JSON.parse(prod.resource.aws_ecr_repository_policy["ai-models__embeddings"].policy);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["Push", "Pull", "LambdaPull", "OrganizationPulla1b2c3d4e5"]);
  });

  test("gives the same-account runtime and experiment roles identity policies", () => {
    expect(Object.keys(dev.resource.aws_iam_policy).sort()).toEqual([
      "ai-model-repository_pull",
      "ai-models__embeddings_pull",
      "ai-models__llm-inference_pull",
      "ai-models__vision-classifier_push",
    ]);
  });
});

describe("an invalid consumer config (end to end)", () => {
  test("prints each problem by file:line:column and path, exits 1 and leaves the output untouched", () => {
    const dir = tempDir();
    // Output of an earlier run (a real synth is covered in main.test.ts).
    fs.mkdirSync(path.join(dir, "cdktf.out/stacks/model-registry-dev"), { recursive: true });
    fs.writeFileSync(path.join(dir, "cdktf.out/stacks/model-registry-dev/cdk.tf.json"), "{}");
    const before = snapshotFolder(path.join(dir, "cdktf.out"));

    const bad = {
      ...minimalRawConfig(),
      consumers: [{ kind: "push", principal: "*" }, { kind: "reader", principal: CI }],
      repositories: [
        { name: "ai-models/llm", consumers: [] },
        { name: "ab", consumers: [{ kind: "pull", principal: "arn:aws:iam::12345:role/x" }, { kind: "pull", principal: CI }, { kind: "pull", principal: CI }] },
      ],
    };
    // main.ts's code path in-process; main.test.ts runs an invalid config through a real child process.
    const result = runMainInProcess(dir, { REGISTRY_CONFIG: writeConfig(dir, bad, "bad.yaml") });

    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n").sort()).toEqual(
      [
        "",
        "error: bad.yaml is invalid (5 problems):",
        '  bad.yaml:20:16: consumers[0].principal: the principal "*" would let every AWS account in; use kind: organization with an organizationId to share with your organization, or name the roles',
        '  bad.yaml:21:11: consumers[1].kind: kind must be one of "push", "pull", "lambda", "organization" (got "reader")',
        "  bad.yaml:9:16: repositories[0].consumers (repository ai-models/llm): list at least one consumer, or leave consumers out",
        '  bad.yaml:13:20: repositories[1].consumers[0].principal (repository ab): must be an IAM role or user ARN (arn:aws:iam::123456789012:role/name, paths allowed) or a 12-digit account id: the account "12345" has 5 digits, not 12',
        `  bad.yaml:16:9: repositories[1].consumers[2] (repository ab): duplicate consumer: entry 1 of this list already declares ${CI} (pull)`,
      ].sort(),
    );
    expect(snapshotFolder(path.join(dir, "cdktf.out"))).toEqual(before);
    expect(fs.readdirSync(dir).sort()).toEqual(["bad.yaml", "cdktf.out"]);
  });
});
