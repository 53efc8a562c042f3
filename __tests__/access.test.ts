import { ECR_AUTHORIZATION_ACTION, ECR_LAMBDA_PULL_ACTIONS, ECR_PULL_ACTIONS, ECR_PUSH_ACTIONS } from "../src/access/actions";
import { AccessGrant, accessMatrix, granteeLabel, repositoryGrants } from "../src/access/matrix";
import { identityPolicyDocument, identityPolicyLevels, repositoryArn } from "../src/policies/identity-policy";
import { PolicyDocument, UnsafePolicyError, assertLeastPrivilege } from "../src/policies/policy-document";
import { repositoryPolicyDocument } from "../src/policies/repository-policy";
import { resolveEnvironments } from "../src/plan/environments";
import { minimalRawConfig, validConfig } from "./support/fixtures";
import { LAMBDA_PULL, PULL, PUSH } from "./support/ecr-actions";

const CI = "arn:aws:iam::999999999999:role/github-actions/model-publisher";
const ECS_DEV = "arn:aws:iam::111111111111:role/ecs/task-execution";
const SAGEMAKER = "arn:aws:iam::111111111111:role/service-role/AmazonSageMaker-ExecutionRole-llm";


/** A two-environment registry (dev in 111111111111/us-east-1, prod in 222222222222/us-west-2) with these consumers. */
function withAccess(consumers: unknown[] | undefined, repositories: Array<Record<string, unknown>>): Record<string, any> {
  return {
    ...minimalRawConfig(),
    accountId: "111111111111",
    environments: [{ name: "dev" }, { name: "prod", region: "us-west-2", accountId: "222222222222" }],
    ...(consumers ? { consumers } : {}),
    repositories,
  };
}

/** The grants of one repository in one environment. */
function grantsOf(raw: Record<string, any>, repository: string, environment = "dev"): readonly AccessGrant[] {
  const config = validConfig(raw);
  return repositoryGrants(config, resolveEnvironments(config).find((e) => e.name === environment)!, repository);
}

function policyFromGrants(raw: Record<string, any>, repository = "ai-models/llm", environment = "dev"): PolicyDocument | undefined {
  return repositoryPolicyDocument(grantsOf(raw, repository, environment));
}

describe("action sets", () => {
  test("push is the seven actions of a docker push, sorted", () => {
    expect(ECR_PUSH_ACTIONS).toEqual(PUSH);
  });

  test("pull is the three read actions, sorted", () => {
    expect(ECR_PULL_ACTIONS).toEqual(PULL);
  });

  test("lambda pull is AWS's documented pair", () => {
    expect(ECR_LAMBDA_PULL_ACTIONS).toEqual(LAMBDA_PULL);
  });

  test("lambda pull is within pull, and pull within push", () => {
    expect(ECR_PULL_ACTIONS.filter((a) => !ECR_PUSH_ACTIONS.includes(a))).toEqual([]);
    expect(ECR_LAMBDA_PULL_ACTIONS.filter((a) => !ECR_PULL_ACTIONS.includes(a))).toEqual([]);
  });

  test("no set holds a wildcard or the authorization token", () => {
    const all: string[] = [...ECR_PUSH_ACTIONS, ...ECR_PULL_ACTIONS, ...ECR_LAMBDA_PULL_ACTIONS];
    expect(all.filter((a) => a.includes("*") || a === ECR_AUTHORIZATION_ACTION)).toEqual([]);
  });
});

