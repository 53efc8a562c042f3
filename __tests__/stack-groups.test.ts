import * as path from "path";
import { PassThrough } from "stream";
import { Testing } from "cdktf";
import { buildApp, stacksOf } from "../src/stacks/app";
import { ConfigError } from "../src/config/errors";
import { groupOf } from "../src/config/schema/stack-groups";
import { environmentStackNames } from "../src/environment-stacks";
import { readSynthesizedStacks } from "../src/synthesized/read";
import { checkProtectedRemovals, folderBaseline } from "../src/removal-guard";
import { validateCommand } from "../src/commands/validate";
import { checkStackSizes, oversizedStacks } from "../src/stack-size";
import { PER_REPOSITORY_RESOURCES, perRepositoryAddress } from "../src/naming";
import { devAndProd, minimalRawConfig, tempDir, validConfig, writeConfig } from "./support/fixtures";
import { problemsOf } from "./support/problems";

const ACCOUNT = "111111111111";

/** Every environment stack of a config's app (the state bootstrap stack aside), synthesized with `Testing.synth` and parsed, by name. */
function synthAll(raw: Record<string, any>): Map<string, any> {
  const stacks = [...stacksOf(buildApp(validConfig(raw), { outdir: tempDir() }))].filter(([name]) => name !== "model-registry-state");
  return new Map(stacks.map(([name, stack]) => [name, JSON.parse(Testing.synth(stack))]));
}

/** `count` repositories in `teams` name prefixes (`team-00/model-000`, ...), each with a same-account pusher (identity policies). */
function manyRepositories(count: number, teams: number): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({
    name: `team-${String(i % teams).padStart(2, "0")}/model-${String(i).padStart(4, "0")}`,
    ...(i % 7 === 0 ? { tagMutability: "MUTABLE" } : {}),
    ...(i % 11 === 0 ? { lifecycle: { enabled: false } } : {}),
  }));
}

function registry(repositories: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}): Record<string, any> {
  return {
    ...minimalRawConfig(),
    accountId: ACCOUNT,
    identityPolicies: true,
    consumers: [{ kind: "push", principal: `arn:aws:iam::${ACCOUNT}:role/ci` }, { kind: "pull", principal: "arn:aws:iam::222222222222:root" }],
    repositories,
    ...extra,
  };
}

const byPrefix = (teams: number) => ({ rules: Array.from({ length: teams }, (_, t) => ({ prefix: `team-${String(t).padStart(2, "0")}/`, group: `team-${String(t).padStart(2, "0")}` })) });

/** The per-repository resources of every stack, merged by type, with the managed key's reference (stack-local) replaced by a marker. */
function repositoryResources(stacks: Map<string, any>): Record<string, Record<string, any>> {
  const merged: Record<string, Record<string, any>> = {};
  const keyReference = /^\$\{(aws_kms_key\.registry\.arn|data\.aws_kms_alias\.registry-key\.target_key_arn)\}$/;
  for (const json of stacks.values()) {
    for (const type of new Set(PER_REPOSITORY_RESOURCES.map((r) => r.type))) {
      for (const [id, body] of Object.entries((json.resource?.[type] ?? {}) as Record<string, any>)) {
        const text = JSON.stringify(body, (_key, value) => (typeof value === "string" && keyReference.test(value) ? "<the environment's managed key>" : value));
        merged[type] = { ...merged[type], [id]: JSON.parse(text) };
      }
    }
  }
  return merged;
}

