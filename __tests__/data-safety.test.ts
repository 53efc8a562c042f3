import { Aspects, Testing } from "cdktf";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { PreventDestroy } from "../src/aspects/prevent-destroy";
import { awsRepositoryName } from "../src/config/schema/data-safety";
import { resolveEnvironments } from "../src/plan/environments";
import { PER_REPOSITORY_RESOURCES, perRepositoryAddress, repositoryId } from "../src/naming";
import { RegistryStack } from "../src/stacks/registry-stack";
import { minimalRawConfig, synthJson, validConfig } from "./support/fixtures";
import { problemsOf } from "./support/problems";

/** The blocks of one resource type, e.g. only the `aws_ecr_repository` moves of a synthesized stack. */
function ofType<T extends { from: string }>(blocks: T[] | undefined, type: string): T[] | undefined {
  return blocks?.filter((block) => block.from.startsWith(`${type}.`));
}

/** dev and prod in different regions, so each may own its registry settings. */
function twoEnvironments(extra: Record<string, unknown> = {}): Record<string, any> {
  return { ...minimalRawConfig(), environments: [{ name: "dev" }, { name: "prod", region: "us-west-2" }], ...extra };
}

const PREVENT_DESTROY = { prevent_destroy: true };

describe("protected environments", () => {
  test.each([
    ["prod", true],
    ["production", true],
    ["dev", false],
    ["staging", false],
    ["prod-eu", false],
  ])("an environment named %s is protected by default: %s", (name, expected) => {
    const config = validConfig({ ...minimalRawConfig(), environments: [{ name }] });
    expect(resolveEnvironments(config)[0].protected).toBe(expected);
  });

  test("the protected flag overrides the default either way", () => {
    const config = validConfig({
      ...minimalRawConfig(),
      environments: [
        { name: "prod", protected: false },
        { name: "staging", region: "us-west-2", protected: true },
      ],
    });
    expect(resolveEnvironments(config).map((e) => [e.name, e.protected])).toEqual([
      ["prod", false],
      ["staging", true],
    ]);
  });

  test("a protected flag that is not a boolean is rejected by path", () => {
    expect(problemsOf({ ...minimalRawConfig(), environments: [{ name: "dev", protected: "yes" }] })).toEqual([
      'environments[0].protected: expected boolean, got string "yes"',
    ]);
  });

  test("in a protected environment repositories and the KMS key get prevent_destroy; force_delete stays off and the key keeps a 30-day window", () => {
    const json = synthJson(twoEnvironments(), "prod");
    expect(json.resource.aws_ecr_repository["ai-models__llm"]).toMatchObject({ force_delete: false, lifecycle: PREVENT_DESTROY });
    expect(json.resource.aws_kms_key.registry).toMatchObject({ deletion_window_in_days: 30, lifecycle: PREVENT_DESTROY });
  });

  test("the key alias and the scanning configuration hold no data and are left destroyable", () => {
    const json = synthJson(twoEnvironments(), "prod");
    expect(json.resource.aws_kms_alias.registry.lifecycle).toBeUndefined();
    expect(json.resource.aws_ecr_registry_scanning_configuration.registry.lifecycle).toBeUndefined();
  });

  test("in an unprotected environment nothing gets a lifecycle block, and force_delete is still off", () => {
    const json = synthJson(twoEnvironments(), "dev");
    expect(json.resource.aws_ecr_repository["ai-models__llm"].lifecycle).toBeUndefined();
    expect(json.resource.aws_ecr_repository["ai-models__llm"].force_delete).toBe(false);
    expect(json.resource.aws_kms_key.registry.lifecycle).toBeUndefined();
  });

  test("prod with protected: false gets no prevent_destroy", () => {
    const json = synthJson({ ...minimalRawConfig(), environments: [{ name: "prod", protected: false }] }, "prod");
    expect(json.resource.aws_ecr_repository["ai-models__llm"].lifecycle).toBeUndefined();
  });

  test("prevent_destroy reaches repositories and keys created by any construct in the stack", () => {
    const config = validConfig({ ...minimalRawConfig(), environments: [{ name: "prod" }] });
    const stack = new RegistryStack(Testing.app(), { config, environment: resolveEnvironments(config)[0] });
    new EcrRepository(stack, "added-later", { name: "added-later", forceDelete: false });
    new KmsKey(stack, "another-key", { enableKeyRotation: true });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.aws_ecr_repository["added-later"].lifecycle).toEqual(PREVENT_DESTROY);
    expect(json.resource.aws_kms_key["another-key"].lifecycle).toEqual(PREVENT_DESTROY);
  });

  test("prevent_destroy keeps a resource's other lifecycle settings", () => {
    const config = validConfig(minimalRawConfig());
    const stack = new RegistryStack(Testing.app(), { config, environment: resolveEnvironments(config)[0] });
    new EcrRepository(stack, "ignoring-tags", { name: "ignoring-tags", lifecycle: { ignoreChanges: ["tags"] } });
    Aspects.of(stack).add(new PreventDestroy());
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.aws_ecr_repository["ignoring-tags"].lifecycle).toEqual({ ignore_changes: ["tags"], prevent_destroy: true });
  });
});

