import { stringify } from "yaml";
import { parseConfig } from "../src/checks";
import { minimalRawConfig } from "./support/fixtures";
import { problemsOf } from "./support/problems";

const ROLE = "arn:aws:iam::123456789012:role/github-actions/model-publisher";

/** The minimal config with registry-wide consumers. */
function withConsumers(consumers: unknown, extra: Record<string, unknown> = {}): Record<string, any> {
  return { ...minimalRawConfig(), consumers, ...extra };
}

/** The minimal config with one repository that has these consumers. */
function withRepositoryConsumers(consumers: unknown, repo: Record<string, unknown> = {}): Record<string, any> {
  return { ...minimalRawConfig(), repositories: [{ name: "ai-models/llm", consumers, ...repo }] };
}

describe("accepted consumers", () => {
  test.each([
    ["a role ARN", ROLE],
    ["a role ARN without a path", "arn:aws:iam::123456789012:role/ecs-task-execution"],
    ["a role ARN with a service-role path", "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20240101T000000"],
    ["a user ARN", "arn:aws:iam::123456789012:user/ci/publisher"],
    ["an account id", "123456789012"],
    ["an account root ARN", "arn:aws:iam::123456789012:root"],
    ["a name with every character IAM allows", "arn:aws:iam::123456789012:role/a+b=c,d.e@f_g-h"],
  ])("%s is a valid principal", (_, principal) => {
    const config = parseConfig(stringify(withConsumers([{ kind: "pull", principal }])), "t");
    expect(config.consumers).toEqual([{ kind: "pull", principal }]);
  });

  test("each kind parses to exactly what was written", () => {
    const consumers = [
      { kind: "push", principal: ROLE },
      { kind: "pull", principal: "210987654321", environments: ["dev"] },
      { kind: "lambda", sourceAccount: "210987654321", sourceArn: "arn:aws:lambda:us-east-1:210987654321:function:embed-*" },
      { kind: "organization", organizationId: "o-a1b2c3d4e5", organizationPaths: ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"] },
    ];
    expect(parseConfig(stringify(withConsumers(consumers)), "t").consumers).toEqual(consumers);
  });

  test("a repository inherits the registry-wide consumers unless it opts out", () => {
    const raw = { ...withConsumers([{ kind: "push", principal: ROLE }]), repositories: [{ name: "ab" }, { name: "cd", inheritConsumers: false }] };
    expect(parseConfig(stringify(raw), "t").repositories.map((r) => r.inheritConsumers)).toEqual([true, false]);
  });

  test("identity policies are off by default", () => {
    expect(parseConfig(stringify(minimalRawConfig()), "t").identityPolicies).toBe(false);
  });

  test("a principal of the aws-cn partition is accepted in a China region", () => {
    const raw = withConsumers([{ kind: "pull", principal: "arn:aws-cn:iam::123456789012:role/reader" }], { region: "cn-north-1" });
    expect(parseConfig(stringify(raw), "t").consumers).toHaveLength(1);
  });

  test("a principal of the aws-us-gov partition is accepted in a GovCloud region", () => {
    const raw = withConsumers([{ kind: "pull", principal: "arn:aws-us-gov:iam::123456789012:role/reader" }], { region: "us-gov-west-1" });
    expect(parseConfig(stringify(raw), "t").consumers).toHaveLength(1);
  });

  test("the same principal may be push in one environment and pull in another", () => {
    const raw = {
      ...withConsumers([
        { kind: "push", principal: ROLE, environments: ["dev"] },
        { kind: "pull", principal: ROLE, environments: ["prod"] },
      ]),
      environments: [{ name: "dev" }, { name: "prod", region: "us-west-2" }],
    };
    expect(parseConfig(stringify(raw), "t").consumers).toHaveLength(2);
  });
});

describe("principals", () => {
  test("the seed's Principal \"*\" is rejected and points to the organization kind", () => {
    expect(problemsOf(withRepositoryConsumers([{ kind: "push", principal: "*" }]))).toEqual([
      'repositories[0].consumers[0].principal: the principal "*" would let every AWS account in; use kind: organization with an organizationId to share with your organization, or name the roles',
    ]);
  });

  test.each([
    ["arn:aws:iam::123456789012:role/*", "wildcards are not allowed in principals; name each role or user, or use kind: organization"],
    ["arn:aws:iam::*:root", "wildcards are not allowed in principals; name each role or user, or use kind: organization"],
    ["arn:aws:iam::123456789012:role/ci-?", "wildcards are not allowed in principals; name each role or user, or use kind: organization"],
    ["12345678901", "account ids have exactly 12 digits"],
    ["1234567890123", "account ids have exactly 12 digits"],
    [
      "arn:aws:sts::123456789012:assumed-role/ci/session",
      "use the role's IAM ARN (arn:aws:iam::<account>:role/<name>), not an STS session ARN",
    ],
    ["arn:aws:iam::123456789012:group/ml", "IAM groups cannot be principals; name the roles or users"],
    [
      "ecs-tasks.amazonaws.com",
      "service principals are not consumers; name the role the service runs as (e.g. an ECS task execution role), or use kind: lambda",
    ],
    ["arn:aws-iso:iam::123456789012:role/x", 'unknown partition "aws-iso" (expected aws, aws-cn or aws-us-gov)'],
    ["arn:aws:iam::12345:role/x", "must be an IAM role or user ARN (arn:aws:iam::123456789012:role/name, paths allowed) or a 12-digit account id: the account \"12345\" has 5 digits, not 12"],
    ["arn:aws:iam::123456789012:role/", "must be an IAM role or user ARN (arn:aws:iam::123456789012:role/name, paths allowed) or a 12-digit account id: the resource \"role/\" should be role/<name> or user/<name> or root"],
    ["arn:aws:iam::123456789012:role//x", "must be an IAM role or user ARN (arn:aws:iam::123456789012:role/name, paths allowed) or a 12-digit account id"],
    ["arn:aws:iam:us-east-1:123456789012:role/x", "must be an IAM role or user ARN (arn:aws:iam::123456789012:role/name, paths allowed) or a 12-digit account id: the region \"us-east-1\" should be empty (iam ARNs have none)"],
    [
      "arn:aws:s3:::bucket",
      "must be an IAM role or user ARN (arn:aws:iam::123456789012:role/name, paths allowed) or a 12-digit account id: the service \"s3\" should be \"iam\"; the account is empty; the resource \"bucket\" should be role/<name> or user/<name> or root",
    ],
    [`arn:aws:iam::123456789012:role/${"r".repeat(65)}`, "IAM role and user names are at most 64 characters"],
  ])("the principal %j is rejected", (principal, message) => {
    expect(problemsOf(withRepositoryConsumers([{ kind: "pull", principal }]))).toEqual([`repositories[0].consumers[0].principal: ${message}`]);
  });

  test("an unquoted account id (a YAML number) asks for quotes", () => {
    expect(problemsOf(withConsumers([{ kind: "pull", principal: 123456789012 }]))).toEqual([
      'consumers[0].principal: principals are strings: an IAM role or user ARN, or a 12-digit account id in quotes ("123456789012")',
    ]);
  });

  test("a principal from another partition than the environment's region is rejected, naming the environment", () => {
    const raw = {
      ...withConsumers([{ kind: "push", principal: ROLE }]),
      environments: [{ name: "dev" }, { name: "china", region: "cn-north-1" }],
    };
    expect(problemsOf(raw)).toEqual([
      "consumers[0].principal: is in partition aws but environment china (cn-north-1) is in partition aws-cn; limit the consumer with environments: [...]",
    ]);
  });

  test("limiting a consumer to environments of its partition makes it valid", () => {
    const raw = {
      ...withConsumers([{ kind: "push", principal: ROLE, environments: ["dev"] }]),
      environments: [{ name: "dev" }, { name: "china", region: "cn-north-1" }],
    };
    expect(parseConfig(stringify(raw), "t").consumers).toHaveLength(1);
  });
});

describe("kinds and shapes", () => {
  test("an unknown kind lists the kinds", () => {
    expect(problemsOf(withRepositoryConsumers([{ kind: "admin", principal: ROLE }]))).toEqual([
      'repositories[0].consumers[0].kind: kind must be one of "push", "pull", "lambda", "organization" (got "admin")',
    ]);
  });

  test("a bare ARN instead of a consumer mapping is rejected", () => {
    expect(problemsOf(withConsumers([ROLE]))).toEqual([`consumers[0]: expected object, got string "${ROLE.slice(0, 57)}..."`]);
  });

  test("consumers cannot list actions: the kind decides them", () => {
    expect(problemsOf(withConsumers([{ kind: "push", principal: ROLE, actions: ["ecr:*"] }]))).toEqual([
      "consumers[0].actions: unknown key: consumers never list actions: a consumer's kind (push, pull, lambda, organization) decides them, from one set per kind, so no config can grant ecr:* or a wildcard (docs/consumers.md)",
    ]);
  });

  test("a repository cannot carry a raw policy", () => {
    expect(problemsOf(withRepositoryConsumers(undefined, { policy: { Statement: [] } }))).toEqual([
      "repositories[0].policy: unknown key: repository policies are built from consumers, never written by hand (docs/consumers.md)",
    ]);
  });

  test("keys of another kind are rejected", () => {
    expect(problemsOf(withConsumers([{ kind: "pull", principal: ROLE, organizationId: "o-a1b2c3d4e5" }]))).toEqual([
      "consumers[0].organizationId: unknown key (check the spelling; docs/configuration.md lists every key)",
    ]);
  });
});

describe("empty lists", () => {
  test("an empty registry-wide consumer list is rejected", () => {
    expect(problemsOf(withConsumers([]))).toEqual(["consumers: list at least one consumer, or leave consumers out"]);
  });

  test("an empty environment list on a consumer is rejected", () => {
    expect(problemsOf(withConsumers([{ kind: "pull", principal: ROLE, environments: [] }]))).toEqual([
      "consumers[0].environments: list at least one environment, or leave environments out to apply everywhere",
    ]);
  });

  test("an empty organization path list is rejected", () => {
    expect(problemsOf(withConsumers([{ kind: "organization", organizationId: "o-a1b2c3d4e5", organizationPaths: [] }]))).toEqual([
      "consumers[0].organizationPaths: list at least one path, or leave organizationPaths out to admit the whole organization",
    ]);
  });
});

describe("duplicates", () => {
  test("the same principal twice in one list is rejected at the second entry", () => {
    expect(problemsOf(withRepositoryConsumers([{ kind: "pull", principal: ROLE }, { kind: "pull", principal: ROLE }]))).toEqual([
      `repositories[0].consumers[1]: duplicate consumer: entry 0 of this list already declares ${ROLE} (pull)`,
    ]);
  });

  test("one principal as push and pull in one list is rejected: push includes pull", () => {
    expect(problemsOf(withConsumers([{ kind: "push", principal: ROLE }, { kind: "pull", principal: ROLE }]))).toEqual([
      `consumers[1]: duplicate consumer: entry 0 of this list already declares ${ROLE} (push); declare it once with the level it needs (push includes pull)`,
    ]);
  });

  test("an account id and its root ARN are the same principal", () => {
    expect(problemsOf(withConsumers([{ kind: "pull", principal: "123456789012" }, { kind: "pull", principal: "arn:aws:iam::123456789012:root" }]))).toEqual([
      "consumers[1]: duplicate consumer: entry 0 of this list already declares 123456789012 (pull)",
    ]);
  });

  test("the same lambda conditions twice are rejected", () => {
    const lambda = { kind: "lambda", sourceAccount: "210987654321" };
    expect(problemsOf(withConsumers([lambda, lambda]))).toEqual([
      "consumers[1]: duplicate consumer: entry 0 of this list already declares the lambda consumer 210987654321",
    ]);
  });

  test("the same organization twice is rejected", () => {
    const consumers = [
      { kind: "organization", organizationId: "o-a1b2c3d4e5" },
      { kind: "organization", organizationId: "o-a1b2c3d4e5", organizationPaths: ["o-a1b2c3d4e5/r-ab12/"] },
    ];
    expect(problemsOf(withConsumers(consumers))).toEqual([
      "consumers[1]: duplicate consumer: entry 0 of this list already declares organization o-a1b2c3d4e5",
    ]);
  });
});

describe("lambda consumers", () => {
  const FUNCTION = "arn:aws:lambda:us-east-1:210987654321:function:embed-*";

  test("without sourceAccount or sourceArn the consumer is rejected", () => {
    expect(problemsOf(withConsumers([{ kind: "lambda" }]))).toEqual([
      "consumers[0]: a lambda consumer needs sourceAccount, sourceArn or both; without a condition every Lambda function in every account could pull",
    ]);
  });

  test("a sourceArn with a wildcard account or region is rejected", () => {
    expect(problemsOf(withConsumers([{ kind: "lambda", sourceArn: "arn:aws:lambda:*:*:function:*" }]))).toEqual([
      "consumers[0].sourceArn: must be a Lambda function ARN with a literal region and account, e.g. arn:aws:lambda:us-east-1:123456789012:function:model-* ('*' and '?' only in the function name): the region \"*\" is not a region name such as us-east-1; the account \"*\" is not 12 digits",
    ]);
  });

  test("a sourceArn of another service is explained field by field", () => {
    expect(problemsOf(withConsumers([{ kind: "lambda", sourceArn: "arn:aws:iam::210987654321:role/embed" }]))).toEqual([
      "consumers[0].sourceArn: must be a Lambda function ARN with a literal region and account, e.g. arn:aws:lambda:us-east-1:123456789012:function:model-* ('*' and '?' only in the function name): the service \"iam\" should be \"lambda\"; the region is empty; the resource \"role/embed\" should be function:<name>",
    ]);
  });

  test("a sourceArn naming another account than sourceAccount is rejected", () => {
    expect(problemsOf(withConsumers([{ kind: "lambda", sourceAccount: "123456789012", sourceArn: FUNCTION }]))).toEqual([
      "consumers[0].sourceArn: names account 210987654321 but sourceAccount is 123456789012; no function could match both",
    ]);
  });

  test("a function in another region than the environment is rejected: Lambda pulls only from its own region", () => {
    const raw = withConsumers([{ kind: "lambda", sourceArn: "arn:aws:lambda:eu-west-1:210987654321:function:embed" }]);
    expect(problemsOf(raw)).toEqual([
      "consumers[0].sourceArn: is a function in eu-west-1 but environment dev is in us-east-1; Lambda pulls images only from its own region; limit the consumer with environments: [...] (or, to pull from a replica in eu-west-1, list regions: [eu-west-1])",
    ]);
  });

  test("a sourceAccount that is not 12 digits is rejected", () => {
    expect(problemsOf(withConsumers([{ kind: "lambda", sourceAccount: "2109876" }]))).toEqual(["consumers[0].sourceAccount: must be a 12-digit AWS account id"]);
  });
});

describe("organization consumers", () => {
  test.each(["o-short", "O-A1B2C3D4E5", "a1b2c3d4e5", "o-a1b2c3d4e5*"])("the organization id %j is rejected", (organizationId) => {
    expect(problemsOf(withConsumers([{ kind: "organization", organizationId }]))).toEqual([
      "consumers[0].organizationId: must be an AWS Organizations id: o- followed by 10 to 32 lowercase letters or digits",
    ]);
  });

  test.each(["o-a1b2c3d4e5/*", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111", "*", "o-a1b2c3d4e5/r-ab12/*/ou-ab12-11111111/"])(
    "the organization path %j is rejected",
    (path) => {
      expect(problemsOf(withConsumers([{ kind: "organization", organizationId: "o-a1b2c3d4e5", organizationPaths: [path] }]))).toEqual([
        "consumers[0].organizationPaths[0]: must be an organization path such as o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ (optionally ending in *)",
      ]);
    },
  );

  test("a path of another organization is rejected", () => {
    const consumer = { kind: "organization", organizationId: "o-a1b2c3d4e5", organizationPaths: ["o-zzzzzzzzzz/r-ab12/"] };
    expect(problemsOf(withConsumers([consumer]))).toEqual([
      "consumers[0].organizationPaths[0]: is a path of o-zzzzzzzzzz, not of o-a1b2c3d4e5; it could never match",
    ]);
  });
});

describe("environments of consumers", () => {
  test("a registry-wide consumer naming an undeclared environment is rejected", () => {
    expect(problemsOf(withConsumers([{ kind: "pull", principal: ROLE, environments: ["stage"] }]))).toEqual([
      'consumers[0].environments[0]: unknown environment `stage` (known: dev)',
    ]);
  });

  test("a repository consumer naming an environment the repository is not in is rejected", () => {
    const raw = {
      ...minimalRawConfig(),
      environments: [{ name: "dev" }, { name: "prod", region: "us-west-2" }],
      repositories: [{ name: "ai-models/llm", environments: ["dev"], consumers: [{ kind: "pull", principal: ROLE, environments: ["prod"] }] }],
    };
    expect(problemsOf(raw)).toEqual(['repositories[0].consumers[0].environments[0]: repository ai-models/llm does not exist in environment "prod" (it exists in: dev)']);
  });
});

describe("identity policies", () => {
  test("need every environment's account id", () => {
    expect(problemsOf({ ...minimalRawConfig(), identityPolicies: true })).toEqual([
      "identityPolicies: identity policies are made for consumers in the registry's own account, so every environment needs an accountId (missing for: dev)",
    ]);
  });

  test("are accepted with an account id", () => {
    expect(parseConfig(stringify({ ...minimalRawConfig(), accountId: "123456789012", identityPolicies: true }), "t").identityPolicies).toBe(true);
  });
});

describe("policy size", () => {
  test("a repository policy longer than ECR's 10,240 characters is rejected", () => {
    const consumers = Array.from({ length: 250 }, (_, i) => ({ kind: "pull", principal: `arn:aws:iam::123456789012:role/model-reader-${i}` }));
    expect(problemsOf(withRepositoryConsumers(consumers))).toEqual([
      expect.stringMatching(
        /^repositories\[0\]\.consumers: in environment dev the repository policy would be \d+ characters; ECR allows 10240\. Grant whole accounts or an organization instead of many single roles$/,
      ),
    ]);
  });
});

test("every consumer problem in a config is listed at once", () => {
  const raw = {
    ...withConsumers([{ kind: "push", principal: "*" }, { kind: "lambda" }]),
    repositories: [{ name: "ab", consumers: [{ kind: "reader", principal: ROLE }] }, { name: "cd", consumers: [] }],
  };
  expect(problemsOf(raw).sort()).toEqual([
    expect.stringMatching(/^consumers\[0\]\.principal: the principal "\*"/),
    expect.stringMatching(/^consumers\[1\]: a lambda consumer needs/),
    expect.stringMatching(/^repositories\[0\]\.consumers\[0\]\.kind: kind must be one of/),
    "repositories[1].consumers: list at least one consumer, or leave consumers out",
  ]);
});
