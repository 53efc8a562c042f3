import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { EcrRegistryPolicy } from "@cdktf/provider-aws/lib/ecr-registry-policy";
import { EcrReplicationConfiguration } from "@cdktf/provider-aws/lib/ecr-replication-configuration";
import { replicationRegistryPolicy } from "../src/policies/replication-registry-policy";
import { minimalRawConfig, synthEnvironment, synthJson } from "./support/fixtures";
import { problemsOf, twoAccountConfig } from "./support/problems";

const INFERENCE = { name: "inference", accountId: "333333333333", region: "eu-west-1" };

function withReplication(replication: Record<string, unknown>, base = twoAccountConfig()): Record<string, any> {
  return { ...base, replication };
}

function rule(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { environments: ["prod"], destinations: [{ region: "eu-central-1" }], ...overrides };
}

function registryPolicyOf(json: any): any {
  return JSON.parse(json.resource.aws_ecr_registry_policy.registry.policy);
}

describe("the replication registry policy document", () => {
  test("has one statement per source account, allowing only CreateRepository and ReplicateImage on every repository", () => {
    expect(
      replicationRegistryPolicy({ partition: "aws", region: "eu-west-1", registryAccountId: "333333333333", sourceAccountIds: ["222222222222", "111111111111"] }),
    ).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReplicationFrom111111111111",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111111111111:root" },
          Action: ["ecr:CreateRepository", "ecr:ReplicateImage"],
          Resource: ["arn:aws:ecr:eu-west-1:333333333333:repository/*"],
        },
        {
          Sid: "ReplicationFrom222222222222",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::222222222222:root" },
          Action: ["ecr:CreateRepository", "ecr:ReplicateImage"],
          Resource: ["arn:aws:ecr:eu-west-1:333333333333:repository/*"],
        },
      ],
    });
  });

  test("uses the partition in every ARN and lists a repeated source once", () => {
    const policy = replicationRegistryPolicy({
      partition: "aws-cn",
      region: "cn-north-1",
      registryAccountId: "333333333333",
      sourceAccountIds: ["111111111111", "111111111111"],
    });
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: "arn:aws-cn:iam::111111111111:root" },
        Resource: ["arn:aws-cn:ecr:cn-north-1:333333333333:repository/*"],
      }),
    ]);
  });
});

