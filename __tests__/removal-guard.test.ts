import * as fs from "fs";
import * as path from "path";
import { buildApp } from "../src/stacks/app";
import { ConfigError } from "../src/config/errors";
import { repositoryId, repositoryNameFromId } from "../src/naming";
import { readSynthesizedStacks } from "../src/synthesized/read";
import { BASELINE_ENV, baselineFromEnv, checkProtectedRemovals, folderBaseline } from "../src/removal-guard";
import { execFileSync } from "child_process";
import { stringify } from "yaml";
import { devAndProd, runMain, runMainInProcess, snapshotFolder, tempDir, validConfig, writeConfig } from "./support/fixtures";

/** dev and prod (protected by default) in different regions. */

/** Synthesizes a config into a fresh folder and returns the folder. */
function synthesized(raw: Record<string, any>): string {
  const outdir = path.join(tempDir(), "cdktf.out");
  buildApp(validConfig(raw), { outdir }).synth();
  return outdir;
}

/** The problems the guard reports when `after` replaces `before`, as `path: message` lines. */
function removalProblems(before: Record<string, any>, after: Record<string, any>): string[] {
  try {
    checkProtectedRemovals(validConfig(after), path.resolve("registry.yaml"), readSynthesizedStacks(synthesized(after)), folderBaseline(synthesized(before), "the previous synth", "reset it"));
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
}

/** A git repository holding `files` in one commit on branch `main`. */
function gitRepository(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "--quiet", "--initial-branch=main");
  git("add", ".");
  git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "base");
  return dir;
}

