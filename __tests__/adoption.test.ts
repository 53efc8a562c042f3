import { Testing, TerraformStack } from "cdktf";
import { ValidateBinaryVersion } from "cdktf/lib/validations/validate-binary-version";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { resolveEnvironments } from "../src/plan/environments";
import { diffSnapshots } from "../src/review/diff";
import { adoptedText, renderReview } from "../src/review/render";
import { reviewSnapshot } from "../src/review/snapshot";
import { RegistryStack } from "../src/stacks/registry-stack";
import { minimalRawConfig, synthJson, validConfig } from "./support/fixtures";
import { problemsOf, twoAccountConfig } from "./support/problems";

/** The seed's repository as Pulumi named it: its logical name plus a random suffix. */
const SEED = "ai_model_repository-4f1c2d3";
const KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** The seed's repository, adopted under a clean config name. */
function seed(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: "ai-model-repository", awsName: SEED, adopt: true, tagMutability: "MUTABLE", encryption: { type: "AES256" }, ...extra };
}

function withRepositories(...repositories: Array<Record<string, unknown>>): Record<string, any> {
  return twoAccountConfig({ repositories });
}

describe("import blocks", () => {
  test("an adopted repository gets an import block whose id is its name in AWS", () => {
    const json = synthJson(withRepositories(seed()));
    expect(json.import).toEqual([{ to: "aws_ecr_repository.ai-model-repository", id: SEED }]);
    expect(json.resource.aws_ecr_repository["ai-model-repository"].name).toBe(SEED);
  });

  test("without awsName the import id is the repository's name", () => {
    const json = synthJson(withRepositories({ name: "ai-models/llm", adopt: true, encryption: { type: "AES256" } }));
    expect(json.import).toEqual([{ to: "aws_ecr_repository.ai-models__llm", id: "ai-models/llm" }]);
  });

  test("a repository that is not adopted has no import block", () => {
    expect(synthJson(minimalRawConfig()).import).toBeUndefined();
    expect(synthJson(withRepositories(seed({ adopt: false }))).import).toBeUndefined();
  });

  test("adopt with a list imports only in the listed environments", () => {
    const raw = withRepositories(seed({ adopt: ["prod"] }));
    expect(synthJson(raw, "prod").import).toEqual([{ to: "aws_ecr_repository.ai-model-repository", id: SEED }]);
    expect(synthJson(raw, "dev").import).toBeUndefined();
  });

  test("one import block per adopted repository, sorted by address", () => {
    const json = synthJson(withRepositories({ name: "zz", adopt: true, encryption: { type: "AES256" } }, { name: "new-one" }, seed()));
    expect(json.import).toEqual([
      { to: "aws_ecr_repository.ai-model-repository", id: SEED },
      { to: "aws_ecr_repository.zz", id: "zz" },
    ]);
  });

  test("only the repository is imported: its policies are created, which replaces ECR's one of each", () => {
    const json = synthJson(withRepositories(seed({ consumers: [{ kind: "pull", principal: "arn:aws:iam::111111111111:role/reader" }] })));
    expect(json.import.map((block: { to: string }) => block.to)).toEqual(["aws_ecr_repository.ai-model-repository"]);
    expect(json.resource.aws_ecr_repository_policy["ai-model-repository"].repository).toBe(SEED);
    expect(json.resource.aws_ecr_lifecycle_policy["ai-model-repository"].repository).toBe("${aws_ecr_repository.ai-model-repository.name}");
  });

  test("are the JSON cdktf's importFrom emits for the same resource", () => {
    const stack = new TerraformStack(Testing.app(), "reference");
    new EcrRepository(stack, "repository", { name: SEED }).overrideLogicalId("ai-model-repository");
    (stack.node.findChild("repository") as EcrRepository).importFrom(SEED);
    expect(synthJson(withRepositories(seed())).import).toEqual(JSON.parse(Testing.synth(stack)).import);
  });

  test("need no terraform binary at synth, unlike cdktf's importFrom, whose validation runs `terraform version`", () => {
    const config = validConfig(withRepositories(seed()));
    const reference = new TerraformStack(Testing.app(), "reference");
    new AwsProvider(reference, "aws", { region: "us-east-1" });
    new EcrRepository(reference, "repository", { name: SEED }).importFrom(SEED);
    const binaryChecks = jest.spyOn(ValidateBinaryVersion.prototype, "validate").mockReturnValue([]);
    try {
      Testing.synth(new RegistryStack(Testing.app(), { config, environment: resolveEnvironments(config)[0] }), true);
      expect(binaryChecks).not.toHaveBeenCalled();
      Testing.synth(reference, true);
      expect(binaryChecks.mock.instances.map((check) => (check as unknown as { versionCommand: string }).versionCommand)).toEqual(["terraform version"]);
    } finally {
      binaryChecks.mockRestore();
    }
  });

  test("appear in cdktf's HCL output", () => {
    const config = validConfig(withRepositories(seed()));
    const stack = new RegistryStack(Testing.app(), { config, environment: resolveEnvironments(config)[0] });
    // cdktf's HCL is unindented; `cdktf synth --hcl` leaves formatting to `terraform fmt`.
    expect(stack.toHclTerraform().hcl).toContain(`import {\nto = aws_ecr_repository.ai-model-repository\nid = "${SEED}"\n}`);
  });
});

