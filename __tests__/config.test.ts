import * as fs from "fs";
import * as path from "path";
import { ConfigError, formatPath } from "../src/config/errors";
import { DEFAULT_CONFIG_PATH, configPathFromEnv } from "../src/config/load";
import { loadConfig, parseConfig } from "../src/checks";
import { resolveEnvironments } from "../src/plan/environments";
import { stringify } from "yaml";
import { PROJECT_ROOT, minimalRawConfig, tempDir, writeConfig } from "./support/fixtures";
import { problemsOf } from "./support/problems";

function withRepository(repo: Record<string, unknown>): Record<string, any> {
  return { ...minimalRawConfig(), repositories: [repo] };
}

describe("defaults", () => {
  const config = parseConfig(stringify(minimalRawConfig()), "test.yaml");
  const repo = config.repositories[0];

  test("repositories are immutable, scanned on push and KMS-encrypted by default", () => {
    expect(repo.tagMutability).toBe("IMMUTABLE");
    expect(repo.scanOnPush).toBe(true);
    expect(repo.encryption).toEqual({ type: "KMS" });
    expect(repo.tags).toEqual({});
  });

  test("scanning is BASIC by default, with the AWS_NATIVE basic scanner", () => {
    expect(config.scanning).toEqual({ type: "BASIC", basicScanTypeVersion: "AWS_NATIVE" });
  });

  test("an environment inherits the registry region and gets a state key from project and name", () => {
    expect(resolveEnvironments(config)).toEqual([
      {
        name: "dev",
        region: "us-east-1",
        accountId: undefined,
        assumeRole: undefined,
        state: { bucket: "acme-tfstate", region: "us-east-1", key: "model-registry/dev/terraform.tfstate", dynamodbTable: undefined },
        manageRegistrySettings: true,
        repositories: config.repositories,
        protected: false,
        retired: [],
      },
    ]);
  });

  test("the state key prefix replaces the project name in state keys", () => {
    const custom = parseConfig(stringify({ ...minimalRawConfig(), state: { bucket: "acme-tfstate", keyPrefix: "teams/ml" } }), "t");
    expect(resolveEnvironments(custom)[0].state?.key).toBe("teams/ml/dev/terraform.tfstate");
  });

  test("a repository without environments exists in every environment; one with a list only in those", () => {
    const config2 = parseConfig(
      stringify({
        ...minimalRawConfig(),
        environments: [{ name: "dev" }, { name: "prod", region: "eu-west-1" }],
        repositories: [{ name: "everywhere" }, { name: "dev-only", environments: ["dev"] }],
      }),
      "t",
    );
    const [dev, prod] = resolveEnvironments(config2);
    expect(dev.repositories.map((r) => r.name)).toEqual(["everywhere", "dev-only"]);
    expect(prod.repositories.map((r) => r.name)).toEqual(["everywhere"]);
    expect(prod.region).toBe("eu-west-1");
  });
});

describe("the embedded default config", () => {
  const config = loadConfig(DEFAULT_CONFIG_PATH);

  test("expresses the seed's repository: scan on push, MUTABLE tags, Purpose tag", () => {
    const seed = config.repositories.find((r) => r.name === "ai-model-repository");
    expect(seed).toMatchObject({ scanOnPush: true, tagMutability: "MUTABLE", tags: { Purpose: "AI Model Storage" } });
  });

  test("has at least three model repositories and two environments", () => {
    expect(config.repositories.length).toBeGreaterThanOrEqual(3);
    expect(config.environments.length).toBeGreaterThanOrEqual(2);
  });

  test("is the registry.yaml at the project root", () => {
    expect(DEFAULT_CONFIG_PATH).toBe(path.join(PROJECT_ROOT, "registry.yaml"));
  });
});

describe("config file location", () => {
  test("REGISTRY_CONFIG names the config file, resolved from the working directory", () => {
    expect(configPathFromEnv({ REGISTRY_CONFIG: "configs/other.yaml" })).toBe(path.resolve("configs/other.yaml"));
  });

  test("without REGISTRY_CONFIG the embedded registry.yaml is used", () => {
    expect(configPathFromEnv({})).toBe(DEFAULT_CONFIG_PATH);
  });

  test("a missing file is a config error naming the file", () => {
    expect(() => loadConfig(path.join(tempDir(), "nope.yaml"))).toThrow(/nope\.yaml is invalid \(1 problem\):\n  cannot read the file: it does not exist/);
  });

  test("a path through a file is a missing file, not a crash", () => {
    const file = writeConfig(tempDir(), "project: x\n");
    expect(() => loadConfig(path.join(file, "registry.yaml"))).toThrow(/cannot read the file: it does not exist \(REGISTRY_CONFIG names the config file\)$/);
  });

  test("a file the path cannot reach says why, with the error code", () => {
    const dir = tempDir();
    fs.symlinkSync(path.join(dir, "b.yaml"), path.join(dir, "a.yaml"));
    fs.symlinkSync(path.join(dir, "a.yaml"), path.join(dir, "b.yaml"));
    expect(() => loadConfig(path.join(dir, "a.yaml"))).toThrow(
      /cannot read the file: its path has a loop of symbolic links, ELOOP \(REGISTRY_CONFIG names the config file\)$/,
    );
  });

  test("a directory is a config error", () => {
    expect(() => loadConfig(tempDir())).toThrow(/is a directory, not a config file/);
  });

  test("an empty file is a config error", () => {
    expect(() => loadConfig(writeConfig(tempDir(), ""))).toThrow(/the file is empty/);
  });
});