describe("stack groups", () => {
  test("a 1,000-repository environment grouped by prefix declares every repository resource exactly as the ungrouped one", () => {
    const repositories = manyRepositories(1000, 10);
    const ungrouped = synthAll(registry(repositories));
    const grouped = synthAll(registry(repositories, { stackGroups: byPrefix(10) }));
    expect([...ungrouped.keys()]).toEqual(["model-registry-dev"]);
    expect(grouped.size).toBe(11);
    const before = repositoryResources(ungrouped);
    expect(Object.keys(before.aws_ecr_repository)).toHaveLength(1000);
    expect(Object.keys(before.aws_iam_policy)).toHaveLength(1000);
    expect(repositoryResources(grouped)).toEqual(before);
    const groupStack = grouped.get("model-registry-dev-team-03");
    expect(Object.keys(groupStack.resource.aws_ecr_repository)).toHaveLength(100);
    expect(Object.keys(groupStack.resource.aws_ecr_repository).every((id) => id.startsWith("team-03__"))).toBe(true);
  });

  test("a grouped repository keeps its outputs, in its group's stack", () => {
    const raw = registry([{ name: "ai-models/llm", group: "llm" }, { name: "ai-models/vision" }]);
    const stacks = synthAll(raw);
    const ungrouped = synthAll(registry([{ name: "ai-models/llm" }, { name: "ai-models/vision" }])).get("model-registry-dev");
    const outputs = stacks.get("model-registry-dev-llm").output;
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(ungrouped.output).filter((o) => o.startsWith("ai-models__llm_")).sort());
    expect(outputs["ai-models__llm_repository_url"]).toEqual(ungrouped.output["ai-models__llm_repository_url"]);
    expect(Object.keys(stacks.get("model-registry-dev").output).some((o) => o.startsWith("ai-models__llm_"))).toBe(false);
  });

  test("the registry-wide settings and the managed key stay in the environment's own stack", () => {
    const stacks = synthAll(registry([{ name: "ai-models/llm", group: "llm" }], { notifications: { severities: ["CRITICAL"], subscriptions: [{ protocol: "email", endpoint: "ml@example.com" }] } }));
    const own = stacks.get("model-registry-dev");
    const group = stacks.get("model-registry-dev-llm");
    expect(own.resource.aws_ecr_registry_scanning_configuration).toBeDefined();
    expect(own.resource.aws_kms_key.registry).toBeDefined();
    expect(own.resource.aws_sns_topic).toBeDefined();
    expect(own.resource.aws_ecr_repository).toBeUndefined();
    expect(Object.keys(group.resource).sort()).toEqual(["aws_ecr_lifecycle_policy", "aws_ecr_repository", "aws_ecr_repository_policy", "aws_iam_policy"]);
  });

  test("a group stack finds the managed key by the alias the environment's stack gives it, not by a cross-stack reference", () => {
    const stacks = synthAll(registry([{ name: "ai-models/llm", group: "llm" }]));
    const own = stacks.get("model-registry-dev");
    const group = stacks.get("model-registry-dev-llm");
    expect(group.data.aws_kms_alias["registry-key"].name).toBe(own.resource.aws_kms_alias.registry.name);
    expect(group.resource.aws_ecr_repository["ai-models__llm"].encryption_configuration).toEqual([
      { encryption_type: "KMS", kms_key: "${data.aws_kms_alias.registry-key.target_key_arn}" },
    ]);
    expect(group.data.terraform_remote_state).toBeUndefined();
  });

  test("a group of repositories on their own keys or AES256 looks up no managed key", () => {
    const stacks = synthAll(registry([{ name: "ai-models/llm", group: "llm", encryption: { type: "AES256" } }]));
    expect(stacks.get("model-registry-dev-llm").data).toBeUndefined();
  });

  test("each group stack has its own S3 state key under the environment's, with the same bucket and locking", () => {
    const stacks = synthAll(registry([{ name: "ai-models/llm", group: "llm" }]));
    const own = stacks.get("model-registry-dev").terraform.backend.s3;
    const group = stacks.get("model-registry-dev-llm").terraform.backend.s3;
    expect(own.key).toBe("model-registry/dev/terraform.tfstate");
    expect(group).toEqual({ ...own, key: "model-registry/dev/groups/llm/terraform.tfstate" });
    expect(group.use_lockfile).toBe(true);
  });

  test("with HCP Terraform a group's workspace is the environment's with the group's name", () => {
    const stacks = synthAll(registry([{ name: "ai-models/llm", group: "llm" }], { state: { backend: "hcp", organization: "acme" } }));
    const own = stacks.get("model-registry-dev").terraform.cloud.workspaces.name;
    expect(stacks.get("model-registry-dev-llm").terraform.cloud.workspaces.name).toBe(`${own}-llm`);
  });

  test("a group stack of a protected environment guards its repositories with prevent_destroy", () => {
    const stacks = synthAll(devAndProd([{ name: "ai-models/llm", group: "llm" }]));
    expect(stacks.get("model-registry-prod-llm").resource.aws_ecr_repository["ai-models__llm"].lifecycle).toEqual({ prevent_destroy: true });
    expect(stacks.get("model-registry-dev-llm").resource.aws_ecr_repository["ai-models__llm"].lifecycle).toBeUndefined();
  });

  test("a repository's own group wins over the rules, and the longest matching prefix wins among them", () => {
    const rules = [{ prefix: "ai-models/", group: "models" }, { prefix: "ai-models/llm", group: "llm" }];
    expect(groupOf({ name: "ai-models/llm-serving" }, rules)).toBe("llm");
    expect(groupOf({ name: "ai-models/vision" }, rules)).toBe("models");
    expect(groupOf({ name: "ai-models/vision", group: "mine" }, rules)).toBe("mine");
    expect(groupOf({ name: "tools/ci" }, rules)).toBeUndefined();
  });

  test("npm run stacks lists each environment's own stack before its groups, environments in config order", () => {
    const config = validConfig(devAndProd([{ name: "b/one", group: "zeta" }, { name: "a/two", group: "alpha" }, { name: "c/three" }]));
    expect(environmentStackNames(config)).toEqual([
      "model-registry-dev",
      "model-registry-dev-alpha",
      "model-registry-dev-zeta",
      "model-registry-prod",
      "model-registry-prod-alpha",
      "model-registry-prod-zeta",
    ]);
  });

  test("a group exists only in the environments of its repositories", () => {
    const config = validConfig(devAndProd([{ name: "ai-models/llm", group: "llm", environments: ["prod"] }, { name: "ai-models/vision" }]));
    expect(environmentStackNames(config)).toEqual(["model-registry-dev", "model-registry-prod", "model-registry-prod-llm"]);
  });
});

