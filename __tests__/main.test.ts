import * as fs from "fs";
import * as path from "path";
import { minimalRawConfig, runMain, runMainInProcess, snapshotFolder, tempDir, writeConfig } from "./support/fixtures";

// End-to-end: the real entry point in a child process, in a scratch folder.
describe("npm run synth (main.ts)", () => {
  test("writes one stack per environment and the state bootstrap stack, exits 0 and ends with a summary naming every stack", () => {
    const dir = tempDir();
    const raw = { ...minimalRawConfig(), environments: [{ name: "dev" }, { name: "prod", region: "us-west-2" }] };
    const result = runMain(dir, { REGISTRY_CONFIG: writeConfig(dir, raw) });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(fs.readdirSync(path.join(dir, "cdktf.out")).sort()).toEqual(["guardrails.json", "manifest.json", "stacks"]);
    expect(fs.readdirSync(path.join(dir, "cdktf.out/stacks")).sort()).toEqual(["model-registry-dev", "model-registry-prod", "model-registry-state"]);
    const stack = JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out/stacks/model-registry-prod/cdk.tf.json"), "utf8"));
    expect(stack.terraform.backend.s3.key).toBe("model-registry/prod/terraform.tfstate");

    const stateStackDir = path.join(dir, "cdktf.out/stacks/model-registry-state");
    const bootstrap = JSON.parse(fs.readFileSync(path.join(stateStackDir, "cdk.tf.json"), "utf8"));
    expect(bootstrap.resource.aws_s3_bucket.state.bucket).toBe("acme-tfstate");
    // Terraform runs in the stack's folder; its local state lands beside cdktf.out, which synth replaces.
    expect(path.resolve(stateStackDir, bootstrap.terraform.backend.local.path)).toBe(path.join(dir, "terraform.model-registry-state.tfstate"));
    expect(result.stdout).toBe(
      [
        "Synthesized 3 stacks into cdktf.out/stacks/<stack>/cdk.tf.json:",
        "  model-registry-state  the state bucket acme-tfstate (us-east-1): deploy it once, first",
        "  model-registry-dev    1 repository, us-east-1, any account (no accountId)",
        "  model-registry-prod   1 repository, us-west-2, any account (no accountId)",
        // A first synth: every repository is new.
        "New repository, with what it inherits from the registry-wide settings (override per repository):",
        "  ai-models/llm: consumers none; lifecycle the default policy; replication none",
        "Guardrails: 21 rules, 23 checks, no violations (cdktf.out/guardrails.json)",
        "Next: npm run diff -- <stack>     show the plan of one stack (terraform plan)",
        "      npm run deploy -- <stack>   apply it (terraform apply)",
        "",
      ].join("\n"),
    );
  });

  test("an invalid config prints every problem by path, exits 1, shows no stack trace and leaves the output untouched", () => {
    const dir = tempDir();
    // The earlier, good run only has to leave output behind; it need not be a child process.
    const good = runMainInProcess(dir, { REGISTRY_CONFIG: writeConfig(dir, minimalRawConfig()) });
    expect(good.status).toBe(0);
    const before = snapshotFolder(path.join(dir, "cdktf.out"));

    const bad = { ...minimalRawConfig(), repositories: [{ name: "ok" }, { name: "Bad_Name" }], tags: { "aws:x": "y" } };
    const result = runMain(dir, { REGISTRY_CONFIG: writeConfig(dir, bad, "bad.yaml") });

    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: bad\.yaml is invalid \(2 problems\):\n/);
    expect(result.stderr).toContain("\n  bad.yaml:11:10: tags[\"aws:x\"]: tag keys must not start with the reserved prefix \"aws:\"");
    expect(result.stderr).toContain("\n  bad.yaml:9:11: repositories[1].name (repository Bad_Name): must be lowercase letters and digits");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(snapshotFolder(path.join(dir, "cdktf.out"))).toEqual(before);
    expect(fs.readdirSync(dir).sort()).toEqual(["bad.yaml", "cdktf.out", "registry.yaml"]);
  });

  test("a missing REGISTRY_CONFIG file is reported without creating an output folder", () => {
    const dir = tempDir();
    const result = runMain(dir, { REGISTRY_CONFIG: "missing.yaml" });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("error: missing.yaml is invalid (1 problem):\n  cannot read the file: it does not exist (REGISTRY_CONFIG names the config file)\n");
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  // In-process (main.ts's own code path): determinism.test.ts compares a child run with it.
  test("the same config synthesizes byte-identical output twice", () => {
    const dir = tempDir();
    const env = { REGISTRY_CONFIG: writeConfig(dir, minimalRawConfig()) };
    expect(runMainInProcess(dir, env).status).toBe(0);
    const first = snapshotFolder(path.join(dir, "cdktf.out"));
    expect(runMainInProcess(dir, env).status).toBe(0);
    expect(snapshotFolder(path.join(dir, "cdktf.out"))).toEqual(first);
    expect(JSON.stringify(first)).not.toContain(dir);
  });
});