describe("YAML errors", () => {
  test("a syntax error reports its line and column", () => {
    expect(problemsOf("project: a\nrepositories: [\n")).toEqual([expect.stringMatching(/^test\.yaml:3:1: YAML syntax error: /)]);
  });

  test("a duplicate key is an error", () => {
    expect(problemsOf("project: a\nproject: b\n")).toEqual([expect.stringMatching(/^test\.yaml:2:1: YAML syntax error: Map keys must be unique/)]);
  });

  test("a document that is not a mapping is an error", () => {
    expect(problemsOf("- a\n- b\n")).toEqual(["expected object, got a list"]);
  });
});

describe("validation", () => {
  test("unknown keys are errors at their own path", () => {
    expect(problemsOf({ ...minimalRawConfig(), regoin: "us-east-1", repositories: [{ name: "ab", scanOnPsh: true }] }).sort()).toEqual([
      'regoin: unknown key; did you mean "region"?',
      'repositories[0].scanOnPsh: unknown key; did you mean "scanOnPush"?',
    ]);
  });

  test("wrong types name the expected and the actual type", () => {
    expect(problemsOf(withRepository({ name: "ab", scanOnPush: "yes" }))).toEqual(["repositories[0].scanOnPush: expected boolean, got string \"yes\""]);
  });

  test.each([
    ["A", "repository names must be 2 to 256 characters"],
    ["Models/LLM", "must be lowercase letters and digits"],
    ["models//llm", "must be lowercase letters and digits"],
    ["models/-llm", "must be lowercase letters and digits"],
    ["models__llm", "must be lowercase letters and digits"],
    ["a".repeat(257), "repository names must be 2 to 256 characters"],
  ])("the repository name %j is rejected", (name, message) => {
    expect(problemsOf(withRepository({ name }))).toEqual([expect.stringContaining(`repositories[0].name: ${message}`)]);
  });

  test.each(["ab", "ai-models/llm-serving", "team.a/models_v2/bert-base", "a".repeat(256)])("the repository name %j is accepted", (name) => {
    expect(parseConfig(stringify(withRepository({ name })), "t").repositories[0].name).toBe(name);
  });

  test("the error for a bad name in the second repository carries its index", () => {
    expect(problemsOf({ ...minimalRawConfig(), repositories: [{ name: "good" }, { name: "Bad" }] })).toEqual([
      expect.stringMatching(/^repositories\[1\]\.name: must be lowercase/),
    ]);
  });

  test("an unknown tag mutability lists the allowed values", () => {
    expect(problemsOf(withRepository({ name: "ab", tagMutability: "READONLY" }))).toEqual([
      'repositories[0].tagMutability: must be one of "IMMUTABLE", "MUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION" (got string "READONLY")',
    ]);
  });

  test("an exclusion mode without exclusion filters is an error", () => {
    expect(problemsOf(withRepository({ name: "ab", tagMutability: "IMMUTABLE_WITH_EXCLUSION" }))).toEqual([
      "repositories[0].mutabilityExclusions: is required when tagMutability is IMMUTABLE_WITH_EXCLUSION",
    ]);
  });

  test("exclusion filters without an exclusion mode are an error", () => {
    expect(problemsOf(withRepository({ name: "ab", mutabilityExclusions: ["latest"] }))).toEqual([
      "repositories[0].mutabilityExclusions: is only allowed with tagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION (got IMMUTABLE)",
    ]);
  });

  test("an exclusion filter with characters ECR does not allow is an error", () => {
    expect(problemsOf(withRepository({ name: "ab", tagMutability: "MUTABLE_WITH_EXCLUSION", mutabilityExclusions: ["dev/*"] }))).toEqual([
      "repositories[0].mutabilityExclusions[0]: exclusion filters may contain letters, digits, '.', '_', '-' and the '*' wildcard",
    ]);
  });

  test("a KMS key ARN with AES256 is an error", () => {
    const kmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    expect(problemsOf(withRepository({ name: "ab", encryption: { type: "AES256", kmsKeyArn } }))).toEqual([
      "repositories[0].encryption.kmsKeyArn: kmsKeyArn is only allowed with type KMS",
    ]);
  });

  test("a KMS alias is not accepted where a key ARN is required", () => {
    expect(problemsOf(withRepository({ name: "ab", encryption: { kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/ecr" } }))).toEqual([
      expect.stringMatching(/^repositories\[0\]\.encryption\.kmsKeyArn: must be a KMS key ARN/),
    ]);
  });

  test("duplicate repository names are an error at the second occurrence", () => {
    expect(problemsOf({ ...minimalRawConfig(), repositories: [{ name: "ab" }, { name: "cd" }, { name: "ab" }] })).toEqual([
      'repositories[2].name: duplicate repository name "ab" (first declared at index 0)',
    ]);
  });

  test("duplicate environment names are an error", () => {
    expect(problemsOf({ ...minimalRawConfig(), environments: [{ name: "dev" }, { name: "dev", region: "eu-west-1" }] })).toEqual([
      'environments[1].name: duplicate environment name "dev" (first declared at index 0)',
    ]);
  });

  test("a repository naming an undeclared environment is an error listing the declared ones", () => {
    expect(problemsOf(withRepository({ name: "ab", environments: ["dev", "stage"] }))).toEqual([
      'repositories[0].environments[1]: unknown environment `stage` (known: dev)',
    ]);
  });

  test("two environments owning the registry settings of one account and region is an error", () => {
    expect(problemsOf({ ...minimalRawConfig(), environments: [{ name: "dev" }, { name: "prod" }] })).toEqual([
      expect.stringMatching(/^environments\[1\]\.manageRegistrySettings: environments\[0\] \(dev\) already manages the registry settings of us-east-1;/),
    ]);
  });

  test("environments in different accounts may share a region", () => {
    const raw = { ...minimalRawConfig(), environments: [{ name: "dev", accountId: "111111111111" }, { name: "prod", accountId: "222222222222" }] };
    expect(parseConfig(stringify(raw), "t").environments).toHaveLength(2);
  });

  test.each([
    ["accountId", 123456789012, "accountId: must be a 12-digit AWS account id written as a quoted string"],
    ["accountId", "12345", "accountId: must be a 12-digit AWS account id"],
    ["region", "us-east", "region: must be an AWS region name such as us-east-1 or eu-central-1"],
    ["project", "Model Registry", "project: project names must be 2-40 lowercase letters, digits or '-', starting with a letter"],
  ])("the top-level %s %j is rejected", (key, value, message) => {
    expect(problemsOf({ ...minimalRawConfig(), [key]: value })).toEqual([message]);
  });

  test.each([
    ["ab", "state.bucket: bucket names must be 3 to 63 characters"],
    ["Acme_State", "state.bucket: bucket names may contain only lowercase letters"],
    ["acme..state", "state.bucket: bucket names must not contain '..'"],
    ["192.168.1.1", "state.bucket: bucket names must not look like an IP address"],
  ])("the state bucket %j is rejected", (bucket, message) => {
    expect(problemsOf({ ...minimalRawConfig(), state: { bucket } })).toEqual([expect.stringContaining(message)]);
  });

  test("an environment name that cannot be part of a stack name is rejected", () => {
    expect(problemsOf({ ...minimalRawConfig(), environments: [{ name: "Prod_1" }] })).toEqual([
      "environments[0].name: environment names must be 1-32 lowercase letters, digits or '-', starting with a letter (e.g. dev, prod)",
    ]);
  });

  test("every problem in a config is listed, not just the first", () => {
    expect(
      problemsOf({
        ...minimalRawConfig(),
        region: "moon-1",
        repositories: [{ name: "ok" }, { name: "X" }, { name: "ab", tagMutability: "SOMETIMES" }],
      }),
    ).toHaveLength(3);
  });
});

describe("tags", () => {
  test("a key starting with aws: is rejected", () => {
    expect(problemsOf({ ...minimalRawConfig(), tags: { "aws:owner": "me" } })).toEqual([
      'tags["aws:owner"]: tag keys must not start with the reserved prefix "aws:"',
    ]);
  });

  test("a key longer than 128 characters is rejected", () => {
    expect(problemsOf(withRepository({ name: "ab", tags: { ["k".repeat(129)]: "v" } }))).toEqual([
      expect.stringMatching(/^repositories\[0\]\.tags\.k+: tag keys must be at most 128 characters$/),
    ]);
  });

  test("characters outside AWS's tag alphabet are rejected", () => {
    expect(problemsOf({ ...minimalRawConfig(), tags: { Team: "ml<platform>" } })).toEqual([
      "tags.Team: tag values may contain only letters, numbers, spaces and _ . : / = + - @",
    ]);
  });

  test("exactly 50 tags on a repository is accepted", () => {
    const tags = Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`Tag${i}`, "x"]));
    expect(parseConfig(stringify(withRepository({ name: "ab", tags })), "t").repositories[0].tags).toEqual(tags);
  });
});

describe("error formatting", () => {
  test("paths use brackets for indexes and quotes for keys that are not identifiers", () => {
    expect(formatPath(["repositories", 2, "tags", "cost center"])).toBe('repositories[2].tags["cost center"]');
  });

  test("the message names the source and counts the problems", () => {
    const error = new ConfigError("registry.yaml", [
      { path: "a", message: "x" },
      { path: "b[0]", message: "y" },
    ]);
    expect(error.message).toBe("registry.yaml is invalid (2 problems):\n  a: x\n  b[0]: y");
  });

  test("a config file is read from disk and validated", () => {
    const dir = tempDir();
    const file = writeConfig(dir, minimalRawConfig());
    expect(loadConfig(file).project).toBe("model-registry");
    expect(fs.readdirSync(dir)).toEqual(["registry.yaml"]);
  });
});