describe("a source registry", () => {
  test("replicates to an inference region of its own account with prefix filters", () => {
    const raw = withReplication({ rules: [rule({ repositoryPrefixes: ["ai-models/", "shared"] })] });
    expect(synthEnvironment(raw, "prod")).toHaveResourceWithProperties(EcrReplicationConfiguration, {
      replication_configuration: {
        rule: [
          {
            destination: [{ region: "eu-central-1", registry_id: "222222222222" }],
            repository_filter: [
              { filter: "ai-models/", filter_type: "PREFIX_MATCH" },
              { filter: "shared", filter_type: "PREFIX_MATCH" },
            ],
          },
        ],
      },
    });
  });

  test("without prefixes replicates every repository (no filter)", () => {
    const json = synthJson(withReplication({ rules: [rule()] }), "prod");
    expect(json.resource.aws_ecr_replication_configuration.registry.replication_configuration.rule).toEqual([
      { destination: [{ region: "eu-central-1", registry_id: "222222222222" }] },
    ]);
  });

  test("is only configured in the environments its rules select", () => {
    const raw = withReplication({ rules: [rule()] });
    expect(synthJson(raw, "dev").resource.aws_ecr_replication_configuration).toBeUndefined();
  });

  test("rules without environments apply to every environment that manages registry settings", () => {
    const raw = withReplication({ rules: [{ destinations: [{ region: "eu-central-1" }] }] });
    expect(synthJson(raw, "dev").resource.aws_ecr_replication_configuration.registry.replication_configuration.rule[0].destination).toEqual([
      { region: "eu-central-1", registry_id: "111111111111" },
    ]);
    expect(synthJson(raw, "prod").resource.aws_ecr_replication_configuration.registry.replication_configuration.rule[0].destination).toEqual([
      { region: "eu-central-1", registry_id: "222222222222" },
    ]);
  });

  test("uses the deploying account for its own destinations when no account id is configured", () => {
    const raw = { ...minimalRawConfig(), replication: { rules: [{ destinations: [{ region: "us-west-2" }] }] } };
    const synthesized = synthEnvironment(raw);
    expect(synthesized).toHaveDataSource(DataAwsCallerIdentity);
    expect(JSON.parse(synthesized).resource.aws_ecr_replication_configuration.registry.replication_configuration.rule[0].destination).toEqual([
      { region: "us-west-2", registry_id: "${data.aws_caller_identity.current.account_id}" },
    ]);
  });

  test("exports, per cross-account destination, the registry policy that destination must apply", () => {
    const raw = withReplication({ rules: [rule({ destinations: [{ region: "eu-west-1", accountId: "444444444444" }, { region: "eu-central-1" }] })] });
    const outputs = synthJson(raw, "prod").output;
    expect(Object.keys(outputs).filter((name) => name.startsWith("replication"))).toEqual(["replication_registry_policy_444444444444_eu-west-1"]);
    expect(JSON.parse(outputs["replication_registry_policy_444444444444_eu-west-1"].value)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReplicationFrom222222222222",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::222222222222:root" },
          Action: ["ecr:CreateRepository", "ecr:ReplicateImage"],
          Resource: ["arn:aws:ecr:eu-west-1:444444444444:repository/*"],
        },
      ],
    });
  });

  test("has no registry policy of its own for replicating out", () => {
    const raw = withReplication({ rules: [rule({ destinations: [{ region: "eu-west-1", accountId: "444444444444" }] })] });
    expect(synthJson(raw, "prod").resource.aws_ecr_registry_policy).toBeUndefined();
  });

  test("is left out of an environment that does not manage registry settings", () => {
    const raw = withReplication(
      { rules: [{ destinations: [{ region: "eu-central-1" }] }] },
      { ...minimalRawConfig(), environments: [{ name: "dev" }, { name: "dev2", manageRegistrySettings: false }] },
    );
    expect(synthJson(raw, "dev2").resource.aws_ecr_replication_configuration).toBeUndefined();
  });
});

describe("a destination registry", () => {
  const base = { ...twoAccountConfig(), environments: [...twoAccountConfig().environments, INFERENCE] };

  test("declared in this config gets a registry policy for the sources that replicate into it", () => {
    const raw = withReplication(
      {
        rules: [
          rule({ destinations: [{ region: "eu-west-1", accountId: "333333333333" }] }),
          { environments: ["dev"], destinations: [{ region: "eu-west-1", accountId: "333333333333" }] },
        ],
      },
      base,
    );
    const synthesized = synthEnvironment(raw, "inference");
    expect(synthesized).toHaveResource(EcrRegistryPolicy);
    expect(registryPolicyOf(JSON.parse(synthesized)).Statement.map((s: any) => s.Principal.AWS)).toEqual([
      "arn:aws:iam::111111111111:root",
      "arn:aws:iam::222222222222:root",
    ]);
  });

  test("accepts the source accounts listed in acceptFrom, with exactly the documented policy", () => {
    const raw = withReplication({ acceptFrom: [{ environment: "inference", sourceAccounts: ["555555555555"] }] }, base);
    expect(registryPolicyOf(synthJson(raw, "inference"))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReplicationFrom555555555555",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::555555555555:root" },
          Action: ["ecr:CreateRepository", "ecr:ReplicateImage"],
          Resource: ["arn:aws:ecr:eu-west-1:333333333333:repository/*"],
        },
      ],
    });
  });

  test("puts the policy of a destination in another region of its account in that region, beside the replicas it governs there", () => {
    const raw = withReplication({ rules: [rule({ destinations: [{ region: "us-east-1", accountId: "333333333333" }] })] }, base);
    const policies = synthJson(raw, "inference").resource.aws_ecr_registry_policy;
    expect(Object.keys(policies)).toEqual(["registry__us-east-1"]);
    expect(policies["registry__us-east-1"].provider).toBe("aws.us-east-1");
    expect(JSON.parse(policies["registry__us-east-1"].policy).Statement[0].Resource).toEqual(["arn:aws:ecr:us-east-1:333333333333:repository/*"]);
  });

  test("names the deploying account in the resource when no account id is configured", () => {
    const raw = withReplication(
      { acceptFrom: [{ environment: "dev", sourceAccounts: ["555555555555"] }] },
      { ...minimalRawConfig() },
    );
    expect(registryPolicyOf(synthJson(raw)).Statement[0].Resource).toEqual(["arn:aws:ecr:us-east-1:${data.aws_caller_identity.current.account_id}:repository/*"]);
  });
});