describe("the access matrix", () => {
  const raw = withAccess(
    [
      { kind: "push", principal: CI },
      { kind: "pull", principal: ECS_DEV, environments: ["dev"] },
    ],
    [
      { name: "ai-models/llm", consumers: [{ kind: "pull", principal: SAGEMAKER, environments: ["dev"] }] },
      { name: "experiments", environments: ["dev"], inheritConsumers: false, consumers: [{ kind: "push", principal: "111111111111" }] },
    ],
  );

  test("lists every principal, repository and level per environment, sorted, with where each was declared", () => {
    expect(accessMatrix(validConfig(raw))).toEqual([
      {
        environment: "dev",
        region: "us-east-1",
        repository: "ai-models/llm",
        grantee: { kind: "principal", arn: ECS_DEV, sameAccount: true },
        level: "pull",
        actions: PULL,
        declaredAt: ["consumers[1]"],
      },
      {
        environment: "dev",
        region: "us-east-1",
        repository: "ai-models/llm",
        grantee: { kind: "principal", arn: SAGEMAKER, sameAccount: true },
        level: "pull",
        actions: PULL,
        declaredAt: ["repositories[0].consumers[0]"],
      },
      {
        environment: "dev",
        region: "us-east-1",
        repository: "ai-models/llm",
        grantee: { kind: "principal", arn: CI, sameAccount: false },
        level: "push",
        actions: PUSH,
        declaredAt: ["consumers[0]"],
      },
      {
        environment: "dev",
        region: "us-east-1",
        repository: "experiments",
        grantee: { kind: "principal", arn: "arn:aws:iam::111111111111:root", sameAccount: true },
        level: "push",
        actions: PUSH,
        declaredAt: ["repositories[1].consumers[0]"],
      },
      {
        environment: "prod",
        region: "us-west-2",
        repository: "ai-models/llm",
        grantee: { kind: "principal", arn: CI, sameAccount: false },
        level: "push",
        actions: PUSH,
        declaredAt: ["consumers[0]"],
      },
    ]);
  });

  test("a repository that opts out of inheritance gets only its own consumers", () => {
    expect(grantsOf(raw, "experiments").map((g) => granteeLabel(g.grantee))).toEqual(["arn:aws:iam::111111111111:root"]);
  });

  test("a consumer limited to some environments is absent from the others", () => {
    expect(grantsOf(raw, "ai-models/llm", "prod").map((g) => granteeLabel(g.grantee))).toEqual([CI]);
  });

  test("sameAccount is unknown when the environment has no account id", () => {
    const grants = grantsOf({ ...minimalRawConfig(), consumers: [{ kind: "pull", principal: ECS_DEV }] }, "ai-models/llm");
    expect(grants.map((g) => g.grantee)).toEqual([{ kind: "principal", arn: ECS_DEV, sameAccount: undefined }]);
  });

  test("an account id becomes the root principal of the environment's partition", () => {
    const raw = { ...minimalRawConfig(), region: "cn-north-1", consumers: [{ kind: "pull", principal: "123456789012" }] };
    expect(grantsOf(raw, "ai-models/llm").map((g) => granteeLabel(g.grantee))).toEqual(["arn:aws-cn:iam::123456789012:root"]);
  });

  test("lambda and organization grantees are labelled with their conditions", () => {
    const raw = withAccess(
      [
        { kind: "lambda", sourceAccount: "333333333333" },
        { kind: "organization", organizationId: "o-a1b2c3d4e5", organizationPaths: ["o-a1b2c3d4e5/r-ab12/"] },
      ],
      [{ name: "ai-models/llm" }],
    );
    expect(grantsOf(raw, "ai-models/llm").map((g) => [granteeLabel(g.grantee), g.level, g.actions])).toEqual([
      ["lambda.amazonaws.com (aws:SourceArn=arn:aws:lambda:us-east-1:333333333333:function:*)", "pull", LAMBDA_PULL],
      ["organization o-a1b2c3d4e5 (o-a1b2c3d4e5/r-ab12/)", "pull", PULL],
    ]);
  });
});

