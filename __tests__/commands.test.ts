import * as fs from "fs";
import * as path from "path";
import { PassThrough } from "stream";
import { buildApp } from "../src/stacks/app";
import { newRepositoryLines } from "../src/commands/new-repositories";
import { synthCommand, synthSummary } from "../src/commands/synth";
import { validateCommand } from "../src/commands/validate";
import { ConfigError, formatProblems } from "../src/config/errors";
import { DEFAULT_CONFIG_PATH } from "../src/config/load";
import { ConfigCheck, loadConfig } from "../src/checks";
import { enforceGuardrails } from "../src/guardrails/enforce";
import { synthesizedStacks } from "../src/stacks/project-stack";
import { PROJECT_ROOT, minimalRawConfig, runScript, snapshotFolder, tempDir, validConfig, writeConfig } from "./support/fixtures";
import { documentation } from "./support/docs";

const twoEnvironments = {
  ...minimalRawConfig(),
  environments: [
    { name: "dev", accountId: "111111111111" },
    { name: "prod", region: "us-west-2", assumeRoleArn: "arn:aws:iam::222222222222:role/platform/deploy" },
  ],
  repositories: [{ name: "ai-models/llm" }, { name: "ai-models/vision", environments: ["dev"] }],
};

/** A check that objects to every repository, standing in for a guardrail. */
const noRepositoriesAllowed: ConfigCheck = {
  name: "no-repositories",
  check: (config) => config.repositories.map((_, i) => ({ path: `repositories[${i}].name`, message: "no repositories allowed here" })),
};

