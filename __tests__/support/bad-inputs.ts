/**
 * The bad-input catalogue: invalid configs across every section of `registry.yaml`, each with every
 * problem the user must see (path, a fragment of the message and the line and column, in order). `bad-input.test.ts`
 * runs each through the synth command and checks exit code, message, no stack trace and an
 * untouched output folder.
 */

/** The part of the config (or of the file around it) a case breaks. */
export type Section =
  | "file"
  | "YAML"
  | "top level"
  | "state"
  | "environments"
  | "tags"
  | "repositories"
  | "consumers"
  | "identity policies"
  | "lifecycle"
  | "scanning"
  | "creation templates"
  | "replication"
  | "pull-through cache"
  | "notifications"
  | "signing"
  | "guardrails"
  | "renames and retirements"
  | "adoption"
  | "stack groups";

/** What `REGISTRY_CONFIG` names. */
export type ConfigFile =
  | { readonly kind: "yaml"; readonly text: string }
  | { readonly kind: "data"; readonly data: unknown }
  | { readonly kind: "bytes"; readonly bytes: Buffer }
  /** A file of this size that holds only zero bytes on disk (sparse), so it costs no writing. */
  | { readonly kind: "sparse"; readonly size: number }
  | { readonly kind: "missing" }
  | { readonly kind: "directory" }
  /** An existing path outside the test folder, e.g. a device. */
  | { readonly kind: "path"; readonly path: string };

export interface BadInput {
  readonly section: Section;
  /** What is wrong, as a sentence fragment for the test name. */
  readonly name: string;
  readonly file: ConfigFile;
  /**
   * Every problem reported, in order: its path ("" for the file as a whole), a fragment of its
   * message, and where it is in the file (`line:column`, after the file name), when it is somewhere.
   */
  readonly problems: ReadonlyArray<readonly [path: string, message: string, at?: string]>;
  /** Also run through `main.ts` in a child process of its own (a few cases, for the real process boundary). */
  readonly childProcess?: boolean;
}

/** The valid config every data case breaks one thing of: two environments in two accounts, two repositories. */
export function baseConfig(): Record<string, any> {
  return {
    project: "model-registry",
    region: "us-east-1",
    state: { bucket: "acme-tfstate" },
    environments: [
      { name: "dev", accountId: "111111111111" },
      { name: "prod", accountId: "222222222222", region: "us-west-2" },
    ],
    repositories: [{ name: "ai-models/llm" }, { name: "ai-models/embeddings" }],
  };
}

/** `baseConfig()` as YAML text with known line numbers; YAML cases append from line 14 on. */
export const BASE_YAML = [
  "project: model-registry", // 1
  "region: us-east-1", // 2
  "state:", // 3
  "  bucket: acme-tfstate", // 4
  "environments:", // 5
  "  - name: dev", // 6
  '    accountId: "111111111111"', // 7
  "  - name: prod", // 8
  '    accountId: "222222222222"', // 9
  "    region: us-west-2", // 10
  "repositories:", // 11
  "  - name: ai-models/llm", // 12
  "  - name: ai-models/embeddings", // 13
  "",
].join("\n");

function edit(change: (config: Record<string, any>) => void): ConfigFile {
  const config = baseConfig();
  change(config);
  return { kind: "data", data: config };
}

function yaml(...lines: string[]): ConfigFile {
  return { kind: "yaml", text: BASE_YAML + lines.map((l) => `${l}\n`).join("") };
}

/** Deterministic bytes that are not UTF-8 (a PNG signature, then pseudo-random bytes). */
function binaryBytes(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  let x = 12345;
  for (let i = 8; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = (x >> 16) & 0xff;
  }
  return bytes;
}

/** About 2 MB of base64 in 76-character lines (a pasted dump), which YAML reads as one long string. */
function base64Dump(bytes: number): string {
  return binaryBytes(bytes).toString("base64").replace(/.{76}/g, "$&\n");
}

/** Stray closing brackets: each one a YAML syntax error of its own. */
export const STRAY_BRACKETS = 5000;

/** A "billion laughs" document: each level repeats the previous one ten times (10^6 leaves at d). */
const aliasBomb = [
  'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
  "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
].join("\n");

export const MAX_CONFIG_BYTES = 10 * 1024 * 1024;

const ENUM_MUTABILITY = 'must be one of "IMMUTABLE", "MUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION" (got string "SOMETIMES")';
const REPOSITORY_NAME = "must be lowercase letters and digits, with single '.', '_' or '-' separators";
const ROLE = (account: string, name = "model-registry-deploy") => `arn:aws:iam::${account}:role/${name}`;