describe("merging registry-wide and repository consumers", () => {
  test("the same principal in both lists is one grant at the higher level, declared at both places", () => {
    const raw = withAccess([{ kind: "pull", principal: CI }], [{ name: "ai-models/llm", consumers: [{ kind: "push", principal: CI }] }]);
    expect(grantsOf(raw, "ai-models/llm")).toEqual([
      {
        environment: "dev",
        region: "us-east-1",
        repository: "ai-models/llm",
        grantee: { kind: "principal", arn: CI, sameAccount: false },
        level: "push",
        actions: PUSH,
        declaredAt: ["consumers[0]", "repositories[0].consumers[0]"],
      },
    ]);
  });

  test("push declared registry-wide is not lowered by a repository's pull", () => {
    const raw = withAccess([{ kind: "push", principal: CI }], [{ name: "ai-models/llm", consumers: [{ kind: "pull", principal: CI }] }]);
    expect(grantsOf(raw, "ai-models/llm").map((g) => g.level)).toEqual(["push"]);
  });

  test("an account id and its root ARN in the two lists are one grant", () => {
    const raw = withAccess(
      [{ kind: "pull", principal: "333333333333" }],
      [{ name: "ai-models/llm", consumers: [{ kind: "pull", principal: "arn:aws:iam::333333333333:root" }] }],
    );
    expect(grantsOf(raw, "ai-models/llm").map((g) => [granteeLabel(g.grantee), g.declaredAt])).toEqual([
      ["arn:aws:iam::333333333333:root", ["consumers[0]", "repositories[0].consumers[0]"]],
    ]);
  });

  test("an organization admitted whole absorbs a path-limited entry of the same organization", () => {
    const raw = withAccess(
      [{ kind: "organization", organizationId: "o-a1b2c3d4e5" }],
      [{ name: "ai-models/llm", consumers: [{ kind: "organization", organizationId: "o-a1b2c3d4e5", organizationPaths: ["o-a1b2c3d4e5/r-ab12/"] }] }],
    );
    expect(grantsOf(raw, "ai-models/llm").map((g) => g.grantee)).toEqual([{ kind: "organization", organizationId: "o-a1b2c3d4e5" }]);
  });

  test("path-limited entries of one organization unite their paths", () => {
    const org = (paths: string[]) => ({ kind: "organization", organizationId: "o-a1b2c3d4e5", organizationPaths: paths });
    const raw = withAccess(
      [org(["o-a1b2c3d4e5/r-ab12/ou-ab12-22222222/"])],
      [{ name: "ai-models/llm", consumers: [org(["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/", "o-a1b2c3d4e5/r-ab12/ou-ab12-22222222/"])] }],
    );
    expect(grantsOf(raw, "ai-models/llm").map((g) => g.grantee)).toEqual([
      {
        kind: "organization",
        organizationId: "o-a1b2c3d4e5",
        organizationPaths: ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/", "o-a1b2c3d4e5/r-ab12/ou-ab12-22222222/"],
      },
    ]);
  });

  test("a lambda consumer of an account and one naming every function of it in the region are one grant", () => {
    const raw = withAccess(
      [{ kind: "lambda", sourceAccount: "333333333333" }],
      [{ name: "ai-models/llm", consumers: [{ kind: "lambda", sourceArn: "arn:aws:lambda:us-east-1:333333333333:function:*", environments: ["dev"] }] }],
    );
    expect(grantsOf(raw, "ai-models/llm").map((g) => [g.grantee, g.declaredAt])).toEqual([
      [{ kind: "lambda", sourceArn: "arn:aws:lambda:us-east-1:333333333333:function:*" }, ["consumers[0]", "repositories[0].consumers[0]"]],
    ]);
  });

  test("the order consumers are declared in does not change the policy", () => {
    const consumers = [
      { kind: "push", principal: CI },
      { kind: "pull", principal: SAGEMAKER },
      { kind: "pull", principal: ECS_DEV },
      { kind: "lambda", sourceArn: "arn:aws:lambda:us-east-1:333333333333:function:b", environments: ["dev"] },
      { kind: "lambda", sourceArn: "arn:aws:lambda:us-east-1:333333333333:function:a", environments: ["dev"] },
    ];
    const forward = policyFromGrants(withAccess(consumers, [{ name: "ai-models/llm" }]));
    const backward = policyFromGrants(withAccess([...consumers].reverse(), [{ name: "ai-models/llm" }]));
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
  });
});