describe("prevent_destroy", () => {
  test("an adopted repository gets prevent_destroy in an unprotected environment", () => {
    const json = synthJson(withRepositories(seed()), "dev");
    expect(json.resource.aws_ecr_repository["ai-model-repository"]).toMatchObject({ force_delete: false, lifecycle: { prevent_destroy: true } });
  });

  test("a repository adopted only in prod is created in dev like any other, without prevent_destroy there", () => {
    const raw = withRepositories(seed({ adopt: ["prod"] }));
    expect(synthJson(raw, "dev").resource.aws_ecr_repository["ai-model-repository"].lifecycle).toBeUndefined();
    expect(synthJson(raw, "prod").resource.aws_ecr_repository["ai-model-repository"].lifecycle).toEqual({ prevent_destroy: true });
  });
});

describe("encryption of an adopted repository", () => {
  test("must be stated", () => {
    expect(problemsOf(withRepositories(seed({ encryption: undefined })))).toEqual([
      "repositories[0].encryption: is required with adopt: state the existing repository's encryption (type: AES256, or type: KMS with its kmsKeyArn) as aws ecr describe-repositories shows it (encryptionConfiguration); encryption cannot change in place, so any other value would make Terraform replace the repository",
    ]);
  });

  test("with type KMS names the existing key", () => {
    expect(problemsOf(withRepositories(seed({ encryption: { type: "KMS" } })))).toEqual([
      "repositories[0].encryption.kmsKeyArn: is required with adopt and type KMS: the existing repository's key, as aws ecr describe-repositories shows it (encryptionConfiguration); the environment's managed key is created by this stack, so the repository cannot already use it",
    ]);
  });

  test("is also required when adopted in some environments only", () => {
    expect(problemsOf(withRepositories(seed({ adopt: ["dev"], encryption: undefined })))).toEqual([expect.stringMatching(/^repositories\[0\]\.encryption: is required with adopt/)]);
  });

  test("with a key is written as stated, and no managed key is created for it", () => {
    const json = synthJson(withRepositories(seed({ encryption: { type: "KMS", kmsKeyArn: KEY } })));
    expect(json.resource.aws_ecr_repository["ai-model-repository"].encryption_configuration).toEqual([{ encryption_type: "KMS", kms_key: KEY }]);
    expect(json.resource.aws_kms_key).toBeUndefined();
  });

  test("is not required when adopt is false, and defaults to the environment's key", () => {
    const config = validConfig(withRepositories(seed({ adopt: false, encryption: undefined })));
    expect(config.repositories[0].encryption).toEqual({ type: "KMS" });
  });
});

describe("adopt", () => {
  test("defaults to false", () => {
    expect(validConfig(minimalRawConfig()).repositories[0].adopt).toBe(false);
  });

  test("naming an environment the repository is not declared in is rejected", () => {
    expect(problemsOf(withRepositories(seed({ environments: ["dev"], adopt: ["prod"] })))).toEqual([
      `repositories[0].adopt[0]: environment "prod" is not one of this repository's environments (dev); it can only be adopted where it is declared`,
    ]);
  });

  test("an empty list is rejected", () => {
    expect(problemsOf(withRepositories(seed({ adopt: [] })))).toEqual([
      "repositories[0].adopt: name at least one environment, or write adopt: true for all of them",
    ]);
  });

  test("an environment listed twice is rejected", () => {
    expect(problemsOf(withRepositories(seed({ adopt: ["dev", "dev"] })))).toEqual(['repositories[0].adopt[1]: duplicate environment "dev" (same as index 0)']);
  });
});