describe("renamedFrom", () => {
  const renamed = twoEnvironments({ repositories: [{ name: "ai-models/llm-inference", renamedFrom: ["llm-inference"] }] });

  test("moves the repository from its earlier address instead of replacing it", () => {
    expect(ofType(synthJson(renamed, "dev").moved, "aws_ecr_repository")).toEqual([
      { from: "aws_ecr_repository.llm-inference", to: "aws_ecr_repository.ai-models__llm-inference" },
    ]);
  });

  test("moves every per-repository resource the stack has, not just the repository", () => {
    expect(synthJson(renamed, "dev").moved.map((block: { to: string }) => block.to)).toEqual([
      "aws_ecr_lifecycle_policy.ai-models__llm-inference",
      "aws_ecr_repository.ai-models__llm-inference",
    ]);
  });

  test("keeps the repository's name in AWS, because ECR cannot rename a repository", () => {
    const json = synthJson(renamed, "prod");
    expect(Object.keys(json.resource.aws_ecr_repository)).toEqual(["ai-models__llm-inference"]);
    expect(json.resource.aws_ecr_repository["ai-models__llm-inference"]).toMatchObject({ name: "llm-inference", lifecycle: PREVENT_DESTROY });
  });

  test("renames the outputs after the new name; they still point at the same repository", () => {
    const json = synthJson(renamed, "dev");
    expect(json.output["ai-models__llm-inference_repository_url"]).toEqual({
      description: "Push and pull address of llm-inference",
      value: "${aws_ecr_repository.ai-models__llm-inference.repository_url}",
    });
    expect(json.output["llm-inference_repository_url"]).toBeUndefined();
  });

  test("several earlier names form one chain, oldest first, because Terraform allows one source per destination", () => {
    const raw = twoEnvironments({ repositories: [{ name: "ai-models/llm", renamedFrom: ["llm", "models/llm"] }] });
    const json = synthJson(raw, "dev");
    expect(ofType(json.moved, "aws_ecr_repository")).toEqual([
      { from: "aws_ecr_repository.llm", to: "aws_ecr_repository.models__llm" },
      { from: "aws_ecr_repository.models__llm", to: "aws_ecr_repository.ai-models__llm" },
    ]);
    expect(json.resource.aws_ecr_repository["ai-models__llm"].name).toBe("llm");
  });

  test("blocks appear only in the stacks of the environments the repository is in", () => {
    const raw = twoEnvironments({ repositories: [{ name: "ab" }, { name: "ai-models/xx", renamedFrom: ["xx"], environments: ["dev"] }] });
    expect(ofType(synthJson(raw, "dev").moved, "aws_ecr_repository")).toEqual([{ from: "aws_ecr_repository.xx", to: "aws_ecr_repository.ai-models__xx" }]);
    expect(synthJson(raw, "prod").moved).toBeUndefined();
  });

  test("the registry's scan-on-push filter names the repository by its AWS name", () => {
    const raw = { ...minimalRawConfig(), repositories: [{ name: "ai-models/xx", renamedFrom: ["xx"] }, { name: "off", scanOnPush: false }] };
    expect(synthJson(raw).resource.aws_ecr_registry_scanning_configuration.registry.rule[0].repository_filter).toEqual([
      { filter: "xx", filter_type: "WILDCARD" },
    ]);
  });

  test("a stack without renames or retirements has no moved or removed blocks", () => {
    const json = synthJson(twoEnvironments(), "prod");
    expect(json.moved).toBeUndefined();
    expect(json.removed).toBeUndefined();
  });

  test("awsRepositoryName is the first earlier name, else the name", () => {
    expect(awsRepositoryName({ name: "c", renamedFrom: ["a", "b"] })).toBe("a");
    expect(awsRepositoryName({ name: "c" })).toBe("c");
  });

  test("the repository's current name is not an earlier name", () => {
    expect(problemsOf({ ...minimalRawConfig(), repositories: [{ name: "ab", renamedFrom: ["ab"] }] })).toEqual([
      "repositories[0].renamedFrom[0]: is this repository's current name; list only earlier names",
    ]);
  });

  test("an earlier name listed twice is rejected at the second occurrence", () => {
    expect(problemsOf({ ...minimalRawConfig(), repositories: [{ name: "ab", renamedFrom: ["xx", "yy", "xx"] }] })).toEqual([
      "repositories[0].renamedFrom[2]: is listed twice (also renamedFrom[0])",
    ]);
  });

  test("an earlier name that another repository still uses is rejected", () => {
    expect(problemsOf({ ...minimalRawConfig(), repositories: [{ name: "ab" }, { name: "cd", renamedFrom: ["ab"] }] })).toEqual([
      "repositories[1].renamedFrom[0]: is the name of repositories[0]; an earlier name cannot be reused while the renamed repository keeps it in AWS",
    ]);
  });

  test("two repositories claiming one earlier name is rejected", () => {
    expect(problemsOf({ ...minimalRawConfig(), repositories: [{ name: "ab", renamedFrom: ["xx"] }, { name: "cd", renamedFrom: ["xx"] }] })).toEqual([
      "repositories[1].renamedFrom[0]: is also an earlier name of repositories[0]; a name can have moved to one repository only",
    ]);
  });

  test("an earlier name that is also retired is rejected", () => {
    expect(problemsOf({ ...minimalRawConfig(), repositories: [{ name: "ab", renamedFrom: ["xx"] }], retired: ["xx"] })).toEqual([
      "repositories[0].renamedFrom[0]: is also in retired; a name is either renamed (moved) or retired (forgotten), not both",
    ]);
  });

  test("earlier names must be valid repository names, and not an empty list", () => {
    expect(problemsOf({ ...minimalRawConfig(), repositories: [{ name: "ab", renamedFrom: ["Old_Name"] }] })).toEqual([
      expect.stringMatching(/^repositories\[0\]\.renamedFrom\[0\]: must be lowercase letters and digits/),
    ]);
    expect(problemsOf({ ...minimalRawConfig(), repositories: [{ name: "ab", renamedFrom: [] }] })).toEqual([
      expect.stringMatching(/^repositories\[0\]\.renamedFrom: /),
    ]);
  });
});