function configErrorOf(body: () => void): ConfigError {
  try {
    body();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("npm run validate", () => {
  test("a valid config exits 0 with a one-line summary and writes nothing: no output folder, no scratch folder left behind", () => {
    const dir = tempDir();
    writeConfig(dir, twoEnvironments);
    const before = snapshotFolder(dir);
    // A temp folder of its own: other test files' validate runs use the shared one at the same time.
    const tmp = tempDir();
    const result = runScript("scripts/validate.ts", dir, { REGISTRY_CONFIG: "registry.yaml", TMPDIR: tmp });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("registry.yaml is valid: model-registry-dev (2 repositories), model-registry-prod (1 repository); 21 guardrails passed; nothing written.\n");
    expect(snapshotFolder(dir)).toEqual(before);
    expect(fs.readdirSync(dir)).toEqual(["registry.yaml"]);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test("an invalid config exits 1 with the same path-named errors as synth, no stack trace, and writes nothing", () => {
    const dir = tempDir();
    const bad = {
      ...minimalRawConfig(),
      environments: [{ name: "dev", accountId: "111111111111", assumeRoleArn: "arn:aws:iam::222222222222:role/deploy" }],
      repositories: [{ name: "Bad_Name" }],
    };
    writeConfig(dir, bad, "bad.yaml");
    const result = runScript("scripts/validate.ts", dir, { REGISTRY_CONFIG: "bad.yaml" });

    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: bad\.yaml is invalid \(2 problems\):\n/);
    expect(result.stderr).toContain(
      "\n  bad.yaml:8:20: environments[0].assumeRoleArn (environment dev): is a role in account 222222222222, but this environment deploys into account 111111111111",
    );
    expect(result.stderr).toContain("\n  bad.yaml:10:11: repositories[0].name (repository Bad_Name): must be lowercase letters and digits");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    // What synth reports for the same file, from the same folder (main.test.ts shows how synth prints it end to end).
    const cwd = process.cwd();
    process.chdir(dir);
    const synthError = (() => {
      try {
        return configErrorOf(() => synthCommand({ REGISTRY_CONFIG: "bad.yaml" }, new PassThrough()));
      } finally {
        process.chdir(cwd);
      }
    })();
    expect(result.stderr).toBe(`error: ${formatProblems("bad.yaml", synthError.problems)}\n`);
    expect(fs.readdirSync(dir)).toEqual(["bad.yaml"]);
  });

  test("reports the problems of a config check by path and place in the file, like schema errors", () => {
    const dir = tempDir();
    const env = { REGISTRY_CONFIG: writeConfig(dir, twoEnvironments) };
    const out = new PassThrough();
    let error: unknown;
    try {
      validateCommand({ env, checks: [noRepositoriesAllowed], out });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const at = (line: number) => `${path.relative(process.cwd(), env.REGISTRY_CONFIG)}:${line}:11`;
    expect((error as ConfigError).problems).toEqual([
      { path: "repositories[0].name", message: "no repositories allowed here", location: at(12), subject: "repository ai-models/llm" },
      { path: "repositories[1].name", message: "no repositories allowed here", location: at(13), subject: "repository ai-models/vision" },
    ]);
    expect(out.read()).toBeNull();
  });
});

describe("config checks", () => {
  test("run after the schema, on the validated config with defaults applied", () => {
    const seen: string[] = [];
    const spy: ConfigCheck = { name: "spy", check: (config) => (seen.push(config.repositories[0].tagMutability), []) };
    loadConfig(writeConfig(tempDir(), minimalRawConfig()), [spy]);
    expect(seen).toEqual(["IMMUTABLE"]);
  });

  test("run with the schema: a misspelled key and a repeated repository name are listed together", () => {
    const raw = { ...minimalRawConfig(), repositories: [{ name: "ai-models/llm", scanOnPsh: true }, { name: "ai-models/llm" }] };
    let problems: readonly string[] = [];
    try {
      loadConfig(writeConfig(tempDir(), raw));
    } catch (error) {
      problems = (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
    }
    expect(problems).toEqual([
      'repositories[0].scanOnPsh: unknown key; did you mean "scanOnPush"?',
      'repositories[1].name: duplicate repository name "ai-models/llm" (first declared at index 0)',
    ]);
  });

  test("a failing check fails the load, its problem located like a schema problem", () => {
    const file = writeConfig(tempDir(), minimalRawConfig());
    expect(() => loadConfig(file, [noRepositoriesAllowed])).toThrow(
      /is invalid \(1 problem\):\n  \S+registry\.yaml:\d+:\d+: repositories\[0\]\.name \(repository ai-models\/llm\): no repositories allowed here$/,
    );
  });
});

describe("the synth summary", () => {
  test("is printed after a plain run and left out under the cdktf CLI, which sets CDKTF_OUTDIR", () => {
    const dir = tempDir();
    const REGISTRY_CONFIG = writeConfig(dir, minimalRawConfig());
    const plain = new PassThrough();
    const cwd = process.cwd();
    process.chdir(dir); // a plain run writes ./cdktf.out
    try {
      synthCommand({ REGISTRY_CONFIG, CDKTF_OUTDIR: undefined }, plain);
    } finally {
      process.chdir(cwd);
    }
    expect(fs.readdirSync(path.join(dir, "cdktf.out/stacks")).sort()).toEqual(["model-registry-dev", "model-registry-state"]);
    const underCli = new PassThrough();
    synthCommand({ REGISTRY_CONFIG, CDKTF_OUTDIR: path.join(dir, "cli.out") }, underCli);
    expect(String(plain.read())).toMatch(/^Synthesized 2 stacks into /);
    expect(underCli.read()).toBeNull();
    expect(fs.readdirSync(path.join(dir, "cli.out/stacks")).sort()).toEqual(["model-registry-dev", "model-registry-state"]);
  });

  test("lists every stack with its repositories, region, account and role, where the files are and what to run next", () => {
    const cwd = tempDir();
    expect(synthSummary(validConfig(twoEnvironments), path.join(cwd, "cdktf.out"), cwd)).toBe(
      [
        "Synthesized 3 stacks into cdktf.out/stacks/<stack>/cdk.tf.json:",
        "  model-registry-state  the state bucket acme-tfstate (us-east-1): deploy it once, first",
        "  model-registry-dev    2 repositories, us-east-1, account 111111111111",
        "  model-registry-prod   1 repository, us-west-2, account 222222222222, role platform/deploy",
        "Next: npm run diff -- <stack>     show the plan of one stack (terraform plan)",
        "      npm run deploy -- <stack>   apply it (terraform apply)",
        "",
      ].join("\n"),
    );
  });

  test("docs/commands.md shows what synth and validate print for the default registry.yaml", () => {
    const readme = documentation("docs/commands.md");
    const config = loadConfig(DEFAULT_CONFIG_PATH);
    const outdir = path.join(tempDir(), "cdktf.out");
    const app = buildApp(config, { outdir });
    app.synth();
    const stacks = synthesizedStacks(app);
    const guardrails = enforceGuardrails(stacks, config, "registry.yaml");
    // A fresh clone's first synth: every repository is new.
    const fresh = newRepositoryLines(config, stacks, undefined);
    expect(readme).toContain(`\n${synthSummary(config, path.join(PROJECT_ROOT, "cdktf.out"), PROJECT_ROOT, guardrails, fresh)}\`\`\``);
    const out = new PassThrough();
    validateCommand({ env: { REGISTRY_CONFIG: "registry.yaml" }, out });
    expect(readme).toContain(`\n${String(out.read())}\`\`\``);
  });

  test("lists what each repository new to the previous synth inherits, and nothing once it was synthesized", () => {
    const dir = tempDir();
    const raw = {
      ...minimalRawConfig(),
      environments: [{ name: "dev", accountId: "111111111111" }],
      consumers: [{ kind: "pull", principal: "arn:aws:iam::111111111111:role/reader", environments: ["dev"] }],
      lifecycle: { rules: [{ tagStatus: "untagged", olderThanDays: 7 }] },
      replication: { rules: [{ destinations: [{ region: "eu-west-1" }], repositoryPrefixes: ["models/"] }] },
      repositories: [{ name: "models/a" }],
    };
    const run = (config: Record<string, unknown>) => {
      const out = new PassThrough();
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        synthCommand({ REGISTRY_CONFIG: writeConfig(dir, config) }, out);
      } finally {
        process.chdir(cwd);
      }
      return String(out.read()).split("\n");
    };
    const header = "New repository, with what it inherits from the registry-wide settings (override per repository):";
    const first = run(raw);
    expect(first.slice(first.indexOf(header), first.indexOf(header) + 2)).toEqual([
      header,
      "  models/a: consumers arn:aws:iam::111111111111:role/reader (pull) in dev; lifecycle the registry-wide rules and the default protected tags; replication eu-west-1 (111111111111) from dev",
    ]);
    const added = run({ ...raw, repositories: [{ name: "models/a" }, { name: "other/b", inheritConsumers: false, lifecycle: { protectedTags: ["v*"] } }] });
    expect(added.filter((line) => line.startsWith("  models/") || line.startsWith("  other/"))).toEqual([
      "  other/b: consumers none (inheritConsumers: false); lifecycle its own, with the registry-wide rules; replication none",
    ]);
    expect(run({ ...raw, repositories: [{ name: "models/a" }, { name: "other/b" }] }).some((line) => line.startsWith("New "))).toBe(false);
  });

  test("shows an output folder outside the working directory as an absolute path", () => {
    const summary = synthSummary(validConfig(minimalRawConfig()), "/srv/out", tempDir());
    expect(summary.split("\n")[0]).toBe("Synthesized 2 stacks into /srv/out/stacks/<stack>/cdk.tf.json:");
  });
});