describe("repository policy documents", () => {
  const only = (consumer: Record<string, unknown>) => policyFromGrants(withAccess(undefined, [{ name: "ai-models/llm", consumers: [consumer] }]));
  /** The condition of the first statement of the policy for these consumers. */
  const conditionOf = (consumers: Array<Record<string, unknown>>, environment = "dev") =>
    policyFromGrants(withAccess(undefined, [{ name: "ai-models/llm", consumers }]), "ai-models/llm", environment)!.Statement[0].Condition;

  test("push: the principals with the seven push actions", () => {
    expect(only({ kind: "push", principal: CI })).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "Push", Effect: "Allow", Principal: { AWS: [CI] }, Action: PUSH }],
    });
  });

  test("pull: the principals with the three pull actions", () => {
    expect(only({ kind: "pull", principal: "333333333333" })).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "Pull", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::333333333333:root"] }, Action: PULL }],
    });
  });

  test("lambda by account: the Lambda service under aws:SourceArn for every function of the account in the environment's region", () => {
    expect(only({ kind: "lambda", sourceAccount: "333333333333" })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "LambdaPull",
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: LAMBDA_PULL,
          Condition: { ArnLike: { "aws:SourceArn": ["arn:aws:lambda:us-east-1:333333333333:function:*"] } },
        },
      ],
    });
  });

  test("lambda by account: each environment's region goes into the pattern", () => {
    expect(conditionOf([{ kind: "lambda", sourceAccount: "333333333333" }], "prod")).toEqual({
      ArnLike: { "aws:SourceArn": ["arn:aws:lambda:us-west-2:333333333333:function:*"] },
    });
  });

  test.each([
    ["cn-north-1", "arn:aws-cn:lambda:cn-north-1:333333333333:function:*"],
    ["us-gov-west-1", "arn:aws-us-gov:lambda:us-gov-west-1:333333333333:function:*"],
  ])("lambda by account in %s: the pattern has that region's partition", (region, pattern) => {
    const raw = { ...minimalRawConfig(), region, repositories: [{ name: "ai-models/llm", consumers: [{ kind: "lambda", sourceAccount: "333333333333" }] }] };
    expect(policyFromGrants(raw)!.Statement[0].Condition).toEqual({ ArnLike: { "aws:SourceArn": [pattern] } });
  });

  test("lambda by function: the Lambda service under aws:SourceArn", () => {
    expect(only({ kind: "lambda", sourceArn: "arn:aws:lambda:us-east-1:333333333333:function:embed-*", environments: ["dev"] })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "LambdaPull",
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: LAMBDA_PULL,
          Condition: { ArnLike: { "aws:SourceArn": ["arn:aws:lambda:us-east-1:333333333333:function:embed-*"] } },
        },
      ],
    });
  });

  test("lambda by account and function: the function ARN is the condition", () => {
    expect(only({ kind: "lambda", sourceAccount: "333333333333", sourceArn: "arn:aws:lambda:us-east-1:333333333333:function:embed", environments: ["dev"] })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "LambdaPull",
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: LAMBDA_PULL,
          Condition: { ArnLike: { "aws:SourceArn": ["arn:aws:lambda:us-east-1:333333333333:function:embed"] } },
        },
      ],
    });
  });

  test("lambda consumers of several accounts share one statement with sorted patterns", () => {
    const consumers = [
      { kind: "lambda", sourceArn: "arn:aws:lambda:us-east-1:444444444444:function:x", environments: ["dev"] },
      { kind: "lambda", sourceAccount: "333333333333", sourceArn: "arn:aws:lambda:us-east-1:333333333333:function:b", environments: ["dev"] },
      { kind: "lambda", sourceArn: "arn:aws:lambda:us-east-1:333333333333:function:a", environments: ["dev"] },
    ];
    expect(conditionOf(consumers)).toEqual({
      ArnLike: {
        "aws:SourceArn": [
          "arn:aws:lambda:us-east-1:333333333333:function:a",
          "arn:aws:lambda:us-east-1:333333333333:function:b",
          "arn:aws:lambda:us-east-1:444444444444:function:x",
        ],
      },
    });
  });

  test("a lambda consumer of a whole account makes narrower patterns of that account redundant", () => {
    const consumers = [
      { kind: "lambda", sourceArn: "arn:aws:lambda:us-east-1:333333333333:function:a", environments: ["dev"] },
      { kind: "lambda", sourceAccount: "333333333333", sourceArn: "arn:aws:lambda:us-east-1:333333333333:function:b", environments: ["dev"] },
      { kind: "lambda", sourceAccount: "333333333333" },
      { kind: "lambda", sourceArn: "arn:aws:lambda:us-east-1:444444444444:function:x", environments: ["dev"] },
    ];
    expect(conditionOf(consumers)).toEqual({
      ArnLike: { "aws:SourceArn": ["arn:aws:lambda:us-east-1:333333333333:function:*", "arn:aws:lambda:us-east-1:444444444444:function:x"] },
    });
  });

  test("organization: Principal \"*\" only under aws:PrincipalOrgID", () => {
    expect(only({ kind: "organization", organizationId: "o-a1b2c3d4e5" })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "OrganizationPulla1b2c3d4e5",
          Effect: "Allow",
          Principal: "*",
          Action: PULL,
          Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
        },
      ],
    });
  });

  test("organization with paths: aws:PrincipalOrgPaths narrows it", () => {
    const paths = ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"];
    expect(only({ kind: "organization", organizationId: "o-a1b2c3d4e5", organizationPaths: paths })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "OrganizationPulla1b2c3d4e5",
          Effect: "Allow",
          Principal: "*",
          Action: PULL,
          Condition: {
            "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": paths },
            StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
          },
        },
      ],
    });
  });

  test("several consumers: fixed statement order, sorted principals, pull excludes push principals", () => {
    const raw = withAccess(undefined, [
      {
        name: "ai-models/llm",
        consumers: [
          { kind: "organization", organizationId: "o-zzzzzzzzzz" },
          { kind: "pull", principal: SAGEMAKER },
          { kind: "lambda", sourceArn: "arn:aws:lambda:us-east-1:444444444444:function:x", environments: ["dev"] },
          { kind: "lambda", sourceAccount: "333333333333", sourceArn: "arn:aws:lambda:us-east-1:333333333333:function:b", environments: ["dev"] },
          { kind: "lambda", sourceAccount: "333333333333" },
          { kind: "push", principal: CI },
          { kind: "pull", principal: ECS_DEV },
          { kind: "organization", organizationId: "o-a1b2c3d4e5" },
        ],
      },
    ]);
    const document = policyFromGrants(raw)!;
    expect(document.Statement.map((s) => s.Sid)).toEqual(["Push", "Pull", "LambdaPull", "OrganizationPulla1b2c3d4e5", "OrganizationPullzzzzzzzzzz"]);
    expect(document.Statement[1].Principal).toEqual({ AWS: [ECS_DEV, SAGEMAKER] });
  });

  test("no consumers, no policy", () => {
    expect(policyFromGrants(withAccess(undefined, [{ name: "ai-models/llm" }]))).toBeUndefined();
  });
});