describe("after the first apply", () => {
  // Terraform skips an import block whose address is already in state (docs/adopting.md), so
  // both choices leave the repository as it is; these tests pin what each synthesizes.
  test("keeping adopt keeps the import block and prevent_destroy, and nothing else differs from a repository that is not adopted", () => {
    const adopted = synthJson(withRepositories(seed()));
    const declared = synthJson(withRepositories(seed({ adopt: false })));
    expect(adopted.import).toHaveLength(1);
    const { lifecycle, ...repository } = adopted.resource.aws_ecr_repository["ai-model-repository"];
    expect(lifecycle).toEqual({ prevent_destroy: true });
    expect(repository).toEqual(declared.resource.aws_ecr_repository["ai-model-repository"]);
    expect({ ...adopted, import: undefined, resource: undefined }).toEqual({ ...declared, import: undefined, resource: undefined });
  });

  test("removing adopt (keeping encryption) leaves every address and argument as it was, so Terraform plans no change to the repository", () => {
    const before = synthJson(withRepositories(seed()));
    const after = synthJson(withRepositories(seed({ adopt: undefined })));
    expect(after.import).toBeUndefined();
    delete before.resource.aws_ecr_repository["ai-model-repository"].lifecycle;
    expect(after.resource).toEqual(before.resource);
  });

  test("removing adopt in a protected environment keeps prevent_destroy", () => {
    const after = synthJson(withRepositories(seed({ adopt: undefined })), "prod");
    expect(after.resource.aws_ecr_repository["ai-model-repository"].lifecycle).toEqual({ prevent_destroy: true });
  });
});

describe("awsName", () => {
  const READER = "arn:aws:iam::111111111111:role/reader";

  test("every resource addresses the repository by awsName; logical ids and outputs derive from name", () => {
    const json = synthJson({ ...withRepositories(seed({ consumers: [{ kind: "pull", principal: READER }] })), identityPolicies: true });
    expect(json.resource.aws_ecr_repository["ai-model-repository"].name).toBe(SEED);
    expect(json.resource.aws_ecr_repository_policy["ai-model-repository"].repository).toBe(SEED);
    const identity = JSON.parse(json.resource.aws_iam_policy["ai-model-repository_pull"].policy);
    expect(identity.Statement.flatMap((s: { Resource: string | string[] }) => [s.Resource].flat())).toContain(
      `arn:aws:ecr:us-east-1:111111111111:repository/${SEED}`,
    );
    expect(json.resource.aws_iam_policy["ai-model-repository_pull"].name).toBe(`model-registry-dev-${SEED}-pull`);
    expect(Object.keys(json.output)).toEqual(expect.arrayContaining(["ai-model-repository_repository_url", "ai-model-repository_repository_arn"]));
    expect(json.output["ai-model-repository_repository_url"].description).toContain(SEED);
  });

  test("scan-on-push filters match awsName", () => {
    const json = synthJson(withRepositories(seed({ adopt: false }), { name: "unscanned", scanOnPush: false }));
    const rules = json.resource.aws_ecr_registry_scanning_configuration.registry.rule;
    expect(rules.flatMap((r: { repository_filter: Array<{ filter: string }> }) => r.repository_filter.map((f) => f.filter))).toEqual([SEED]);
  });

  test("wins over renamedFrom, whose moved blocks still move the Terraform addresses", () => {
    const json = synthJson(withRepositories(seed({ name: "ai-models/base", renamedFrom: ["ai-model-repository"] })));
    expect(json.resource.aws_ecr_repository["ai-models__base"].name).toBe(SEED);
    expect(json.moved).toContainEqual({ from: "aws_ecr_repository.ai-model-repository", to: "aws_ecr_repository.ai-models__base" });
    expect(json.import).toEqual([{ to: "aws_ecr_repository.ai-models__base", id: SEED }]);
  });

  test("without awsName a renamed repository keeps its first earlier name in AWS", () => {
    const json = synthJson(withRepositories({ name: "ai-models/base", renamedFrom: ["base", "models/base"] }));
    expect(json.resource.aws_ecr_repository["ai-models__base"].name).toBe("base");
  });

  test("that breaks ECR's naming rule is rejected by path", () => {
    expect(problemsOf(withRepositories(seed({ awsName: "AI_Model_Repository" })))).toEqual([
      "repositories[0].awsName: must be lowercase letters and digits, with single '.', '_' or '-' separators and '/' between path segments (e.g. ai-models/llm-serving)",
    ]);
  });

  test("shared by two repositories is rejected at the second", () => {
    expect(problemsOf(withRepositories(seed(), seed({ name: "other" })))).toEqual([
      `repositories[1].awsName: "${SEED}" is also the name in AWS of repositories[0] (ai-model-repository); two repositories cannot manage one ECR repository`,
    ]);
  });

  test("equal to another repository's name is rejected at the awsName", () => {
    expect(problemsOf(withRepositories({ name: "ai-models/llm" }, seed({ awsName: "ai-models/llm" })))).toEqual([
      `repositories[1].awsName: "ai-models/llm" is also the name in AWS of repositories[0] (ai-models/llm); two repositories cannot manage one ECR repository`,
    ]);
    expect(problemsOf(withRepositories(seed({ awsName: "ai-models/llm" }), { name: "ai-models/llm" }))).toEqual([
      `repositories[0].awsName: "ai-models/llm" is also the name in AWS of repositories[1] (ai-models/llm); two repositories cannot manage one ECR repository`,
    ]);
  });

  test("equal to another repository's name in AWS through renamedFrom is rejected", () => {
    expect(problemsOf(withRepositories({ name: "ai-models/llm", renamedFrom: ["llm"] }, seed({ awsName: "llm" })))).toEqual([
      `repositories[1].awsName: "llm" is also the name in AWS of repositories[0] (ai-models/llm); two repositories cannot manage one ECR repository`,
    ]);
  });

  test("equal to the repository's own name is allowed and changes nothing", () => {
    expect(synthJson(withRepositories({ name: "ai-models/llm", awsName: "ai-models/llm" }))).toEqual(synthJson(withRepositories({ name: "ai-models/llm" })));
  });
});