describe("the removal guard", () => {
  const before = devAndProd([{ name: "ai-models/llm" }, { name: "ai-models/vision" }]);

  test("refuses a repository that left a protected environment without being retired", () => {
    expect(removalProblems(before, devAndProd([{ name: "ai-models/llm" }]))).toEqual([
      "retired: ai-models/vision (aws_ecr_repository.ai-models__vision) is no longer declared in the protected environment prod (compared with the previous synth), so Terraform would destroy it and its images; declare it again, give its new name renamedFrom: [ai-models/vision], or add ai-models/vision to retired so Terraform forgets it and leaves it in AWS. If that baseline is wrong: reset it",
    ]);
  });

  test("accepts it once it is retired", () => {
    expect(removalProblems(before, devAndProd([{ name: "ai-models/llm" }], { retired: ["ai-models/vision"] }))).toEqual([]);
  });

  test("accepts a rename with renamedFrom, which moves the repository", () => {
    expect(removalProblems(before, devAndProd([{ name: "ai-models/llm" }, { name: "models/vision", renamedFrom: ["ai-models/vision"] }]))).toEqual([]);
  });

  test("refuses a rename without renamedFrom, which Terraform would plan as destroy and create", () => {
    expect(removalProblems(before, devAndProd([{ name: "ai-models/llm" }, { name: "models/vision" }]))).toEqual([
      expect.stringMatching(/^retired: ai-models\/vision \(aws_ecr_repository\.ai-models__vision\) is no longer declared in the protected environment prod/),
    ]);
  });

  test("refuses removing a repository from a protected environment's list", () => {
    const after = devAndProd([{ name: "ai-models/llm" }, { name: "ai-models/vision", environments: ["dev"] }]);
    expect(removalProblems(before, after)).toEqual([expect.stringMatching(/^retired: ai-models\/vision .* protected environment prod/)]);
  });

  test("lets repositories leave unprotected environments", () => {
    const unprotected = (repositories: Array<Record<string, unknown>>) =>
      devAndProd(repositories, { environments: [{ name: "dev" }, { name: "prod", region: "us-west-2", protected: false }] });
    expect(removalProblems(unprotected(before.repositories), unprotected([{ name: "ai-models/llm" }]))).toEqual([]);
    expect(removalProblems(before, devAndProd([{ name: "ai-models/llm" }, { name: "ai-models/vision", environments: ["prod"] }]))).toEqual([]);
  });

  test("refuses a repository adopted in an unprotected environment that leaves it without being retired", () => {
    const adopted = { name: "ai-models/vision", adopt: ["dev"], encryption: { type: "AES256" }, environments: ["dev"] };
    expect(removalProblems(devAndProd([{ name: "ai-models/llm" }, adopted]), devAndProd([{ name: "ai-models/llm" }]))).toEqual([
      "retired: ai-models/vision (aws_ecr_repository.ai-models__vision) is no longer declared in environment dev, where it was adopted (prevent_destroy) (compared with the previous synth), so Terraform would destroy it and its images; declare it again, give its new name renamedFrom: [ai-models/vision], or add ai-models/vision to retired so Terraform forgets it and leaves it in AWS. If that baseline is wrong: reset it",
    ]);
    expect(removalProblems(devAndProd([{ name: "ai-models/llm" }, adopted]), devAndProd([{ name: "ai-models/llm" }], { retired: ["ai-models/vision"] }))).toEqual([]);
  });

  test("refuses dropping the protected environment's KMS key", () => {
    const after = devAndProd([
      { name: "ai-models/llm", encryption: { type: "AES256" } },
      { name: "ai-models/vision", encryption: { type: "AES256" } },
    ]);
    expect(removalProblems(before, after)).toEqual([
      "environments[1]: aws_kms_key.registry is no longer declared in the protected environment prod (compared with the previous synth), so Terraform would schedule the key for deletion and images encrypted with it would become unreadable; keep a repository on the managed key, or list the repositories that used it in retired",
    ]);
  });

  test("lists every problem at once", () => {
    expect(removalProblems(before, devAndProd([{ name: "other" }])).map((line) => line.split(" is no longer")[0])).toEqual([
      "retired: ai-models/llm (aws_ecr_repository.ai-models__llm)",
      "retired: ai-models/vision (aws_ecr_repository.ai-models__vision)",
    ]);
  });

  test("has nothing to compare with on the first synth", () => {
    expect(baselineFromEnv(path.join(tempDir(), "cdktf.out"), "registry.yaml", {})).toBeUndefined();
    const after = devAndProd([{ name: "ai-models/llm" }]);
    expect(() => checkProtectedRemovals(validConfig(after), "registry.yaml", readSynthesizedStacks(synthesized(after)), undefined)).not.toThrow();
  });

  test("refuses a REGISTRY_BASELINE that is neither a folder nor a git ref, so CI cannot skip the check by accident", () => {
    const missing = path.join(tempDir(), "missing");
    expect(() => baselineFromEnv("/out/cdktf.out", "registry.yaml", { [BASELINE_ENV]: missing })).toThrow(
      `${BASELINE_ENV} is invalid (1 problem):\n  names ${missing}, which is neither a synth output folder nor a git ref`,
    );
    const repo = gitRepository({ "registry.yaml": "project: x\n" });
    expect(() => baselineFromEnv(path.join(repo, "cdktf.out"), path.join(repo, "registry.yaml"), { [BASELINE_ENV]: "no-such-branch" }, repo)).toThrow(
      /base: no-such-branch is invalid \(1 problem\):\n  is neither a folder nor a git ref of a commit/,
    );
  });

  test("compares with the REGISTRY_BASELINE folder when set, else with the output folder being replaced, and says which", () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, "main-branch", "cdktf.out"), { recursive: true });
    fs.mkdirSync(path.join(dir, "cdktf.out"));
    expect(baselineFromEnv(path.join(dir, "cdktf.out"), "registry.yaml", { [BASELINE_ENV]: "main-branch/cdktf.out" }, dir)?.label).toBe(
      "the synth in REGISTRY_BASELINE=main-branch/cdktf.out",
    );
    const local = baselineFromEnv(path.join(dir, "cdktf.out"), "registry.yaml", {}, dir)!;
    expect(local.label).toBe("the previous synth in cdktf.out");
    expect(local.reset).toContain("compare with the deployed branch instead (REGISTRY_BASELINE=main npm run synth) or delete cdktf.out/stacks/<stack>/cdk.tf.json");
  });

  test("a git ref as REGISTRY_BASELINE synthesizes that commit's config and compares with it", () => {
    const repo = gitRepository({ "registry.yaml": stringify(before) });
    const baseline = baselineFromEnv(path.join(repo, "cdktf.out"), path.join(repo, "registry.yaml"), { [BASELINE_ENV]: "main" }, repo)!;
    expect(baseline.label).toBe("main (its registry.yaml, synthesized)");
    expect(Object.keys(baseline.stack("model-registry-prod").resource.aws_ecr_repository).sort()).toEqual(["ai-models__llm", "ai-models__vision"]);
    const after = devAndProd([{ name: "ai-models/llm" }]);
    expect(() => checkProtectedRemovals(validConfig(after), "registry.yaml", readSynthesizedStacks(synthesized(after)), baseline)).toThrow(
      /ai-models\/vision \(aws_ecr_repository\.ai-models__vision\) is no longer declared in the protected environment prod \(compared with main \(its registry\.yaml, synthesized\)\)/,
    );
  });

  test("the all-zero commit GitHub gives for the push that created a branch means there is nothing to compare with", () => {
    expect(baselineFromEnv("/out/cdktf.out", "registry.yaml", { [BASELINE_ENV]: "0".repeat(40) })).toBeUndefined();
  });

  test("a git ref without the config file is a base without a registry: nothing to protect yet", () => {
    const repo = gitRepository({ "README.md": "no registry yet\n" });
    const baseline = baselineFromEnv(path.join(repo, "cdktf.out"), path.join(repo, "registry.yaml"), { [BASELINE_ENV]: "main" }, repo)!;
    expect(baseline.stack("model-registry-prod")).toBeUndefined();
  });

  test("undoing a rename names the rename and how to reset the baseline, not renamedFrom", () => {
    const renamed = devAndProd([{ name: "ai-models/llm" }, { name: "models/vision", renamedFrom: ["ai-models/vision"] }]);
    expect(removalProblems(renamed, before)).toEqual([
      "retired: models/vision (aws_ecr_repository.models__vision) is no longer declared in the protected environment prod (compared with the previous synth), where it had been renamed from ai-models/vision; going back to ai-models/vision undoes that rename. If the rename was never deployed, nothing in Terraform's state is at models/vision: reset it. If it was deployed, keep the name models/vision, or give ai-models/vision renamedFrom: [models/vision] and awsName: ai-models/vision (ECR cannot rename a repository: it is ai-models/vision in AWS either way)",
    ]);
  });

  test("refuses dropping a protected environment's replica region, and accepts it listed in retiredRegions", () => {
    const replicating = (region: string, retiredRegions?: string[]) =>
      devAndProd([{ name: "ai-models/llm" }], { replication: { rules: [{ environments: ["prod"], destinations: [{ region }] }], ...(retiredRegions ? { retiredRegions } : {}) } });
    expect(removalProblems(replicating("eu-west-1"), replicating("eu-central-1"))).toEqual([
      "replication.retiredRegions: the replica of ai-models/llm in eu-west-1 (aws_ecr_repository.ai-models__llm__eu-west-1) is no longer declared in the protected environment prod (compared with the previous synth), so Terraform would destroy it and its images; replicate there again, or add eu-west-1 to replication.retiredRegions so Terraform forgets the replicas there and leaves them in AWS. If that baseline is wrong: reset it",
      "replication.retiredRegions: the replica key in eu-west-1 (aws_kms_key.registry__eu-west-1) is no longer declared in the protected environment prod (compared with the previous synth), so Terraform would destroy it and the replicas encrypted with it would become unreadable; replicate there again, or add eu-west-1 to replication.retiredRegions so Terraform forgets the replicas there and leaves them in AWS. If that baseline is wrong: reset it",
    ]);
    expect(removalProblems(replicating("eu-west-1"), replicating("eu-central-1", ["eu-west-1"]))).toEqual([]);
  });

  test("names a repository by inverting its logical id", () => {
    for (const name of ["ai-models/llm", "team.a/models_v2/bert-base", "3d/nerf", "a-b.c_d/e"]) expect(repositoryNameFromId(repositoryId(name))).toBe(name);
  });
});