describe("identity policy documents", () => {
  const arn = repositoryArn("aws", "us-east-1", "111111111111", "ai-models/llm");

  test("the repository ARN is built from partition, region, account and name", () => {
    expect(arn).toBe("arn:aws:ecr:us-east-1:111111111111:repository/ai-models/llm");
    expect(repositoryArn("aws-cn", "cn-north-1", "111111111111", "ab")).toBe("arn:aws-cn:ecr:cn-north-1:111111111111:repository/ab");
  });

  test("push: the token on * in its own statement, the push actions on the repository only", () => {
    expect(identityPolicyDocument("push", arn)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "GetAuthorizationToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
        { Sid: "Push", Effect: "Allow", Action: PUSH, Resource: arn },
      ],
    });
  });

  test("pull: the token on * in its own statement, the pull actions on the repository only", () => {
    expect(identityPolicyDocument("pull", arn)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "GetAuthorizationToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
        { Sid: "Pull", Effect: "Allow", Action: PULL, Resource: arn },
      ],
    });
  });

  test("are made only for levels held by a same-account principal", () => {
    const raw = withAccess(
      [
        { kind: "push", principal: CI },
        { kind: "pull", principal: ECS_DEV },
        { kind: "lambda", sourceAccount: "111111111111" },
        { kind: "organization", organizationId: "o-a1b2c3d4e5" },
      ],
      [{ name: "ai-models/llm" }],
    );
    expect(identityPolicyLevels(grantsOf(raw, "ai-models/llm", "dev"))).toEqual(["pull"]);
    // In prod (account 222222222222) neither principal is local.
    expect(identityPolicyLevels(grantsOf(raw, "ai-models/llm", "prod"))).toEqual([]);
  });

  test("a same-account push principal gets the push policy", () => {
    const raw = withAccess([{ kind: "push", principal: "arn:aws:iam::111111111111:role/ci" }], [{ name: "ai-models/llm" }]);
    expect(identityPolicyLevels(grantsOf(raw, "ai-models/llm"))).toEqual(["push"]);
  });
});