describe("review report", () => {
  const READER = "arn:aws:iam::111111111111:role/reader";
  const base = () => ({ ...minimalRawConfig(), repositories: [{ name: "ai-models/llm" }] });
  const head = (adopted: Record<string, unknown>) => ({ ...base(), repositories: [{ name: "ai-models/llm" }, adopted] });
  const changes = (baseRaw: Record<string, any>, headRaw: Record<string, any>) =>
    diffSnapshots(reviewSnapshot(validConfig(baseRaw)), reviewSnapshot(validConfig(headRaw))).repositories;

  test("shows a new adopted repository as adopted, with the policies the apply replaces, not as added", () => {
    const headRaw = head(seed({ consumers: [{ kind: "pull", principal: READER }] }));
    expect(changes(base(), headRaw)).toEqual([
      {
        environment: "dev",
        repository: "ai-model-repository",
        awsName: "ai_model_repository-4f1c2d3",
        change: "adopted",
        adoption: { replacesRepositoryPolicy: true, replacesLifecyclePolicy: true },
        destructive: false,
      },
    ]);
    const report = renderReview(reviewSnapshot(validConfig(headRaw)), { label: "origin/main", diff: diffSnapshots(reviewSnapshot(validConfig(base())), reviewSnapshot(validConfig(headRaw))) });
    expect(report).toContain(
      "| dev | `ai-model-repository` (AWS: `ai_model_repository-4f1c2d3`) | adopted (imported): Terraform imports the existing repository instead of creating it; on apply its repository policy and lifecycle policy in AWS are **replaced** by this config's (ECR keeps one of each per repository) |",
    );
  });

  test("says which existing policies are left as they are when the config declares none", () => {
    const [change] = changes(base(), head(seed({ lifecycle: { enabled: false } })));
    expect(change.adoption).toEqual({ replacesRepositoryPolicy: false, replacesLifecyclePolicy: false });
    expect(adoptedText(change.adoption!)).toBe(
      "adopted (imported): Terraform imports the existing repository instead of creating it; its repository policy and lifecycle policy in AWS are left as they are (this config declares none)",
    );
    expect(adoptedText({ replacesRepositoryPolicy: false, replacesLifecyclePolicy: true })).toBe(
      "adopted (imported): Terraform imports the existing repository instead of creating it; on apply its lifecycle policy in AWS is **replaced** by this config's (ECR keeps one of each per repository); its repository policy in AWS is left as it is (this config declares none)",
    );
  });

  test("shows a declared repository that becomes adopted as adopted", () => {
    expect(changes(head(seed({ adopt: false })), head(seed())).map((c) => [c.repository, c.change])).toEqual([["ai-model-repository", "adopted"]]);
  });

  test("shows nothing for a repository adopted on both sides, nor for one whose adopt is removed", () => {
    expect(changes(head(seed()), head(seed()))).toEqual([]);
    expect(changes(head(seed()), head(seed({ adopt: undefined })))).toEqual([]);
  });

  test("shows a repository adopted only in prod as adopted there and added in dev", () => {
    const twoEnvironments = (repositories: unknown[]) => ({ ...twoAccountConfig(), repositories });
    expect(changes(twoEnvironments([{ name: "ai-models/llm" }]), twoEnvironments([{ name: "ai-models/llm" }, seed({ adopt: ["prod"] })])).map((c) => [c.environment, c.change])).toEqual([
      ["dev", "added"],
      ["prod", "adopted"],
    ]);
  });
});