export const BAD_INPUTS: readonly BadInput[] = [
  // --- the file itself -------------------------------------------------------------------------
  {
    section: "file",
    name: "REGISTRY_CONFIG names a file that does not exist",
    file: { kind: "missing" },
    problems: [["", "cannot read the file: it does not exist (REGISTRY_CONFIG names the config file)"]],
  },
  {
    section: "file",
    name: "REGISTRY_CONFIG names a directory",
    file: { kind: "directory" },
    problems: [["", "is a directory, not a config file"]],
    childProcess: true,
  },
  {
    section: "file",
    name: "a file one byte over the size limit is refused before it is read",
    file: { kind: "sparse", size: MAX_CONFIG_BYTES + 1 },
    problems: [["", `is ${MAX_CONFIG_BYTES + 1} bytes; config files are limited to ${MAX_CONFIG_BYTES} bytes`]],
  },
  {
    section: "file",
    name: "a device that never ends (/dev/zero) is read only up to the size limit",
    file: { kind: "path", path: "/dev/zero" },
    problems: [["", `is more than ${MAX_CONFIG_BYTES} bytes; config files are limited to ${MAX_CONFIG_BYTES} bytes`]],
  },
  {
    section: "file",
    name: "a binary file (not UTF-8)",
    file: { kind: "bytes", bytes: binaryBytes(4096) },
    problems: [["", "is not UTF-8 text (a binary file?); a config file is YAML text"]],
  },
  {
    section: "file",
    name: "an empty file",
    file: { kind: "yaml", text: "" },
    problems: [["", "the file is empty; see registry.yaml for an example"]],
  },
  {
    section: "file",
    name: "a file with only comments and blank lines",
    file: { kind: "yaml", text: "# registry.yaml\n\n   \n# nothing here yet\n" },
    problems: [["", "the file is empty; see registry.yaml for an example"]],
  },
  {
    section: "file",
    name: "a 2 MB file under the size limit that is a base64 dump, not a config",
    file: { kind: "yaml", text: base64Dump(1536 * 1024) },
    problems: [["", `expected object, got string "${base64Dump(48).slice(0, 57)}..."`]],
  },
  {
    section: "file",
    name: "thousands of syntax errors are cut to the first 20 and a count of the rest",
    file: { kind: "yaml", text: "]".repeat(STRAY_BRACKETS) },
    problems: [
      ...Array.from({ length: 20 }, (_, i): [string, string, string] => ["", 'YAML syntax error: Unexpected flow-seq-end token in YAML document: "]"', `1:${i + 1}`]),
      ["", `... and ${STRAY_BRACKETS - 20} more YAML errors; fix the first ones, the rest often follow from them`],
    ],
  },

  // --- YAML ----------------------------------------------------------------------------------
  {
    section: "YAML",
    name: "an unclosed flow mapping, with line and column",
    file: yaml("tags: {Team: ml-platform"),
    problems: [["", "YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }", "15:1"]],
  },
  {
    section: "YAML",
    name: "an unclosed quoted string",
    file: yaml('tags:', '  Team: "ml-platform'),
    problems: [["", 'YAML syntax error: Missing closing "quote', "16:1"]],
  },
  {
    section: "YAML",
    name: "a tab used for indentation",
    file: yaml("tags:", "\tTeam: ml-platform"),
    problems: [["", "YAML syntax error: Tabs are not allowed as indentation", "15:1"]],
  },
  {
    section: "YAML",
    name: "a key given twice in one mapping, naming where it was first",
    file: yaml("region: eu-west-1"),
    problems: [["", 'YAML syntax error: Map keys must be unique: "region" is already set at line 2, column 1', "14:1"]],
  },
  {
    section: "YAML",
    name: "the same key as a number and as a string (one object key once parsed)",
    file: yaml("tags:", "  1: a", '  "1": b'),
    problems: [["", 'YAML syntax error: Map keys must be unique: "1" is already set at line 15, column 3', "16:3"]],
  },
  {
    section: "YAML",
    name: "a mapping nested on the line of its key",
    file: yaml("tags: Team: ml-platform"),
    problems: [["", "YAML syntax error: Nested mappings are not allowed in compact mappings", "14:7"]],
  },
  {
    section: "YAML",
    name: "two YAML documents in one file",
    file: { kind: "yaml", text: `${BASE_YAML}---\n${BASE_YAML}` },
    problems: [["", "YAML syntax error: the file holds more than one YAML document (a second ---); a config is one document", "14:1"]],
  },
  {
    section: "YAML",
    name: "a !!js/function tag",
    file: yaml("tags:", "  Team: !!js/function 'function () { return 1 }'"),
    problems: [["", "unsupported YAML tag: Unresolved tag: tag:yaml.org,2002:js/function (the config takes plain strings", "15:9"]],
  },
  {
    section: "YAML",
    name: "a YAML 1.1 !!binary tag",
    file: yaml("tags:", "  Team: !!binary bWwtcGxhdGZvcm0="),
    problems: [["", "unsupported YAML tag: Unresolved tag: tag:yaml.org,2002:binary", "15:9"]],
  },
  {
    section: "YAML",
    name: "a YAML 1.1 !!set tag",
    file: yaml("tags: !!set {Team, Owner}"),
    problems: [["", "unsupported YAML tag: Unresolved tag: tag:yaml.org,2002:set", "14:7"]],
  },
  {
    section: "YAML",
    name: "an alias to an anchor that does not exist",
    file: yaml("tags: *shared"),
    problems: [["", "YAML syntax error: alias *shared has no anchor &shared before it", "14:7"]],
  },
  {
    section: "YAML",
    name: "a billion-laughs alias bomb stops at the alias limit",
    file: { kind: "yaml", text: `${aliasBomb}\n${BASE_YAML}` },
    problems: [["", 'YAML aliases (*name) expand to too many nodes (limit 100), as in a "billion laughs" file']],
    childProcess: true,
  },
  {
    section: "YAML",
    name: "nesting deeper than the parser can follow",
    file: yaml(`tags: ${"[".repeat(1500)}${"]".repeat(1500)}`),
    problems: [["", "YAML syntax error: the document nests too deeply", "14:848"]],
  },
  {
    section: "YAML",
    name: "a NUL character in the text",
    file: yaml("tags:", "  Team: ml\u0000platform"),
    problems: [["", "control character U+0000 is not allowed in YAML; is this a binary file?", "15:11"]],
  },
  {
    section: "YAML",
    name: "a terminal escape sequence in the text",
    file: yaml("tags:", "  Team: \u001b[31mred"),
    problems: [["", "control character U+001B is not allowed in YAML", "15:9"]],
  },
  {
    section: "YAML",
    name: "a C1 control character (U+009B, a terminal escape)",
    file: yaml("tags:", "  Team: ml\u009bplatform"),
    problems: [["", "control character U+009B is not allowed in YAML", "15:11"]],
  },
  {
    section: "YAML",
    name: "a list at the top level",
    file: { kind: "yaml", text: "- project: model-registry\n- region: us-east-1\n" },
    problems: [["", "expected object, got a list"]],
  },
  {
    section: "YAML",
    name: "a plain string at the top level",
    file: { kind: "yaml", text: "model-registry\n" },
    problems: [["", 'expected object, got string "model-registry"']],
  },
  {
    section: "YAML",
    name: "a key named __proto__ (which JavaScript objects cannot hold)",
    file: yaml("tags:", "  __proto__: ml-platform"),
    problems: [["tags.__proto__", 'the key "__proto__" cannot be used (JavaScript reserves it); rename it', "15:14"]],
  },
  {
    section: "YAML",
    name: "a list used as a mapping key",
    file: yaml("tags:", "  ? [Team, Owner]", "  : ml-platform"),
    problems: [["", "YAML syntax error: a key must be a plain value, not a list, a mapping or an alias", "15:5"]],
  },

  // --- top level -----------------------------------------------------------------------------
  {
    section: "top level",
    name: "an empty mapping lacks every required key",
    file: { kind: "yaml", text: "{}\n" },
    problems: [
      ["project", "is required (expected string)"],
      ["region", "is required (expected string)"],
      ["state", "is required (expected object)"],
      ["environments", "is required (expected array)"],
      ["repositories", "is required (expected array)"],
    ],
  },
  {
    section: "top level",
    name: "a misspelt top-level key, with the key it most likely means and no follow-on error for the missing one",
    file: edit((c) => {
      c.repositorys = c.repositories;
      delete c.repositories;
    }),
    problems: [["repositorys", 'unknown key; did you mean "repositories"?', "11:1"]],
  },
  {
    section: "top level",
    name: "a project name with capitals",
    file: edit((c) => (c.project = "Model-Registry")),
    problems: [["project", "project names must be 2-40 lowercase letters, digits or '-', starting with a letter", "1:10"]],
  },
  {
    section: "top level",
    name: "a project name over 40 characters",
    file: edit((c) => (c.project = `m${"x".repeat(40)}`)),
    problems: [["project", "project names must be 2-40 lowercase letters", "1:10"]],
  },
  {
    section: "top level",
    name: "a region that does not exist",
    file: edit((c) => (c.region = "us-middle-1")),
    problems: [["region", "must be an AWS region name such as us-east-1 or eu-central-1", "2:9"]],
  },
  {
    section: "top level",
    name: "an account id written as a YAML number",
    file: yaml("accountId: 123456789012"),
    problems: [["accountId", "must be a 12-digit AWS account id written as a quoted string", "14:12"]],
  },
  {
    section: "top level",
    name: "an account id with 11 digits",
    file: edit((c) => (c.accountId = "12345678901")),
    problems: [["accountId", "must be a 12-digit AWS account id", "14:12"]],
  },
  {
    section: "top level",
    name: "no environments",
    file: edit((c) => (c.environments = [])),
    problems: [["environments", "declare at least one environment", "5:15"]],
  },
  {
    section: "top level",
    name: "repositories as a mapping instead of a list",
    file: edit((c) => (c.repositories = { "ai-models/llm": {} })),
    problems: [["repositories", "expected array, got a mapping", "12:3"]],
  },

  // --- state ---------------------------------------------------------------------------------
  {
    section: "state",
    name: "an S3 state without a bucket",
    file: edit((c) => (c.state = { region: "us-east-1" })),
    problems: [["state.bucket", "is required (expected string)", "4:3"]],
  },
  {
    section: "state",
    name: "a bucket name with capitals",
    file: edit((c) => (c.state.bucket = "Acme-TFState")),
    problems: [["state.bucket", "bucket names may contain only lowercase letters, digits, '.' and '-'", "4:11"]],
  },
  {
    section: "state",
    name: "a bucket name that looks like an IP address",
    file: edit((c) => (c.state.bucket = "192.168.10.20")),
    problems: [["state.bucket", "bucket names must not look like an IP address", "4:11"]],
  },
  {
    section: "state",
    name: "an unknown backend",
    file: edit((c) => (c.state = { backend: "gcs", bucket: "acme-tfstate" })),
    problems: [["state.backend", 'must be "s3" or "hcp" (got "gcs")', "4:12"]],
  },
  {
    section: "state",
    name: "an S3 setting with the HCP backend",
    file: edit((c) => (c.state = { backend: "hcp", organization: "acme-ml", bucket: "acme-tfstate" })),
    problems: [["state.bucket", "is an S3 backend setting; remove it, or set state.backend: s3", "6:11"]],
  },
  {
    section: "state",
    name: "both workspaceNames and workspaceTags with HCP",
    file: edit((c) => (c.state = { backend: "hcp", organization: "acme-ml", workspaceNames: { dev: "registry-dev" }, workspaceTags: ["ecr"] })),
    problems: [["state.workspaceTags", "give either workspaceNames (one workspace per environment) or workspaceTags, not both", "9:5"]],
  },
  {
    section: "state",
    name: "a workspace tag listed twice",
    file: edit((c) => (c.state = { backend: "hcp", organization: "acme-ml", workspaceTags: ["ecr", "ml", "ecr"] })),
    problems: [["state.workspaceTags[2]", 'duplicate workspace tag "ecr" (same as index 0)', "9:7"]],
  },
  {
    section: "state",
    name: "a workspace name for an environment that does not exist",
    file: edit((c) => (c.state = { backend: "hcp", organization: "acme-ml", workspaceNames: { staging: "registry-staging" } })),
    problems: [["state.workspaceNames.staging", 'unknown environment `staging` (known: dev, prod)', "7:14"]],
  },
  {
    section: "state",
    name: "an HCP hostname written as a URL",
    file: edit((c) => (c.state = { backend: "hcp", organization: "acme-ml", hostname: "https://tfe.example.com" })),
    problems: [["state.hostname", "must be a lowercase host name such as tfe.example.com (optionally with :port), without https://", "6:13"]],
  },
  {
    section: "state",
    name: "bootstrap: false with KMS encryption and no key ARN",
    file: edit((c) => (c.state.bootstrap = false)),
    problems: [["state.encryption.kmsKeyArn", "is required with bootstrap: false and encryption type KMS", "4:3"]],
  },
  {
    section: "state",
    name: "a KMS key ARN with AES256 state encryption",
    file: edit((c) => (c.state.encryption = { type: "AES256", kmsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab" })),
    problems: [["state.encryption.kmsKeyArn", "kmsKeyArn is only allowed with type KMS", "7:16"]],
  },
  {
    section: "state",
    name: "a KMS alias where a key ARN is required",
    file: edit((c) => (c.state.encryption = { kmsKeyArn: "alias/terraform-state" })),
    problems: [["state.encryption.kmsKeyArn", "must be a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/", "6:16"]],
  },
  {
    section: "state",
    name: "zero days of state version history",
    file: edit((c) => (c.state.noncurrentVersionExpirationDays = 0)),
    problems: [["state.noncurrentVersionExpirationDays", "must be at least 1 day", "5:36"]],
  },
  {
    section: "state",
    name: "a key prefix with an empty segment",
    file: edit((c) => (c.state.keyPrefix = "teams//ml")),
    problems: [["state.keyPrefix", "must be '/'-separated segments of letters, digits, '_', '.' or '-'", "5:14"]],
  },

  // --- environments --------------------------------------------------------------------------
  {
    section: "environments",
    name: "an STS session ARN as the role to assume, explained field by field and named by its environment",
    file: edit((c) => (c.environments[1].assumeRoleArn = "arn:aws:sts::222222222222:assumed-role/deploy/ci")),
    problems: [
      [
        "environments[1].assumeRoleArn",
        '(environment prod): must be an IAM role ARN such as arn:aws:iam::123456789012:role/terraform-deploy (partition aws, aws-cn or aws-us-gov): the service "sts" should be "iam"; the resource "assumed-role/deploy/ci" should be role/<name>',
        "11:20",
      ],
    ],
  },
  {
    section: "environments",
    name: "two environments with one name",
    file: edit((c) => (c.environments[1].name = "dev")),
    problems: [["environments[1].name", 'duplicate environment name "dev" (first declared at index 0)', "8:11"]],
  },
  {
    section: "environments",
    name: "an environment name with capitals",
    file: edit((c) => (c.environments[0].name = "Dev")),
    problems: [["environments[0].name", "environment names must be 1-32 lowercase letters, digits or '-', starting with a letter", "6:11"]],
  },
  {
    section: "environments",
    name: "an environment region that does not exist",
    file: edit((c) => (c.environments[1].region = "us-west-9x")),
    problems: [["environments[1].region", "must be an AWS region name", "10:13"]],
  },
  {
    section: "environments",
    name: "a misspelt environment key",
    file: edit((c) => (c.environments[1].acountId = "222222222222")),
    problems: [["environments[1].acountId", "unknown key", "11:5"]],
  },
  {
    section: "environments",
    name: "a deploy role in another account than the environment's",
    file: edit((c) => (c.environments[1].assumeRoleArn = ROLE("111111111111"))),
    problems: [["environments[1].assumeRoleArn", "is a role in account 111111111111, but this environment deploys into account 222222222222 (environments[1].accountId)", "11:20"]],
    childProcess: true,
  },
  {
    section: "environments",
    name: "a deploy role of the aws partition in a China region",
    file: edit((c) => {
      c.environments[1] = { name: "prod", accountId: "222222222222", region: "cn-north-1", assumeRoleArn: ROLE("222222222222") };
    }),
    problems: [["environments[1].assumeRoleArn", "is in partition aws, but the environment's region cn-north-1 is in partition aws-cn", "11:20"]],
  },
  {
    section: "environments",
    name: "a user ARN where a role ARN is required",
    file: edit((c) => (c.environments[1].assumeRoleArn = "arn:aws:iam::222222222222:user/deployer")),
    problems: [["environments[1].assumeRoleArn", "must be an IAM role ARN such as arn:aws:iam::123456789012:role/terraform-deploy", "11:20"]],
  },
  {
    section: "environments",
    name: "an external id without a role to assume",
    file: edit((c) => (c.environments[0].externalId = "model-registry")),
    problems: [["environments[0].externalId", "is only allowed with assumeRoleArn", "8:17"]],
  },
  {
    section: "environments",
    name: "a one-character session name",
    file: edit((c) => Object.assign(c.environments[1], { assumeRoleArn: ROLE("222222222222"), sessionName: "x" })),
    problems: [["environments[1].sessionName", "must be 2-64 letters, digits or + = , . @ _ -", "12:18"]],
  },
  {
    section: "environments",
    name: "stateKey and state.keyPrefix together",
    file: edit((c) => Object.assign(c.environments[0], { stateKey: "dev/terraform.tfstate", state: { keyPrefix: "teams/ml" } })),
    problems: [["environments[0].state.keyPrefix", "has no effect when stateKey is set; set one of them", "10:18"]],
  },
  {
    section: "environments",
    name: "two environments writing one state file",
    file: edit((c) => {
      c.environments[0].stateKey = "registry.tfstate";
      c.environments[1].stateKey = "registry.tfstate";
    }),
    problems: [["environments[1].stateKey", "environments[0] (dev) already keeps its state at s3://acme-tfstate/registry.tfstate", "12:15"]],
  },
  {
    section: "environments",
    name: "two environments managing one registry's settings",
    file: edit((c) => (c.environments[1] = { name: "staging", accountId: "111111111111" })),
    problems: [["environments[1].manageRegistrySettings", "environments[0] (dev) already manages the registry settings of us-east-1 of account 111111111111", "8:5"]],
  },
  {
    section: "environments",
    name: "an environment whose stack would take the state bootstrap stack's name",
    file: edit((c) => (c.environments[0].name = "state")),
    problems: [["environments[0].name", '"state" would name its stack model-registry-state, the state bootstrap stack\'s name', "6:11"]],
  },
  {
    section: "environments",
    name: "protected written as a YAML 1.1 boolean",
    file: { kind: "yaml", text: BASE_YAML.replace("    region: us-west-2\n", "    region: us-west-2\n    protected: yes\n") },
    problems: [["environments[1].protected", 'expected boolean, got string "yes"', "11:16"]],
  },

  // --- tags ----------------------------------------------------------------------------------
  {
    section: "tags",
    name: "a tag key with the reserved aws: prefix",
    file: edit((c) => (c.tags = { "aws:owner": "ml" })),
    problems: [['tags["aws:owner"]', 'tag keys must not start with the reserved prefix "aws:"', "15:14"]],
  },
  {
    section: "tags",
    name: "a tag key over 128 characters",
    file: edit((c) => (c.tags = { ["k".repeat(129)]: "v" })),
    problems: [[`tags.${"k".repeat(129)}`, "tag keys must be at most 128 characters", "15:134"]],
  },
  {
    section: "tags",
    name: "a tag value over 256 characters",
    file: edit((c) => (c.tags = { Team: "v".repeat(257) })),
    problems: [["tags.Team", "tag values must be at most 256 characters", "15:9"]],
  },
  {
    section: "tags",
    name: "a tag value that YAML reads as a number",
    file: yaml("tags:", "  CostCenter: 4711"),
    problems: [["tags.CostCenter", "tag values must be strings (quote numbers and booleans)", "15:15"]],
  },
  {
    section: "tags",
    name: "a tag key with characters AWS refuses",
    file: edit((c) => (c.tags = { "Team!": "ml" })),
    problems: [['tags["Team!"]', "tag keys may contain only letters, numbers, spaces and _ . : / = + - @", "15:10"]],
  },
  {
    section: "tags",
    name: "more tags on a repository than AWS allows, counting the provider's default tags",
    file: edit((c) => {
      c.tags = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`Tag${i}`, "x"]));
      c.repositories[0].tags = { Owner: "ml", Tier: "gold" };
    }),
    problems: [["repositories[0].tags", "the repository would carry 51 tags with the registry's default tags; AWS allows at most 50", "14:7"]],
  },

  // --- repositories --------------------------------------------------------------------------
  {
    section: "repositories",
    name: "a misspelt key, named with its repository and the key it most likely means",
    file: yaml("  - name: ai-models/vision", "    tagMutabilty: MUTABLE"),
    problems: [["repositories[2].tagMutabilty", '(repository ai-models/vision): unknown key; did you mean "tagMutability"?', "15:5"]],
  },
  {
    section: "repositories",
    name: "a misspelt key without the follow-on error of the check that read the default in its place",
    file: yaml("  - name: ai-models/vision", "    tagMutabilty: MUTABLE_WITH_EXCLUSION", "    mutabilityExclusions: [latest]"),
    problems: [["repositories[2].tagMutabilty", 'unknown key; did you mean "tagMutability"?', "15:5"]],
  },
  {
    section: "repositories",
    name: "a misspelt value, with the value it most likely means",
    file: yaml("  - name: ai-models/vision", "    tagMutability: IMUTABLE"),
    problems: [["repositories[2].tagMutability", '(got string "IMUTABLE"); did you mean "IMMUTABLE"?', "15:20"]],
  },
  {
    section: "repositories",
    name: "an environment name in the wrong case",
    file: yaml("  - name: ai-models/vision", "    environments: [deV]"),
    problems: [["repositories[2].environments[0]", 'unknown environment `deV` (known: dev, prod); did you mean "dev"?', "15:20"]],
  },
  {
    section: "repositories",
    name: "a repository name with capitals",
    file: edit((c) => (c.repositories[1].name = "AI-Models/Embeddings")),
    problems: [["repositories[1].name", REPOSITORY_NAME, "13:11"]],
  },
  {
    section: "repositories",
    name: "a repository name with a doubled separator",
    file: edit((c) => (c.repositories[1].name = "ai-models//embeddings")),
    problems: [["repositories[1].name", REPOSITORY_NAME, "13:11"]],
  },
  {
    section: "repositories",
    name: "a repository name over 256 characters",
    file: edit((c) => (c.repositories[1].name = `ai-models/${"e".repeat(250)}`)),
    problems: [["repositories[1].name", "repository names must be 2 to 256 characters", "13:11"]],
  },
  {
    section: "repositories",
    name: "two repositories with one name",
    file: edit((c) => (c.repositories[1].name = "ai-models/llm")),
    problems: [["repositories[1].name", 'duplicate repository name "ai-models/llm" (first declared at index 0)', "13:11"]],
  },
  {
    section: "repositories",
    name: "a repository given as a plain string",
    file: edit((c) => (c.repositories[1] = "ai-models/embeddings")),
    problems: [["repositories[1]", 'expected object, got string "ai-models/embeddings"', "13:5"]],
  },
  {
    section: "repositories",
    name: "an unknown tag mutability",
    file: edit((c) => (c.repositories[0].tagMutability = "SOMETIMES")),
    problems: [["repositories[0].tagMutability", ENUM_MUTABILITY, "13:20"]],
  },
  {
    section: "repositories",
    name: "a *_WITH_EXCLUSION mutability without exclusions",
    file: edit((c) => (c.repositories[0].tagMutability = "IMMUTABLE_WITH_EXCLUSION")),
    problems: [["repositories[0].mutabilityExclusions", "is required when tagMutability is IMMUTABLE_WITH_EXCLUSION", "12:5"]],
  },
  {
    section: "repositories",
    name: "mutability exclusions with IMMUTABLE",
    file: edit((c) => (c.repositories[0].mutabilityExclusions = ["latest"])),
    problems: [["repositories[0].mutabilityExclusions", "is only allowed with tagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION (got IMMUTABLE)", "14:7"]],
  },
  {
    section: "repositories",
    name: "six mutability exclusions",
    file: edit((c) => Object.assign(c.repositories[0], { tagMutability: "MUTABLE_WITH_EXCLUSION", mutabilityExclusions: ["a", "b", "c", "d", "e", "f"] })),
    problems: [["repositories[0].mutabilityExclusions", "ECR allows at most 5 mutability exclusion filters", "15:7"]],
  },
  {
    section: "repositories",
    name: "a mutability exclusion listed twice",
    file: edit((c) => Object.assign(c.repositories[0], { tagMutability: "IMMUTABLE_WITH_EXCLUSION", mutabilityExclusions: ["latest", "dev-*", "latest"] })),
    problems: [["repositories[0].mutabilityExclusions[2]", 'duplicate exclusion filter "latest" (same as index 0)', "17:9"]],
  },
  {
    section: "repositories",
    name: "a mutability exclusion with a character tags cannot have",
    file: edit((c) => Object.assign(c.repositories[0], { tagMutability: "MUTABLE_WITH_EXCLUSION", mutabilityExclusions: ["dev/*"] })),
    problems: [["repositories[0].mutabilityExclusions[0]", "exclusion filters may contain letters, digits, '.', '_', '-' and the '*' wildcard", "15:9"]],
  },
  {
    section: "repositories",
    name: "a KMS key ARN with AES256 encryption",
    file: edit((c) => (c.repositories[0].encryption = { type: "AES256", kmsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab" })),
    problems: [["repositories[0].encryption.kmsKeyArn", "kmsKeyArn is only allowed with type KMS", "15:18"]],
  },
  {
    section: "repositories",
    name: "scanOnPush written as a quoted string",
    file: edit((c) => (c.repositories[0].scanOnPush = "true")),
    problems: [["repositories[0].scanOnPush", 'expected boolean, got string "true"', "13:17"]],
  },
  {
    section: "repositories",
    name: "a repository in an environment that does not exist",
    file: edit((c) => (c.repositories[0].environments = ["staging"])),
    problems: [["repositories[0].environments[0]", 'unknown environment `staging` (known: dev, prod)', "14:9"]],
  },
  {
    section: "repositories",
    name: "an environment listed twice for one repository",
    file: edit((c) => (c.repositories[0].environments = ["dev", "dev"])),
    problems: [["repositories[0].environments[1]", 'duplicate environment "dev" (same as index 0)', "15:9"]],
  },
  {
    section: "repositories",
    name: "a repository-level policy key (policies come from consumers)",
    file: edit((c) => (c.repositories[0].policy = { Statement: [] })),
    problems: [["repositories[0].policy", "unknown key", "13:5"]],
  },
  {
    section: "repositories",
    name: "a description over 1024 characters",
    file: edit((c) => (c.repositories[0].description = "d".repeat(1025))),
    problems: [["repositories[0].description", "descriptions must be at most 1024 characters", "13:18"]],
  },

  // --- consumers -----------------------------------------------------------------------------
  {
    section: "consumers",
    name: "a consumer environment in the wrong case, reported as unknown rather than by the naming rule",
    file: yaml("consumers:", "  - kind: pull", `    principal: "${ROLE("111111111111")}"`, "    environments: [Prod]"),
    problems: [["consumers[0].environments[0]", 'unknown environment `Prod` (known: dev, prod); did you mean "prod"?', "17:20"]],
  },
  {
    section: "consumers",
    name: "a principal ARN explained field by field",
    file: yaml("consumers:", "  - kind: pull", '    principal: "arn:aws:iam:us-east-1:11111111111:rol/reader"'),
    problems: [
      [
        "consumers[0].principal",
        'the region "us-east-1" should be empty (iam ARNs have none); the account "11111111111" has 11 digits, not 12; the resource "rol/reader" should be role/<name> or user/<name> or root',
        "16:16",
      ],
    ],
  },
  {
    section: "consumers",
    name: 'the principal "*"',
    file: edit((c) => (c.consumers = [{ kind: "pull", principal: "*" }])),
    problems: [["consumers[0].principal", 'the principal "*" would let every AWS account in; use kind: organization', "16:16"]],
  },
  {
    section: "consumers",
    name: "a wildcard inside a principal",
    file: edit((c) => (c.consumers = [{ kind: "pull", principal: "arn:aws:iam::111111111111:role/ecs-*" }])),
    problems: [["consumers[0].principal", "wildcards are not allowed in principals", "16:16"]],
  },
  {
    section: "consumers",
    name: "an account id written as a YAML number",
    file: yaml("consumers:", "  - kind: pull", "    principal: 210987654321"),
    problems: [["consumers[0].principal", 'principals are strings: an IAM role or user ARN, or a 12-digit account id in quotes ("123456789012")', "16:16"]],
  },
  {
    section: "consumers",
    name: "an STS session ARN as principal",
    file: edit((c) => (c.consumers = [{ kind: "push", principal: "arn:aws:sts::111111111111:assumed-role/ci/session" }])),
    problems: [["consumers[0].principal", "use the role's IAM ARN (arn:aws:iam::<account>:role/<name>), not an STS session ARN", "16:16"]],
  },
  {
    section: "consumers",
    name: "an IAM group as principal",
    file: edit((c) => (c.consumers = [{ kind: "pull", principal: "arn:aws:iam::111111111111:group/ml" }])),
    problems: [["consumers[0].principal", "IAM groups cannot be principals", "16:16"]],
  },
  {
    section: "consumers",
    name: "a service principal",
    file: edit((c) => (c.consumers = [{ kind: "pull", principal: "ecs-tasks.amazonaws.com" }])),
    problems: [["consumers[0].principal", "service principals are not consumers", "16:16"]],
  },
  {
    section: "consumers",
    name: "a role name over 64 characters",
    file: edit((c) => (c.consumers = [{ kind: "pull", principal: ROLE("111111111111", "r".repeat(65)) }])),
    problems: [["consumers[0].principal", "IAM role and user names are at most 64 characters", "16:16"]],
  },
  {
    section: "consumers",
    name: "a principal of another partition than the environments'",
    file: edit((c) => (c.consumers = [{ kind: "pull", principal: "arn:aws-cn:iam::111111111111:role/ecs" }])),
    problems: [["consumers[0].principal", "is in partition aws-cn but environment dev (us-east-1) is in partition aws", "16:16"]],
  },
  {
    section: "consumers",
    name: "an unknown consumer kind",
    file: edit((c) => (c.consumers = [{ kind: "admin", principal: ROLE("111111111111") }])),
    problems: [["consumers[0].kind", 'kind must be one of "push", "pull", "lambda", "organization" (got "admin")', "15:11"]],
  },
  {
    section: "consumers",
    name: "a consumer without a kind",
    file: edit((c) => (c.consumers = [{ principal: ROLE("111111111111") }])),
    problems: [["consumers[0].kind", 'each consumer needs a kind: one of "push", "pull", "lambda", "organization"', "15:5"]],
  },
  {
    section: "consumers",
    name: "a consumer that lists actions",
    file: edit((c) => (c.consumers = [{ kind: "pull", principal: ROLE("111111111111"), actions: ["ecr:*"] }])),
    problems: [["consumers[0].actions", "unknown key: consumers never list actions: a consumer's kind (push, pull, lambda, organization) decides them", "17:5"]],
  },
  {
    section: "consumers",
    name: "an empty consumer list",
    file: edit((c) => (c.repositories[0].consumers = [])),
    problems: [["repositories[0].consumers", "list at least one consumer, or leave consumers out", "13:16"]],
  },
  {
    section: "consumers",
    name: "the same principal twice in one list",
    file: edit((c) => (c.consumers = [{ kind: "pull", principal: "111111111111" }, { kind: "push", principal: "arn:aws:iam::111111111111:root" }])),
    problems: [["consumers[1]", "duplicate consumer: entry 0 of this list already declares 111111111111 (pull); declare it once with the level it needs", "17:5"]],
  },
  {
    section: "consumers",
    name: "a consumer limited to an environment its repository is not in",
    file: edit((c) => {
      c.repositories[0].environments = ["dev"];
      c.repositories[0].consumers = [{ kind: "pull", principal: ROLE("222222222222"), environments: ["prod"] }];
    }),
    problems: [["repositories[0].consumers[0].environments[0]", 'repository ai-models/llm does not exist in environment "prod" (it exists in: dev)', "19:13"]],
  },
  {
    section: "consumers",
    name: "a lambda consumer without sourceAccount or sourceArn",
    file: edit((c) => (c.consumers = [{ kind: "lambda" }])),
    problems: [["consumers[0]", "a lambda consumer needs sourceAccount, sourceArn or both", "15:5"]],
  },
  {
    section: "consumers",
    name: "a lambda sourceArn in another account than sourceAccount",
    file: edit((c) => (c.consumers = [{ kind: "lambda", sourceAccount: "444444444444", sourceArn: "arn:aws:lambda:us-east-1:555555555555:function:embed", environments: ["dev"] }])),
    problems: [["consumers[0].sourceArn", "names account 555555555555 but sourceAccount is 444444444444; no function could match both", "17:16"]],
  },
  {
    section: "consumers",
    name: "a lambda sourceArn with a wildcard region",
    file: edit((c) => (c.consumers = [{ kind: "lambda", sourceArn: "arn:aws:lambda:*:444444444444:function:embed" }])),
    problems: [["consumers[0].sourceArn", "must be a Lambda function ARN with a literal region and account", "16:16"]],
  },
  {
    section: "consumers",
    name: "a lambda function in another region than the environment",
    file: edit((c) => (c.consumers = [{ kind: "lambda", sourceArn: "arn:aws:lambda:us-east-1:444444444444:function:embed" }])),
    problems: [["consumers[0].sourceArn", "is a function in us-east-1 but environment prod is in us-west-2; Lambda pulls images only from its own region", "16:16"]],
  },
  {
    section: "consumers",
    name: "an organization id of the wrong form",
    file: edit((c) => (c.consumers = [{ kind: "organization", organizationId: "o-abc" }])),
    problems: [["consumers[0].organizationId", "must be an AWS Organizations id: o- followed by 10 to 32 lowercase letters or digits", "16:21"]],
  },
  {
    section: "consumers",
    name: "an organization path of another organization",
    file: edit((c) => (c.consumers = [{ kind: "organization", organizationId: "o-a1b2c3d4e5", organizationPaths: ["o-zzzzzzzzzz/r-ab12/ou-ab12-11111111/"] }])),
    problems: [["consumers[0].organizationPaths[0]", "is a path of o-zzzzzzzzzz, not of o-a1b2c3d4e5; it could never match", "18:9"]],
  },
  {
    section: "consumers",
    name: "an organization path listed twice",
    file: edit(
      (c) =>
        (c.consumers = [
          { kind: "organization", organizationId: "o-a1b2c3d4e5", organizationPaths: ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"] },
        ]),
    ),
    problems: [["consumers[0].organizationPaths[1]", 'duplicate organization path "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/" (same as index 0)', "19:9"]],
  },
  {
    section: "consumers",
    name: "an environment listed twice for one consumer",
    file: edit((c) => (c.consumers = [{ kind: "pull", principal: ROLE("111111111111"), environments: ["dev", "prod", "dev"] }])),
    problems: [["consumers[0].environments[2]", 'duplicate environment "dev" (same as index 0)', "20:9"]],
  },

  // --- identity policies -----------------------------------------------------------------------
  {
    section: "identity policies",
    name: "identity policies without an account for every environment",
    file: edit((c) => {
      c.identityPolicies = true;
      delete c.environments[1].accountId;
    }),
    problems: [["identityPolicies", "every environment needs an accountId (missing for: prod)", "13:19"]],
  },
  {
    section: "identity policies",
    name: "identityPolicies written as a string",
    file: edit((c) => (c.identityPolicies = "on")),
    problems: [["identityPolicies", 'expected boolean, got string "on"', "14:19"]],
  },

  // --- lifecycle -----------------------------------------------------------------------------
  {
    section: "lifecycle",
    name: "a rule with both keepLast and olderThanDays",
    file: edit((c) => (c.lifecycle = { rules: [{ tagStatus: "untagged", keepLast: 5, olderThanDays: 7 }] })),
    problems: [["lifecycle.rules[0]", "give exactly one of keepLast (keep the N most recent images) and olderThanDays", "16:7"]],
  },
  {
    section: "lifecycle",
    name: "a keepLast of zero",
    file: edit((c) => (c.repositories[0].lifecycle = { rules: [{ tagStatus: "untagged", keepLast: 0 }] })),
    problems: [["repositories[0].lifecycle.rules[0].keepLast", "keepLast must be at least 1", "16:21"]],
  },
  {
    section: "lifecycle",
    name: "a fractional olderThanDays",
    file: edit((c) => (c.repositories[0].lifecycle = { rules: [{ tagStatus: "untagged", olderThanDays: 2.5 }] })),
    problems: [["repositories[0].lifecycle.rules[0].olderThanDays", "olderThanDays must be a whole number", "16:26"]],
  },
  {
    section: "lifecycle",
    name: "a keepLast of YAML infinity (.inf)",
    file: yaml("lifecycle:", "  rules:", "    - tagStatus: untagged", "      keepLast: .inf"),
    problems: [["lifecycle.rules[0].keepLast", "must be a finite number (got .inf)", "17:17"]],
  },
  {
    section: "lifecycle",
    name: "a keepLast written as a quoted string",
    file: edit((c) => (c.lifecycle = { rules: [{ tagStatus: "untagged", keepLast: "5" }] })),
    problems: [["lifecycle.rules[0].keepLast", 'expected number, got string "5"', "17:17"]],
  },
  {
    section: "lifecycle",
    name: "two rules with one priority",
    file: edit(
      (c) =>
        (c.lifecycle = {
          rules: [
            { priority: 10, tagStatus: "untagged", olderThanDays: 14 },
            { priority: 10, tagPatterns: ["*"], keepLast: 30 },
          ],
        }),
    ),
    problems: [["lifecycle.rules[1].priority", "priority 10 is already used by rules[0]; priorities must be unique", "19:17"]],
  },
  {
    section: "lifecycle",
    name: "a priority inside the protected tag rules' range",
    file: edit((c) => (c.lifecycle = { rules: [{ priority: 1, tagStatus: "untagged", olderThanDays: 14 }] })),
    problems: [["lifecycle.rules[0].priority", "priorities 1-2 belong to the 2 protected tag rules, which must come first; use 3 or more", "16:17"]],
  },
  {
    section: "lifecycle",
    name: "two rules for untagged images",
    file: edit(
      (c) =>
        (c.lifecycle = {
          rules: [
            { tagStatus: "untagged", olderThanDays: 14 },
            { tagStatus: "untagged", keepLast: 10 },
          ],
        }),
    ),
    problems: [["lifecycle.rules[1].tagStatus", "rules[0] already selects untagged images; ECR allows only one rule with tagStatus untagged", "18:18"]],
  },
  {
    section: "lifecycle",
    name: "a tagStatus any rule that is not last",
    file: edit(
      (c) =>
        (c.lifecycle = {
          rules: [
            { tagStatus: "any", olderThanDays: 90 },
            { tagPatterns: ["*"], keepLast: 30 },
          ],
        }),
    ),
    problems: [["lifecycle.rules[0].tagStatus", "a rule with tagStatus any must be evaluated last (highest priority number), but its priority is 3 and another rule has 4", "16:18"]],
  },
  {
    section: "lifecycle",
    name: "a tagged rule that names no tags",
    file: edit((c) => (c.lifecycle = { rules: [{ keepLast: 30 }] })),
    problems: [["lifecycle.rules[0]", "a rule with tagStatus tagged needs tagPrefixes or tagPatterns to say which tags it selects", "16:7"]],
  },
  {
    section: "lifecycle",
    name: "tag prefixes on an untagged rule",
    file: edit((c) => (c.lifecycle = { rules: [{ tagStatus: "untagged", tagPrefixes: ["v"], olderThanDays: 7 }] })),
    problems: [["lifecycle.rules[0].tagPrefixes", "is only allowed with tagStatus tagged (got untagged)", "18:9"]],
  },
  {
    section: "lifecycle",
    name: "a tag pattern with five wildcards",
    file: edit((c) => (c.lifecycle = { rules: [{ tagPatterns: ["*a*b*c*d*"], keepLast: 3 }] })),
    problems: [["lifecycle.rules[0].tagPatterns[0]", "has 5 wildcards; ECR allows at most 4 '*' per tag pattern", "17:11"]],
  },
  {
    section: "lifecycle",
    name: "a wildcard in a tag prefix",
    file: edit((c) => (c.lifecycle = { rules: [{ tagPrefixes: ["v*"], keepLast: 3 }] })),
    problems: [["lifecycle.rules[0].tagPrefixes[0]", "wildcards belong in tagPatterns", "17:11"]],
  },
  {
    section: "lifecycle",
    name: "a tag pattern listed twice in one rule",
    file: edit((c) => (c.lifecycle = { rules: [{ tagPatterns: ["v*", "v*"], keepLast: 3 }] })),
    problems: [["lifecycle.rules[0].tagPatterns[1]", 'duplicate tag pattern "v*" (same as index 0)', "18:11"]],
  },
  {
    section: "lifecycle",
    name: "rules under enabled: false",
    file: edit((c) => (c.repositories[0].lifecycle = { enabled: false, rules: [{ tagStatus: "untagged", olderThanDays: 7 }] })),
    problems: [["repositories[0].lifecycle.rules", "has no effect with enabled: false; remove it or enable the lifecycle policy", "16:9"]],
  },
  {
    section: "lifecycle",
    name: "an unknown tagStatus",
    file: edit((c) => (c.lifecycle = { rules: [{ tagStatus: "all", olderThanDays: 7 }] })),
    problems: [["lifecycle.rules[0].tagStatus", 'must be one of "tagged", "untagged", "any" (got string "all")', "16:18"]],
  },

  // --- scanning ------------------------------------------------------------------------------
  {
    section: "scanning",
    name: "CONTINUOUS_SCAN with BASIC scanning",
    file: edit((c) => (c.scanning = { rules: [{ frequency: "CONTINUOUS_SCAN", filters: ["*"] }] })),
    problems: [["scanning.rules[0].frequency", "CONTINUOUS_SCAN needs scanning type ENHANCED (Amazon Inspector)", "16:18"]],
  },
  {
    section: "scanning",
    name: "an unknown scanning type",
    file: edit((c) => (c.scanning = { type: "FULL" })),
    problems: [["scanning.type", 'must be one of "BASIC", "ENHANCED" (got string "FULL")', "15:9"]],
  },
  {
    section: "scanning",
    name: "two rules with one frequency",
    file: edit(
      (c) =>
        (c.scanning = {
          rules: [
            { frequency: "SCAN_ON_PUSH", filters: ["ai-models/*"] },
            { frequency: "SCAN_ON_PUSH", filters: ["*"] },
          ],
        }),
    ),
    problems: [["scanning.rules[1].frequency", "rules[0] is already the SCAN_ON_PUSH rule; put all of a frequency's filters in one rule", "19:18"]],
  },
  {
    section: "scanning",
    name: "a scan filter with capitals",
    file: edit((c) => (c.scanning = { rules: [{ frequency: "SCAN_ON_PUSH", filters: ["AI-Models/*"] }] })),
    problems: [["scanning.rules[0].filters[0]", "scan filters are lowercase repository-name characters and '*' wildcards", "18:11"]],
  },
  {
    section: "scanning",
    name: "a repository that opted out of scanning but matches an explicit rule",
    file: edit((c) => {
      c.scanning = { rules: [{ frequency: "SCAN_ON_PUSH", filters: ["*"] }] };
      c.repositories[1].scanOnPush = false;
    }),
    problems: [["repositories[1].scanOnPush", 'is false, but scanning.rules[0].filters[0] ("*") matches "ai-models/embeddings" and registry rules override', "14:17"]],
  },
  {
    section: "scanning",
    name: "a repository that opted out of scanning but contains another scanned repository's name",
    file: edit((c) => {
      c.repositories = [{ name: "ai-models/llm" }, { name: "ai-models/llm-experimental", scanOnPush: false }];
    }),
    problems: [["repositories[1].scanOnPush", 'is false, but the scan-on-push filter "ai-models/llm" (the name of repositories[0]) also matches "ai-models/llm-experimental"', "14:17"]],
  },

  // --- creation templates ----------------------------------------------------------------------
  {
    section: "creation templates",
    name: "a template prefix with a trailing slash",
    file: edit((c) => (c.repositoryCreationTemplates = [{ prefix: "ecr-public/", appliedFor: ["PULL_THROUGH_CACHE"] }])),
    problems: [["repositoryCreationTemplates[0].prefix", "must be ROOT or a repository namespace such as ecr-public or base-images/quay, without a trailing '/'", "15:13"]],
  },
  {
    section: "creation templates",
    name: "CREATE_ON_PUSH, which the pinned provider does not accept",
    file: edit((c) => (c.repositoryCreationTemplates = [{ prefix: "ml", appliedFor: ["CREATE_ON_PUSH"] }])),
    problems: [["repositoryCreationTemplates[0].appliedFor[0]", "CREATE_ON_PUSH is not accepted by the pinned AWS provider 6.25.0", "17:9"]],
  },
  {
    section: "creation templates",
    name: "two templates with one prefix",
    file: edit(
      (c) =>
        (c.repositoryCreationTemplates = [
          { prefix: "ecr-public", appliedFor: ["PULL_THROUGH_CACHE"] },
          { prefix: "ecr-public", appliedFor: ["REPLICATION"] },
        ]),
    ),
    problems: [["repositoryCreationTemplates[1].prefix", 'duplicate prefix "ecr-public" (first declared at index 0)', "18:13"]],
  },
  {
    section: "creation templates",
    name: "templates while no environment manages registry settings",
    file: edit((c) => {
      c.repositoryCreationTemplates = [{ prefix: "ecr-public", appliedFor: ["PULL_THROUGH_CACHE"] }];
      for (const env of c.environments) env.manageRegistrySettings = false;
    }),
    problems: [["repositoryCreationTemplates", "creation templates are registry settings, created only in environments with manageRegistrySettings: true, and no environment has it", "17:3"]],
  },
  {
    section: "creation templates",
    name: "an empty appliedFor",
    file: edit((c) => (c.repositoryCreationTemplates = [{ prefix: "ecr-public", appliedFor: [] }])),
    problems: [["repositoryCreationTemplates[0].appliedFor", "name at least one of PULL_THROUGH_CACHE, REPLICATION", "16:17"]],
  },
  {
    section: "creation templates",
    name: "a template's mutability exclusion listed twice",
    file: edit(
      (c) =>
        (c.repositoryCreationTemplates = [
          { prefix: "ecr-public", appliedFor: ["PULL_THROUGH_CACHE"], tagMutability: "MUTABLE_WITH_EXCLUSION", mutabilityExclusions: ["latest", "latest"] },
        ]),
    ),
    problems: [["repositoryCreationTemplates[0].mutabilityExclusions[1]", 'duplicate exclusion filter "latest" (same as index 0)', "21:9"]],
  },

  // --- replication ---------------------------------------------------------------------------
  {
    section: "replication",
    name: "a destination that is the source registry itself",
    file: edit((c) => (c.replication = { rules: [{ environments: ["dev"], destinations: [{ region: "us-east-1" }] }] })),
    problems: [["replication.rules[0].destinations[0].region", "is the region of source environment dev in its own account; a registry cannot replicate to itself", "19:19"]],
  },
  {
    section: "replication",
    name: "a destination in another partition",
    file: edit((c) => (c.replication = { rules: [{ destinations: [{ region: "cn-north-1" }] }] })),
    problems: [["replication.rules[0].destinations[0].region", "is in partition aws-cn but source environment dev is in aws; ECR cannot replicate across partitions", "17:19"]],
  },
  {
    section: "replication",
    name: "cross-account replication from an environment without an account id",
    file: edit((c) => {
      delete c.environments[0].accountId;
      c.replication = { rules: [{ environments: ["dev"], destinations: [{ region: "eu-west-1", accountId: "333333333333" }] }] };
    }),
    problems: [["replication.rules[0].destinations[0].accountId", "cross-account replication from environment dev needs its account id (set environments[0].accountId or accountId)", "19:22"]],
  },
  {
    section: "replication",
    name: "eleven replication rules",
    file: edit((c) => (c.replication = { rules: Array.from({ length: 11 }, () => ({ environments: ["prod"], destinations: [{ region: "eu-west-1" }] })) })),
    problems: [["replication.rules", "ECR allows at most 10 replication rules per registry", "16:5"]],
  },
  {
    section: "replication",
    name: "the same destination twice in a rule",
    file: edit((c) => (c.replication = { rules: [{ environments: ["prod"], destinations: [{ region: "eu-west-1" }, { region: "eu-west-1" }] }] })),
    problems: [["replication.rules[0].destinations[1]", "duplicate destination (same as index 0)", "20:11"]],
  },
  {
    section: "replication",
    name: "the same rule twice",
    file: edit((c) => {
      const rule = { environments: ["prod"], destinations: [{ region: "eu-west-1" }] };
      c.replication = { rules: [rule, { ...rule }] };
    }),
    problems: [["replication.rules[1]", "repeats rules[0]; a rule given twice replicates nothing more", "20:7"]],
  },
  {
    section: "replication",
    name: "acceptFrom for an environment that does not exist",
    file: edit((c) => (c.replication = { acceptFrom: [{ environment: "staging", sourceAccounts: ["444444444444"] }] })),
    problems: [["replication.acceptFrom[0].environment", 'unknown environment `staging` (known: dev, prod)', "16:20"]],
  },
  {
    section: "replication",
    name: "a repository prefix with capitals",
    file: edit((c) => (c.replication = { rules: [{ environments: ["prod"], repositoryPrefixes: ["AI-Models/"], destinations: [{ region: "eu-west-1" }] }] })),
    problems: [["replication.rules[0].repositoryPrefixes[0]", "must be the start of a repository name: lowercase letters, digits", "19:11"]],
  },

  {
    section: "replication",
    name: "a consumer region that is not an AWS region",
    file: edit((c) => {
      c.replication = { rules: [{ environments: ["prod"], destinations: [{ region: "eu-west-1" }] }] };
      c.consumers = [{ kind: "pull", principal: "arn:aws:iam::222222222222:role/serving", environments: ["prod"], regions: ["us-west-2", "europe-1"] }];
    }),
    problems: [["consumers[0].regions[1]", "must be an AWS region name such as us-east-1 or eu-central-1", "27:9"]],
  },
  {
    section: "replication",
    name: "a push consumer on a replica",
    file: edit((c) => {
      c.replication = { rules: [{ environments: ["prod"], destinations: [{ region: "eu-west-1" }] }] };
      c.consumers = [{ kind: "push", principal: "arn:aws:iam::999999999999:role/ci", environments: ["prod"], regions: ["us-west-2", "eu-west-1"] }];
    }),
    problems: [["consumers[0].regions[1]", "replicas in eu-west-1 are written only by replication, so nobody may push there", "27:9"]],
  },
  {
    section: "replication",
    name: "a consumer region with no replica",
    file: edit((c) => {
      c.replication = { rules: [{ environments: ["prod"], destinations: [{ region: "eu-west-1" }] }] };
      c.consumers = [{ kind: "pull", principal: "arn:aws:iam::222222222222:role/serving", environments: ["prod"], regions: ["eu-central-1"] }];
    }),
    problems: [["consumers[0].regions[0]", "no repository this consumer applies to has a replica in eu-central-1 from environment prod (it replicates to eu-west-1)", "26:9"]],
  },
  {
    section: "replication",
    name: "the same consumer region twice",
    file: edit((c) => {
      c.replication = { rules: [{ environments: ["prod"], destinations: [{ region: "eu-west-1" }] }] };
      c.consumers = [{ kind: "pull", principal: "arn:aws:iam::222222222222:role/serving", environments: ["prod"], regions: ["eu-west-1", "eu-west-1"] }];
    }),
    problems: [["consumers[0].regions[1]", 'duplicate region "eu-west-1" (same as index 0)', "27:9"]],
  },
  {
    section: "replication",
    name: "a replica key in another region than its destination",
    file: edit(
      (c) =>
        (c.replication = {
          rules: [{ environments: ["prod"], destinations: [{ region: "eu-west-1", kmsKeyArn: "arn:aws:kms:us-west-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab" }] }],
        }),
    ),
    problems: [["replication.rules[0].destinations[0].kmsKeyArn", "is a key in us-west-2, but the replicas are in eu-west-1; KMS keys are regional", "20:22"]],
  },
  {
    section: "replication",
    name: "two sources replicating the same repository into one registry",
    file: edit(
      (c) =>
        (c.replication = {
          rules: [
            { environments: ["dev"], destinations: [{ region: "eu-west-1", accountId: "222222222222" }] },
            { environments: ["prod"], destinations: [{ region: "eu-west-1" }] },
          ],
        }),
    ),
    problems: [["replication.rules[1].destinations[0]", "would replicate ai-models/llm, ai-models/embeddings from environment prod into the registry in eu-west-1 of account 222222222222, where replication.rules[0].destinations[0] already replicates them from dev", "24:11"]],
  },

  // --- pull-through cache ----------------------------------------------------------------------
  {
    section: "pull-through cache",
    name: "Docker Hub without credentials",
    file: edit((c) => (c.pullThroughCache = { rules: [{ upstream: "docker-hub" }] })),
    problems: [["pullThroughCache.rules[0].credentialArn", "is required for docker-hub: Docker Hub needs credentials in a Secrets Manager secret named ecr-pullthroughcache/", "16:7"]],
  },
  {
    section: "pull-through cache",
    name: "credentials for ECR Public, which takes none",
    file: edit(
      (c) =>
        (c.pullThroughCache = {
          rules: [{ upstream: "ecr-public", environments: ["dev"], credentialArn: "arn:aws:secretsmanager:us-east-1:111111111111:secret:ecr-pullthroughcache/x-AbCdEf" }],
        }),
    ),
    problems: [["pullThroughCache.rules[0].credentialArn", "is only for docker-hub, github-container-registry and gitlab-container-registry; ecr-public is public", "19:22"]],
  },
  {
    section: "pull-through cache",
    name: "a credential secret whose name lacks ecr-pullthroughcache/",
    file: edit(
      (c) =>
        (c.pullThroughCache = {
          rules: [{ upstream: "docker-hub", environments: ["dev"], credentialArn: "arn:aws:secretsmanager:us-east-1:111111111111:secret:docker-hub-AbCdEf" }],
        }),
    ),
    problems: [["pullThroughCache.rules[0].credentialArn", "the secret's name must start with ecr-pullthroughcache/ (ECR only reads secrets named so)", "19:22"]],
  },
  {
    section: "pull-through cache",
    name: "the reserved prefix ROOT",
    file: edit((c) => (c.pullThroughCache = { rules: [{ upstream: "quay", prefix: "ROOT" }] })),
    problems: [["pullThroughCache.rules[0].prefix", "ROOT is ECR's reserved prefix for every repository of the registry", "17:15"]],
  },
  {
    section: "pull-through cache",
    name: "a one-character prefix",
    file: edit((c) => (c.pullThroughCache = { rules: [{ upstream: "quay", prefix: "q" }] })),
    problems: [["pullThroughCache.rules[0].prefix", "prefixes must be 2 to 30 characters", "17:15"]],
  },
  {
    section: "pull-through cache",
    name: "a prefix that a model repository's name starts with",
    file: edit((c) => (c.pullThroughCache = { rules: [{ upstream: "quay", prefix: "ai-models" }] })),
    problems: [["pullThroughCache.rules[0].prefix", '"ai-models" would make model repository ai-models/llm (environment dev) part of the cache namespace', "17:15"]],
  },
  {
    section: "pull-through cache",
    name: "an ecr upstream without registryId and region",
    file: edit((c) => (c.pullThroughCache = { rules: [{ upstream: "ecr", prefix: "platform" }] })),
    problems: [
      ["pullThroughCache.rules[0].registryId", "is required for upstream ecr", "16:7"],
      ["pullThroughCache.rules[0].region", "is required for upstream ecr", "16:7"],
    ],
  },
  {
    section: "pull-through cache",
    name: "an unknown upstream",
    file: edit((c) => (c.pullThroughCache = { rules: [{ upstream: "artifactory" }] })),
    problems: [["pullThroughCache.rules[0].upstream", 'must be one of "ecr-public", "quay", "k8s", "docker-hub"', "16:17"]],
  },

  // --- notifications -------------------------------------------------------------------------
  {
    section: "notifications",
    name: "a plain HTTP endpoint",
    file: edit((c) => (c.notifications = { subscriptions: [{ protocol: "https", endpoint: "http://hooks.example.com/ecr" }] })),
    problems: [["notifications.subscriptions[0].endpoint", "must be an https:// URL: findings are not sent over plain HTTP", "17:17"]],
  },
  {
    section: "notifications",
    name: "an HTTPS endpoint with credentials in it",
    file: edit((c) => (c.notifications = { subscriptions: [{ protocol: "https", endpoint: "https://user:secret@hooks.example.com/ecr" }] })),
    problems: [["notifications.subscriptions[0].endpoint", "must not contain credentials: the URL is stored in Terraform state and shown in plans", "17:17"]],
  },
  {
    section: "notifications",
    name: "an email address without a domain",
    file: edit((c) => (c.notifications = { subscriptions: [{ protocol: "email", endpoint: "ml-security" }] })),
    problems: [["notifications.subscriptions[0].endpoint", "must be an email address such as ml-security@example.com", "17:17"]],
  },
  {
    section: "notifications",
    name: "a FIFO queue",
    file: edit((c) => (c.notifications = { subscriptions: [{ protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:111111111111:findings.fifo" }] })),
    problems: [["notifications.subscriptions[0].endpoint", "is a FIFO queue; the findings topic is a standard topic, which cannot deliver to FIFO queues", "17:17"]],
  },
  {
    section: "notifications",
    name: "a severity listed twice",
    file: edit((c) => (c.notifications = { severities: ["CRITICAL", "HIGH", "CRITICAL"] })),
    problems: [["notifications.severities[2]", "duplicate severity CRITICAL", "18:7"]],
  },
  {
    section: "notifications",
    name: "an unknown severity",
    file: edit((c) => (c.notifications = { severities: ["SEVERE"] })),
    problems: [["notifications.severities[0]", 'must be one of "CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL" (got string "SEVERE")', "16:7"]],
  },
  {
    section: "notifications",
    name: "an unknown protocol",
    file: edit((c) => (c.notifications = { subscriptions: [{ protocol: "sms", endpoint: "+15555550100" }] })),
    problems: [["notifications.subscriptions[0].protocol", 'must be one of "email", "https", "sqs" (got string "sms")', "16:17"]],
  },
  {
    section: "notifications",
    name: "names too long for an EventBridge rule",
    file: edit((c) => {
      c.project = `p${"x".repeat(39)}`;
      c.environments[0].name = `e${"x".repeat(31)}`;
      c.notifications = { environments: [c.environments[0].name] };
    }),
    problems: [["notifications", "EventBridge allows 64, so shorten the project or environment name", "15:3"]],
  },

  // --- signing -------------------------------------------------------------------------------
  {
    section: "pull-through cache",
    name: "a cache consumer that is every AWS account",
    file: edit((c) => (c.pullThroughCache = { rules: [{ upstream: "ecr-public", consumers: [{ principal: "*" }] }] })),
    problems: [["pullThroughCache.rules[0].consumers[0].principal", 'the principal "*" would let every AWS account in', "18:22"]],
  },
  {
    section: "pull-through cache",
    name: "a cache consumer with its own action list",
    file: edit((c) => (c.pullThroughCache = { rules: [{ upstream: "ecr-public", consumers: [{ principal: "999999999999", actions: ["ecr:*"] }] }] })),
    problems: [["pullThroughCache.rules[0].consumers[0].actions", "unknown key", "19:11"]],
  },
  {
    section: "signing",
    name: "a signer that is an IAM user of another account",
    file: edit((c) => (c.signing = { signers: [{ principal: "arn:aws:iam::999999999999:user/ci" }] })),
    problems: [["signing.signers[0].principal", "arn:aws:iam::999999999999:user/ci is an IAM user outside environment dev's account; AWS Signer grants cross-account signing to IAM roles or accounts only", "16:18"]],
  },
  {
    section: "signing",
    name: "a validity over Signer's 135 months",
    file: edit((c) => (c.signing = { signatureValidity: { value: 136, unit: "MONTHS" } })),
    problems: [["signing.signatureValidity.value", "136 MONTHS is longer than AWS Signer's 135-month limit; at most 135 MONTHS", "16:12"]],
  },
  {
    section: "signing",
    name: "a validity of zero",
    file: edit((c) => (c.signing = { signatureValidity: { value: 0, unit: "DAYS" } })),
    problems: [["signing.signatureValidity.value", "must be at least 1", "16:12"]],
  },
  {
    section: "signing",
    name: "an unknown validity unit",
    file: edit((c) => (c.signing = { signatureValidity: { value: 2, unit: "WEEKS" } })),
    problems: [["signing.signatureValidity.unit", 'must be one of "DAYS", "MONTHS", "YEARS" (got string "WEEKS")', "17:11"]],
  },
  {
    section: "signing",
    name: "an environment listed twice",
    file: edit((c) => (c.signing = { environments: ["prod", "prod"] })),
    problems: [["signing.environments[1]", 'environment "prod" is listed twice', "17:7"]],
  },

  // --- guardrails ----------------------------------------------------------------------------
  {
    section: "guardrails",
    name: "a waiver of a rule that does not exist",
    file: edit((c) => (c.guardrails = { waivers: [{ rule: "no-such-rule", reason: "the platform team accepted this risk in review" }] })),
    problems: [["guardrails.waivers[0].rule", 'must be one of "ecr-scan-on-push", "ecr-tag-immutability"', "16:13"]],
  },
  {
    section: "guardrails",
    name: "a waiver without a reason",
    file: edit((c) => (c.guardrails = { waivers: [{ rule: "ecr-kms-encryption", repositories: ["ai-models/llm"] }] })),
    problems: [["guardrails.waivers[0].reason", "is required (expected string)", "16:7"]],
  },
  {
    section: "guardrails",
    name: "a waiver whose reason is a word",
    file: edit((c) => (c.guardrails = { waivers: [{ rule: "ecr-kms-encryption", reason: "legacy" }] })),
    problems: [["guardrails.waivers[0].reason", "say why the rule does not apply here, in at least 20 characters", "17:15"]],
  },
  {
    section: "guardrails",
    name: "a waiver for an undeclared repository",
    file: edit((c) => (c.guardrails = { waivers: [{ rule: "ecr-kms-encryption", repositories: ["ai-models/typo"], reason: "the platform team accepted this risk in review" }] })),
    problems: [["guardrails.waivers[0].repositories[0]", 'unknown repository "ai-models/typo"', "18:11"]],
  },

  // --- renames and retirements -----------------------------------------------------------------
  {
    section: "renames and retirements",
    name: "a repository renamed from its own name",
    file: edit((c) => (c.repositories[0].renamedFrom = ["ai-models/llm"])),
    problems: [["repositories[0].renamedFrom[0]", "is this repository's current name; list only earlier names", "14:9"]],
  },
  {
    section: "renames and retirements",
    name: "a repository renamed from another repository's name",
    file: edit((c) => (c.repositories[0].renamedFrom = ["ai-models/embeddings"])),
    problems: [["repositories[0].renamedFrom[0]", "is the name of repositories[1]; an earlier name cannot be reused", "14:9"]],
  },
  {
    section: "renames and retirements",
    name: "a name both renamed and retired",
    file: edit((c) => {
      c.repositories[0].renamedFrom = ["llm"];
      c.retired = ["llm"];
    }),
    problems: [["repositories[0].renamedFrom[0]", "is also in retired; a name is either renamed (moved) or retired (forgotten), not both", "14:9"]],
  },
  {
    section: "renames and retirements",
    name: "retiring a repository that every environment still declares",
    file: edit((c) => (c.retired = ["ai-models/llm"])),
    problems: [["retired[0]", "is still declared in every environment (repositories[0])", "15:5"]],
  },
  {
    section: "renames and retirements",
    name: "a retired name listed twice",
    file: edit((c) => (c.retired = ["old-model", "old-model"])),
    problems: [["retired[1]", "is listed twice (also retired[0])", "16:5"]],
  },
  {
    section: "renames and retirements",
    name: "more than 20 earlier names",
    file: edit((c) => (c.repositories[0].renamedFrom = Array.from({ length: 21 }, (_, i) => `llm-v${i}`))),
    problems: [["repositories[0].renamedFrom", "at most 20 earlier names", "14:7"]],
  },

  // --- adoption ----------------------------------------------------------------------------------
  {
    section: "adoption",
    name: "adopting in an unknown environment",
    file: edit((c) => Object.assign(c.repositories[0], { adopt: ["staging"], encryption: { type: "AES256" } })),
    problems: [["repositories[0].adopt[0]", 'unknown environment `staging` (known: dev, prod)', "14:9"]],
  },
  {
    section: "adoption",
    name: "an awsName that breaks ECR's naming rule",
    file: edit((c) => (c.repositories[0].awsName = "AI_Model_Repository-4F1C2D3")),
    problems: [["repositories[0].awsName", "must be lowercase letters and digits, with single '.', '_' or '-' separators", "13:14"]],
  },
  {
    section: "adoption",
    name: "two repositories with the same awsName",
    file: edit((c) => {
      c.repositories[0].awsName = "ai_model_repository-4f1c2d3";
      c.repositories[1].awsName = "ai_model_repository-4f1c2d3";
    }),
    problems: [["repositories[1].awsName", '"ai_model_repository-4f1c2d3" is also the name in AWS of repositories[0] (ai-models/llm)', "15:14"]],
  },
  {
    section: "adoption",
    name: "adopting without stating the repository's encryption",
    file: edit((c) => (c.repositories[0].adopt = true)),
    problems: [["repositories[0].encryption", "is required with adopt: state the existing repository's encryption", "12:5"]],
  },
  {
    section: "adoption",
    name: "adopting a KMS-encrypted repository without its key",
    file: edit((c) => Object.assign(c.repositories[0], { adopt: ["prod"], encryption: { type: "KMS" } })),
    problems: [["repositories[0].encryption.kmsKeyArn", "is required with adopt and type KMS", "16:7"]],
  },

  // --- stack groups (docs/stack-groups.md) ------------------------------------------------------
  {
    section: "stack groups",
    name: "one rule prefix for two groups",
    file: yaml("stackGroups:", "  rules:", "    - prefix: ai-models/", "      group: models", "    - prefix: ai-models/", "      group: other"),
    problems: [["stackGroups.rules[1].prefix", "repeats the prefix ai-models/; give each prefix one group", "18:15"]],
  },
  {
    section: "stack groups",
    name: "a group name that cannot end a stack name",
    file: yaml("    group: LLM"),
    problems: [["repositories[1].group", "group names must be 2-32 lowercase letters, digits or '-', starting with a letter", "14:12"]],
  },
  {
    section: "stack groups",
    name: "a move from the group the repository is in",
    file: yaml("    group: llm", "    movedFromGroup: llm"),
    problems: [["repositories[1].movedFromGroup", "names group llm, where the repository is now", "15:21"]],
  },
];