// End-to-end: the guard runs inside `npm run synth`, before the new output replaces the old.
describe("npm run synth in a protected environment", () => {
  test("refuses to drop a repository, exits 1 and leaves the previous output untouched", () => {
    const dir = tempDir();
    buildApp(validConfig(devAndProd([{ name: "ai-models/llm" }, { name: "ai-models/vision" }])), { outdir: path.join(dir, "cdktf.out") }).synth();
    const before = snapshotFolder(path.join(dir, "cdktf.out"));

    const dropped = runMain(dir, { REGISTRY_CONFIG: writeConfig(dir, devAndProd([{ name: "ai-models/llm" }])) });
    expect(dropped.status).toBe(1);
    expect(dropped.stderr).toBe(
      "error: registry.yaml is invalid (1 problem):\n" +
        "  retired: ai-models/vision (aws_ecr_repository.ai-models__vision) is no longer declared in the protected environment prod (compared with the previous synth in cdktf.out), so Terraform would destroy it and its images; declare it again, give its new name renamedFrom: [ai-models/vision], or add ai-models/vision to retired so Terraform forgets it and leaves it in AWS. If that baseline is wrong: cdktf.out is only what you synthesized last, not what is deployed: if it was never deployed (say, a rename you are undoing), compare with the deployed branch instead (REGISTRY_BASELINE=main npm run synth) or delete cdktf.out/stacks/<stack>/cdk.tf.json\n",
    );
    expect(snapshotFolder(path.join(dir, "cdktf.out"))).toEqual(before);
    expect(fs.readdirSync(dir).sort()).toEqual(["cdktf.out", "registry.yaml"]);
  });

  test("REGISTRY_BASELINE lets a fresh clone (CI) compare with another synth, such as the main branch's", () => {
    const mainBranchOutput = synthesized(devAndProd([{ name: "ai-models/llm" }, { name: "ai-models/vision" }]));
    const branch = tempDir();
    // In-process: REGISTRY_BASELINE is read by synthCommand; the test above runs the guard in a child process.
    const result = runMainInProcess(branch, { REGISTRY_CONFIG: writeConfig(branch, devAndProd([{ name: "ai-models/llm" }])), REGISTRY_BASELINE: mainBranchOutput });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: registry\.yaml is invalid \(1 problem\):\n  retired: ai-models\/vision /);
    expect(fs.readdirSync(branch)).toEqual(["registry.yaml"]);
  });

  test("REGISTRY_BASELINE naming the base branch (as plan.yml sets it) refuses the drop in a fresh clone", () => {
    const repo = gitRepository({ "registry.yaml": stringify(devAndProd([{ name: "ai-models/llm" }, { name: "ai-models/vision" }])) });
    writeConfig(repo, devAndProd([{ name: "ai-models/llm" }]));
    const result = runMainInProcess(repo, { REGISTRY_CONFIG: "registry.yaml", REGISTRY_BASELINE: "main" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: registry\.yaml is invalid \(1 problem\):\n  retired: ai-models\/vision .* \(compared with main \(its registry\.yaml, synthesized\)\)/);
    expect(fs.readdirSync(repo).sort()).toEqual([".git", "registry.yaml"]);
  });
});