describe("replication validation", () => {
  test.each([
    [
      "more than 10 rules",
      { rules: Array.from({ length: 11 }, () => rule()) },
      "replication.rules: ECR allows at most 10 replication rules per registry",
    ],
    [
      "more than 25 destinations in a rule",
      { rules: [rule({ destinations: Array.from({ length: 26 }, (_, i) => ({ region: "eu-west-1", accountId: String(300000000000 + i) })) })] },
      "replication.rules[0].destinations: ECR allows at most 25 destinations per rule",
    ],
    ["no destinations", { rules: [rule({ destinations: [] })] }, "replication.rules[0].destinations: list at least one destination"],
    [
      "more than 100 repository prefixes",
      { rules: [rule({ repositoryPrefixes: Array.from({ length: 101 }, (_, i) => `p${i}`) })] },
      "replication.rules[0].repositoryPrefixes: ECR allows at most 100 repository filters per rule",
    ],
    [
      "a prefix ECR cannot match",
      { rules: [rule({ repositoryPrefixes: ["AI-Models/"] })] },
      "replication.rules[0].repositoryPrefixes[0]: must be the start of a repository name: lowercase letters, digits, '.', '_', '-' and '/' (e.g. ai-models/)",
    ],
    ["a one-character prefix", { rules: [rule({ repositoryPrefixes: ["a"] })] }, "replication.rules[0].repositoryPrefixes[0]: repository prefixes must be 2 to 256 characters"],
    [
      "a repeated prefix",
      { rules: [rule({ repositoryPrefixes: ["ai-models/", "ai-models/"] })] },
      "replication.rules[0].repositoryPrefixes[1]: duplicate repository prefix (same as index 0)",
    ],
    [
      "a repeated destination",
      { rules: [rule({ destinations: [{ region: "eu-central-1" }, { region: "eu-central-1" }] })] },
      "replication.rules[0].destinations[1]: duplicate destination (same as index 0)",
    ],
    [
      "a destination that is the source region of the same account",
      { rules: [rule({ destinations: [{ region: "us-west-2" }] })] },
      "replication.rules[0].destinations[0].region: is the region of source environment prod in its own account; a registry cannot replicate to itself (name another region or another account)",
    ],
    [
      "a destination naming the source's own account and region",
      { rules: [rule({ destinations: [{ region: "us-west-2", accountId: "222222222222" }] })] },
      "replication.rules[0].destinations[0].region: is the region of source environment prod in its own account; a registry cannot replicate to itself (name another region or another account)",
    ],
    [
      "a destination in another partition",
      { rules: [rule({ destinations: [{ region: "cn-north-1" }] })] },
      "replication.rules[0].destinations[0].region: is in partition aws-cn but source environment prod is in aws; ECR cannot replicate across partitions",
    ],
    [
      "an invalid destination region",
      { rules: [rule({ destinations: [{ region: "europe" }] })] },
      "replication.rules[0].destinations[0].region: must be an AWS region name such as us-east-1 or eu-central-1",
    ],
    [
      "an unknown source environment",
      { rules: [rule({ environments: ["stage"] })] },
      'replication.rules[0].environments[0]: unknown environment `stage` (known: dev, prod)',
    ],
    [
      "a source environment listed twice",
      { rules: [rule({ environments: ["prod", "prod"] })] },
      'replication.rules[0].environments[1]: environment "prod" is listed twice',
    ],
    ["an empty environment list", { rules: [rule({ environments: [] })] }, "replication.rules[0].environments: list at least one environment, or leave the key out"],
    [
      "an unknown key in a rule",
      { rules: [rule({ filters: ["x"] })] },
      "replication.rules[0].filters: unknown key (check the spelling; docs/configuration.md lists every key)",
    ],
  ])("%s is rejected", (_name, replication, problem) => {
    expect(problemsOf(withReplication(replication))).toEqual([problem]);
  });

  test("more than 25 unique destinations across rules is rejected", () => {
    const destinations = (from: number) => Array.from({ length: 13 }, (_, i) => ({ region: "eu-west-1", accountId: String(300000000000 + from + i) }));
    expect(problemsOf(withReplication({ rules: [rule({ destinations: destinations(0) }), rule({ destinations: destinations(13) })] }))).toEqual([
      "replication.rules: environment prod would replicate to 26 unique destinations; ECR allows at most 25 across all rules",
    ]);
  });

  test("exactly 25 unique destinations across rules is accepted", () => {
    const destinations = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ region: "eu-west-1", accountId: String(300000000000 + from + i) }));
    const raw = withReplication({ rules: [rule({ destinations: destinations(0, 13) }), rule({ destinations: [...destinations(10, 3), ...destinations(13, 12)] })] });
    expect(synthJson(raw, "prod").resource.aws_ecr_replication_configuration.registry.replication_configuration.rule).toHaveLength(2);
  });

  test("cross-account replication from an environment without an account id is rejected", () => {
    const raw = { ...minimalRawConfig(), replication: { rules: [{ destinations: [{ region: "us-west-2", accountId: "333333333333" }] }] } };
    expect(problemsOf(raw)).toEqual([
      "replication.rules[0].destinations[0].accountId: cross-account replication from environment dev needs its account id (set environments[0].accountId or accountId): it names the source in the destination's registry policy",
    ]);
  });

  test("a rule naming an environment that does not manage registry settings is rejected", () => {
    const raw = withReplication(
      { rules: [{ environments: ["dev2"], destinations: [{ region: "eu-central-1" }] }] },
      { ...minimalRawConfig(), environments: [{ name: "dev" }, { name: "dev2", manageRegistrySettings: false }] },
    );
    expect(problemsOf(raw)).toEqual([
      'replication.rules[0].environments[0]: replication is a registry-wide setting (one per account and region), but environment "dev2" has manageRegistrySettings: false; list the environment that manages this registry instead',
    ]);
  });

  test.each([
    [{ environment: "stage", sourceAccounts: ["555555555555"] }, 'replication.acceptFrom[0].environment: unknown environment `stage` (known: dev, prod)'],
    [{ environment: "prod", sourceAccounts: ["222222222222"] }, "replication.acceptFrom[0].sourceAccounts[0]: is environment prod's own account; replication within an account needs no registry policy"],
    [{ environment: "prod", sourceAccounts: ["555555555555", "555555555555"] }, "replication.acceptFrom[0].sourceAccounts[1]: duplicate source account (same as index 0)"],
    [{ environment: "prod", sourceAccounts: [] }, "replication.acceptFrom[0].sourceAccounts: list at least one source account"],
    [{ environment: "prod", sourceAccounts: ["5555"] }, "replication.acceptFrom[0].sourceAccounts[0]: must be a 12-digit AWS account id"],
  ])("the acceptFrom entry %j is rejected", (entry, problem) => {
    expect(problemsOf(withReplication({ acceptFrom: [entry] }))).toEqual([problem]);
  });

  test("two acceptFrom entries for one environment are rejected", () => {
    const entry = { environment: "prod", sourceAccounts: ["555555555555"] };
    expect(problemsOf(withReplication({ acceptFrom: [entry, entry] }))).toEqual([
      'replication.acceptFrom[1].environment: environment "prod" already has an acceptFrom entry; merge them',
    ]);
  });

  test("acceptFrom naming an environment that does not manage registry settings is rejected", () => {
    const raw = withReplication(
      { acceptFrom: [{ environment: "dev2", sourceAccounts: ["555555555555"] }] },
      { ...minimalRawConfig(), environments: [{ name: "dev" }, { name: "dev2", manageRegistrySettings: false }] },
    );
    expect(problemsOf(raw)).toEqual([
      'replication.acceptFrom[0].environment: the registry policy is a registry-wide setting, but environment "dev2" has manageRegistrySettings: false; name the environment that manages this registry',
    ]);
  });
});