describe("the least-privilege guard", () => {
  const statement = { Sid: "Test", Effect: "Allow" as const, Principal: { AWS: [CI] }, Action: PULL };
  const document = (overrides: Record<string, unknown>): PolicyDocument => ({ Version: "2012-10-17", Statement: [{ ...statement, ...overrides }] });

  test.each([
    ["ecr:*", { Action: ["ecr:*"] }, 'statement Test grants the wildcard action ecr:*'],
    ["a partial wildcard", { Action: ["ecr:Put*"] }, "statement Test grants the wildcard action ecr:Put*"],
    ["a bare *", { Action: ["*"] }, "statement Test grants the wildcard action *"],
    ['Principal "*" without a condition', { Principal: "*" }, 'statement Test grants Principal "*" without an aws:PrincipalOrgID condition'],
    ['Principal {AWS: "*"} without a condition', { Principal: { AWS: ["*"] } }, 'statement Test grants Principal "*" without an aws:PrincipalOrgID condition'],
    [
      'Principal "*" under another condition',
      { Principal: "*", Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } } },
      'statement Test grants Principal "*" without an aws:PrincipalOrgID condition',
    ],
    [
      'Principal "*" under a wildcard organization',
      { Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "*" } } },
      'statement Test grants Principal "*" without an aws:PrincipalOrgID condition',
    ],
    ["a service without a condition", { Principal: { Service: "lambda.amazonaws.com" } }, "statement Test grants the service lambda.amazonaws.com without a condition"],
    [
      "the Lambda service under aws:SourceAccount",
      { Principal: { Service: "lambda.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": "333333333333" } } },
      "statement Test grants lambda.amazonaws.com without ArnLike aws:SourceArn function ARNs of named accounts",
    ],
    [
      "the Lambda service for functions of any account",
      { Principal: { Service: "lambda.amazonaws.com" }, Condition: { ArnLike: { "aws:SourceArn": ["arn:aws:lambda:us-east-1:*:function:*"] } } },
      "statement Test grants lambda.amazonaws.com without ArnLike aws:SourceArn function ARNs of named accounts",
    ],
    ["pull actions on every resource", { Resource: "*" }, "statement Test grants ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer on every resource"],
    ["a Sid that is not alphanumeric", { Sid: "pull-all" }, 'Sid "pull-all" must be alphanumeric'],
    ["no actions", { Action: [] }, "statement Test has no actions"],
  ])("refuses %s", (_, overrides, message) => {
    expect(() => assertLeastPrivilege(document(overrides))).toThrow(new UnsafePolicyError(message));
  });

  test("refuses a repeated Sid", () => {
    expect(() => assertLeastPrivilege({ Version: "2012-10-17", Statement: [statement, statement] })).toThrow("Sid Test appears twice");
  });

  test("accepts an organization statement and the authorization token on *", () => {
    expect(() =>
      assertLeastPrivilege({
        Version: "2012-10-17",
        Statement: [
          { ...statement, Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } },
          { Sid: "Token", Effect: "Allow", Action: [ECR_AUTHORIZATION_ACTION], Resource: "*" },
        ],
      }),
    ).not.toThrow();
  });
});