describe("moving a repository between stacks", () => {
  const removedAddresses = (json: any) => (json.removed ?? []).map((b: { from: string; lifecycle: unknown }) => {
    expect(b.lifecycle).toEqual({ destroy: false });
    return b.from;
  });

  test("into a group: the environment's stack forgets every resource of it and the group's stack imports the repository and its IAM policies", () => {
    const stacks = synthAll(registry([{ name: "ai-models/llm", group: "llm", movedFromGroup: null }, { name: "ai-models/vision" }]));
    const own = stacks.get("model-registry-dev");
    const group = stacks.get("model-registry-dev-llm");
    expect(removedAddresses(own).sort()).toEqual(PER_REPOSITORY_RESOURCES.map((r) => perRepositoryAddress(r, "ai-models/llm")).sort());
    expect(own.resource.aws_ecr_repository["ai-models__llm"]).toBeUndefined();
    expect(group.import).toEqual([
      { to: "aws_ecr_repository.ai-models__llm", id: "ai-models/llm" },
      { to: "aws_iam_policy.ai-models__llm_push", id: `arn:aws:iam::${ACCOUNT}:policy/model-registry/model-registry-dev-ai-models__llm-push` },
    ]);
    expect(group.removed).toBeUndefined();
  });

  test("the imported IAM policy's id is the ARN of the policy the stack declares", () => {
    const group = synthAll(registry([{ name: "ai-models/llm", group: "llm", movedFromGroup: null }])).get("model-registry-dev-llm");
    const policy = group.resource.aws_iam_policy["ai-models__llm_push"];
    const imported = group.import.find((b: { to: string }) => b.to === "aws_iam_policy.ai-models__llm_push");
    expect(imported.id).toBe(`arn:aws:iam::${ACCOUNT}:policy${policy.path}${policy.name}`);
  });

  test("out of a group that is left empty: its stack stays, holding only removed blocks, until movedFromGroup is dropped", () => {
    const stacks = synthAll(registry([{ name: "ai-models/llm", movedFromGroup: "llm" }]));
    const old = stacks.get("model-registry-dev-llm");
    expect(old.resource).toBeUndefined();
    expect(removedAddresses(old)).toContain("aws_ecr_repository.ai-models__llm");
    expect(stacks.get("model-registry-dev").import).toEqual(expect.arrayContaining([{ to: "aws_ecr_repository.ai-models__llm", id: "ai-models/llm" }]));
    expect([...synthAll(registry([{ name: "ai-models/llm" }])).keys()]).toEqual(["model-registry-dev"]);
  });

  test("a retired repository is forgotten in every stack of the environment, and a rule's group outlives its last repository", () => {
    const stacks = synthAll(registry([{ name: "tools/ci" }], { retired: ["llm/chat", "vision/detect"], stackGroups: { rules: [{ prefix: "llm/", group: "llm" }] } }));
    expect([...stacks.keys()]).toEqual(["model-registry-dev", "model-registry-dev-llm"]);
    for (const json of stacks.values()) expect(removedAddresses(json)).toEqual(expect.arrayContaining(["aws_ecr_repository.llm__chat", "aws_ecr_repository.vision__detect"]));
  });

  test("a repository renamed before the move is forgotten under its earlier name too", () => {
    const own = synthAll(registry([{ name: "ai-models/llm-v2", renamedFrom: ["ai-models/llm"], group: "llm", movedFromGroup: null }])).get("model-registry-dev");
    expect(removedAddresses(own)).toEqual(expect.arrayContaining(["aws_ecr_repository.ai-models__llm", "aws_ecr_repository.ai-models__llm-v2"]));
  });

  test("a move keeps the repository's replicas with the replication in the environment's own stack", () => {
    const raw = registry([{ name: "ai-models/llm", group: "llm", movedFromGroup: null }], {
      replication: { rules: [{ destinations: [{ region: "eu-west-1" }] }] },
    });
    const own = synthAll(raw).get("model-registry-dev");
    expect(own.resource.aws_ecr_repository["ai-models__llm__eu-west-1"]).toBeDefined();
    expect(removedAddresses(own)).not.toContain("aws_ecr_repository.ai-models__llm__eu-west-1");
  });

  test("both stacks of a move render as HCL with their removed and import blocks (npm run synth:hcl, the hand-off)", () => {
    const stacks = stacksOf(buildApp(validConfig(registry([{ name: "ai-models/llm", group: "llm", movedFromGroup: null }, { name: "ai-models/vision" }])), { outdir: tempDir() }));
    const own = stacks.get("model-registry-dev")!.toHclTerraform().hcl as string;
    const group = stacks.get("model-registry-dev-llm")!.toHclTerraform().hcl as string;
    expect(own).toContain("removed {\nfrom = aws_ecr_repository.ai-models__llm\nlifecycle {\ndestroy = false\n}\n}");
    expect(group).toMatch(/import \{\s+to = aws_ecr_repository\.ai-models__llm\s+id = "ai-models\/llm"\s+\}/);
    expect(group).toMatch(/data "aws_kms_alias" "registry-key" \{\s+name = "alias\/model-registry-dev-ecr"\s+\}/);
  });

  test("movedFromGroup naming the repository's current stack is refused", () => {
    expect(problemsOf(registry([{ name: "ai-models/llm", group: "llm", movedFromGroup: "llm" }]))).toEqual([
      expect.stringMatching(/^repositories\[0\]\.movedFromGroup: names group llm, where the repository is now/),
    ]);
    expect(problemsOf(registry([{ name: "ai-models/llm", movedFromGroup: null }]))).toEqual([
      expect.stringMatching(/^repositories\[0\]\.movedFromGroup: names the environment's own stack \(no group\), where the repository is now/),
    ]);
  });

  test("the removal guard refuses a move without movedFromGroup and names the key to set", () => {
    const before = path.join(tempDir(), "cdktf.out");
    buildApp(validConfig(registry([{ name: "ai-models/llm" }])), { outdir: before }).synth();
    const problems = (after: Record<string, any>): string[] => {
      const outdir = path.join(tempDir(), "cdktf.out");
      buildApp(validConfig(after), { outdir }).synth();
      try {
        checkProtectedRemovals(validConfig(after), path.resolve("registry.yaml"), readSynthesizedStacks(outdir), folderBaseline(before, "the previous synth", "reset it"));
        return [];
      } catch (error) {
        if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
        throw error;
      }
    };
    expect(problems(registry([{ name: "ai-models/llm", group: "llm" }]))).toEqual([
      expect.stringMatching(/^repositories\[0\]\.movedFromGroup: ai-models\/llm \(aws_ecr_repository\.ai-models__llm\) moved from stack model-registry-dev to stack model-registry-dev-llm .*set movedFromGroup: null on it/),
    ]);
    expect(problems(registry([{ name: "ai-models/llm", group: "llm", movedFromGroup: null }]))).toEqual([]);
  });
});

describe("stack group checks", () => {
  test("a rule prefix given twice is refused", () => {
    expect(problemsOf(registry([{ name: "ai-models/llm" }], { stackGroups: { rules: [{ prefix: "ai-", group: "aa" }, { prefix: "ai-", group: "bb" }] } }))).toEqual([
      "stackGroups.rules[1].prefix: repeats the prefix ai-; give each prefix one group",
    ]);
  });

  test("a group whose stack name is another environment's stack name is refused", () => {
    const raw = { ...registry([{ name: "ai-models/llm", group: "eu" }]), environments: [{ name: "prod" }, { name: "prod-eu", region: "eu-west-1" }] };
    expect(problemsOf(raw)).toEqual([
      expect.stringMatching(/^environments\[1\]\.name: makes the stack name model-registry-prod-eu twice \(group eu of environment prod, and environment prod-eu\)/),
    ]);
  });

  test("groups with tagged HCP workspaces are refused", () => {
    const raw = registry([{ name: "ai-models/llm", group: "llm" }], { state: { backend: "hcp", organization: "acme", workspaceTags: ["registry"] } });
    expect(problemsOf(raw)).toEqual([expect.stringMatching(/^state\.workspaceTags: cannot hold stack groups/)]);
  });

  test("a group name that cannot be part of a stack name is refused by the schema", () => {
    expect(problemsOf(registry([{ name: "ai-models/llm", group: "LLM_models" }]))).toEqual([
      expect.stringMatching(/^repositories\[0\]\.group: group names must be 2-32 lowercase letters/),
    ]);
  });
});

describe("the stack size guard", () => {
  const synthesizedStacks = (raw: Record<string, any>) => {
    const outdir = path.join(tempDir(), "cdktf.out");
    buildApp(validConfig(raw), { outdir }).synth();
    return readSynthesizedStacks(outdir);
  };

  test("a stack over the default 500 resources gets a warning naming how many repositories to move and the largest prefixes", () => {
    const raw = registry(manyRepositories(130, 3));
    const warnings = checkStackSizes(validConfig(raw), synthesizedStacks(raw), "registry.yaml");
    expect(warnings).toHaveLength(1);
    const [oversized] = oversizedStacks(validConfig(raw), synthesizedStacks(raw));
    expect(oversized.stack).toBe("model-registry-dev");
    expect(oversized.limit).toBe(500);
    expect(oversized.resources).toBeGreaterThan(500);
    expect(oversized.prefixes).toEqual([
      { prefix: "team-00/", repositories: 44 },
      { prefix: "team-01/", repositories: 43 },
      { prefix: "team-02/", repositories: 43 },
    ]);
    expect(warnings[0]).toBe(
      `Warning: stack model-registry-dev holds ${oversized.resources} resources, more than 500, so every plan of it refreshes them all; move at least ${oversized.toMove} of its 130 repositories to groups (repositories[].group, or stackGroups.rules by prefix; largest prefixes: team-00/ (44), team-01/ (43), team-02/ (43)). docs/stack-groups.md`,
    );
  });

  test("grouping brings every stack under the limit and the warning goes", () => {
    const raw = registry(manyRepositories(130, 3), { stackGroups: byPrefix(3) });
    expect(checkStackSizes(validConfig(raw), synthesizedStacks(raw), "registry.yaml")).toEqual([]);
  });

  test("the limit is configurable and counts managed resources only", () => {
    const raw = registry([{ name: "ai-models/llm" }], { stackGroups: { maxResources: 3 } });
    const [oversized] = oversizedStacks(validConfig(raw), synthesizedStacks(raw));
    const json = synthAll(raw).get("model-registry-dev");
    expect(oversized.resources).toBe(Object.values(json.resource).reduce((n: number, byId: any) => n + Object.keys(byId).length, 0));
    expect(oversized.toMove).toBe(1);
  });

  test("failOnExcess makes an oversized stack an error of validate, with its path", () => {
    const dir = tempDir();
    writeConfig(dir, registry([{ name: "ai-models/llm" }], { stackGroups: { maxResources: 3, failOnExcess: true } }));
    expect(() => validateCommand({ env: { REGISTRY_CONFIG: path.join(dir, "registry.yaml"), CDKTF_OUTDIR: path.join(dir, "cdktf.out") }, out: new PassThrough() })).toThrow(
      /stack model-registry-dev holds \d+ resources, more than 3/,
    );
  });

  test("validate prints the warning and still passes without failOnExcess", () => {
    const dir = tempDir();
    writeConfig(dir, registry([{ name: "ai-models/llm", group: "llm" }], { stackGroups: { maxResources: 3 } }));
    const out = new PassThrough();
    validateCommand({ env: { REGISTRY_CONFIG: path.join(dir, "registry.yaml"), CDKTF_OUTDIR: path.join(dir, "cdktf.out") }, out });
    const text = String(out.read());
    expect(text).toMatch(/is valid: model-registry-dev \(0 repositories\), model-registry-dev-llm \(1 repository\); \d+ guardrails passed/);
    expect(text).toMatch(/^Warning: stack model-registry-dev-llm holds \d+ resources, more than 3/m);
  });
});