describe("retired", () => {
  test("makes Terraform forget the repository without destroying it", () => {
    const json = synthJson(twoEnvironments({ repositories: [{ name: "ab" }], retired: ["ai-models/old-classifier"] }), "prod");
    expect(json.removed).toEqual(
      [
        "aws_ecr_lifecycle_policy.ai-models__old-classifier",
        "aws_ecr_repository.ai-models__old-classifier",
        "aws_ecr_repository_policy.ai-models__old-classifier",
        "aws_iam_policy.ai-models__old-classifier_pull",
        "aws_iam_policy.ai-models__old-classifier_push",
      ].map((from) => ({ from, lifecycle: { destroy: false } })),
    );
    expect(json.resource.aws_ecr_repository["ai-models__old-classifier"]).toBeUndefined();
  });

  test("blocks are sorted by address whatever the config order", () => {
    const json = synthJson(twoEnvironments({ retired: ["zz", "aa", "mm"] }), "dev");
    expect(ofType(json.removed, "aws_ecr_repository")?.map((block) => block.from)).toEqual([
      "aws_ecr_repository.aa",
      "aws_ecr_repository.mm",
      "aws_ecr_repository.zz",
    ]);
  });

  test("a repository still declared in one environment is retired only from the others", () => {
    const raw = twoEnvironments({ repositories: [{ name: "ab" }, { name: "dev-only", environments: ["dev"] }], retired: ["dev-only"] });
    expect(synthJson(raw, "dev").removed).toBeUndefined();
    expect(synthJson(raw, "dev").resource.aws_ecr_repository["dev-only"]).toBeDefined();
    expect(ofType(synthJson(raw, "prod").removed, "aws_ecr_repository")).toEqual([{ from: "aws_ecr_repository.dev-only", lifecycle: { destroy: false } }]);
    expect(resolveEnvironments(validConfig(raw)).map((e) => e.retired)).toEqual([[], ["dev-only"]]);
  });

  test("keeps the environment's KMS key, which may still encrypt the retired repository's images", () => {
    const raw = twoEnvironments({ repositories: [{ name: "ab", encryption: { type: "AES256" } }], retired: ["old"] });
    expect(synthJson(raw, "prod").resource.aws_kms_key.registry).toMatchObject({ deletion_window_in_days: 30, lifecycle: PREVENT_DESTROY });
  });

  test("a repository declared in every environment cannot be retired", () => {
    expect(problemsOf(twoEnvironments({ repositories: [{ name: "ab" }], retired: ["ab"] }))).toEqual([
      "retired[0]: is still declared in every environment (repositories[0]); retire a repository after removing it from repositories or from some of its environments",
    ]);
  });

  test("retired names must be valid repository names", () => {
    expect(problemsOf({ ...minimalRawConfig(), retired: ["Old"] })).toEqual([expect.stringMatching(/^retired\[0\]: must be lowercase letters and digits/)]);
  });

  test("defaults to an empty list", () => {
    expect(validConfig(minimalRawConfig()).retired).toEqual([]);
  });
});

describe("cdktf's HCL output", () => {
  test("carries the moved and removed blocks", () => {
    const config = validConfig(twoEnvironments({ repositories: [{ name: "ai-models/xx", renamedFrom: ["xx"] }], retired: ["gone"] }));
    const stack = new RegistryStack(Testing.app(), { config, environment: resolveEnvironments(config)[0] });
    const hcl: string = stack.toHclTerraform().hcl;
    // cdktf's HCL is unindented; `cdktf synth --hcl` leaves formatting to `terraform fmt`.
    expect(hcl).toContain("moved {\nfrom = aws_ecr_repository.xx\nto = aws_ecr_repository.ai-models__xx\n}");
    expect(hcl).toContain("\n\nremoved {\nfrom = aws_ecr_repository.gone\nlifecycle {\ndestroy = false\n}\n}");
  });
});

describe("PER_REPOSITORY_RESOURCES", () => {
  test("lists every resource whose logical id derives from a repository name", () => {
    const names = ["ai-models/llm", "vision.v2/detector", "3d/nerf"];
    const raw = twoEnvironments({ repositories: names.map((name) => ({ name })) });
    for (const environment of ["dev", "prod"]) {
      const json = synthJson(raw, environment);
      for (const [type, byId] of Object.entries(json.resource as Record<string, Record<string, unknown>>)) {
        for (const id of Object.keys(byId)) {
          const owner = names.find((name) => id.includes(repositoryId(name)));
          if (!owner) continue;
          const listed = PER_REPOSITORY_RESOURCES.map((resource) => perRepositoryAddress(resource, owner));
          expect(listed).toContain(`${type}.${id}`);
        }
      }
    }
  });
});
