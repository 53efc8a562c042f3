import * as fs from "fs";
import * as path from "path";
import { App, TerraformElement, TerraformOutput, TerraformResource, TerraformStack } from "cdktf";
import { parse, stringify } from "yaml";
import { generateConfig, generatedRepositoryName } from "../bench/generate";
import { AWS_NAME_LIMITS, TERRAFORM_IDENTIFIER, scaleProblems } from "../bench/scale-check";
import { buildApp } from "../src/stacks/app";
import { DEFAULT_CONFIG_PATH } from "../src/config/load";
import { parseConfig } from "../src/checks";
import { RegistryConfig } from "../src/config/schema";
import { repositoryId } from "../src/naming";
import { minimalRawConfig, tempDir, validConfig } from "./support/fixtures";
import { PUSH } from "./support/ecr-actions";

/** Synthesizes a config into a fresh folder, returning the app and the folder. */
function synthesize(config: RegistryConfig): { app: App; outdir: string } {
  const outdir = path.join(tempDir(), "cdktf.out");
  const app = buildApp(config, { outdir });
  app.synth();
  return { app, outdir };
}

function stackJson(outdir: string, stack: string): any {
  return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
}

describe("a generated config with 200 repositories", () => {
  // One validation and one synth (about a second), shared by the tests below.
  let generated: { config: RegistryConfig; app: App; outdir: string } | undefined;
  const result = () => {
    if (!generated) {
      const config = parseConfig(stringify(generateConfig(200)), "registry-200.yaml");
      generated = { config, ...synthesize(config) };
    }
    return generated;
  };

  test("is valid: it goes through the YAML parser and every schema rule", () => {
    const { config } = result();
    expect(config.repositories).toHaveLength(200);
    expect(config.repositories.filter((r) => r.consumers).length).toBe(200);
    expect(config.repositories.filter((r) => r.lifecycle).length).toBe(40);
  });

  test("gives every repository its resources and outputs under names of its own, within Terraform's and AWS's limits", () => {
    const { config, outdir } = result();
    expect(scaleProblems(config, outdir)).toEqual([]);
    const dev = stackJson(outdir, "model-registry-dev");
    const prod = stackJson(outdir, "model-registry-prod");
    const devOnly = config.repositories.filter((r) => r.environments).length;
    expect(Object.keys(dev.resource.aws_ecr_repository)).toHaveLength(200);
    expect(Object.keys(prod.resource.aws_ecr_repository)).toHaveLength(200 - devOnly);
    expect(Object.keys(dev.resource.aws_ecr_repository_policy)).toHaveLength(200);
    expect(Object.keys(dev.resource.aws_ecr_lifecycle_policy)).toHaveLength(200);
    // dev: the model's trainer pushes and the ECS task role pulls, both in dev's account; prod: the serving roles pull.
    expect(Object.keys(dev.resource.aws_iam_policy)).toHaveLength(400);
    expect(Object.keys(prod.resource.aws_iam_policy)).toHaveLength(200 - devOnly);
    expect(Object.keys(dev.output)).toHaveLength(200 * 3 + 400);
  });

  test("writes one repository's own settings into its resources", () => {
    const { outdir } = result();
    const id = repositoryId(generatedRepositoryName(15));
    expect(id).toBe("models__team-05__model-0015");
    const dev = stackJson(outdir, "model-registry-dev");
    expect(dev.resource.aws_ecr_repository[id].name).toBe("models/team-05/model-0015");
    expect(JSON.parse(dev.resource.aws_ecr_repository_policy[id].policy).Statement[0]).toEqual({
      Sid: "Push",
      Effect: "Allow",
      Principal: { AWS: ["arn:aws:iam::111111111111:role/team-05/model-15-trainer", "arn:aws:iam::999999999999:role/github-actions/model-image-publisher"] },
      Action: PUSH,
    });
    const lifecycle = JSON.parse(dev.resource.aws_ecr_lifecycle_policy[id].policy).rules;
    expect(lifecycle.map((rule: { selection: { tagPatternList?: string[]; tagPrefixList?: string[]; tagStatus: string } }) => rule.selection.tagPatternList ?? rule.selection.tagPrefixList ?? rule.selection.tagStatus)).toEqual([
      ["prod-*"],
      ["team-05-release-*"],
      "untagged",
      ["v*"],
      ["build-", "ci-"],
    ]);
    expect(dev.resource.aws_iam_policy[`${id}_push`].name).toBe("model-registry-dev-models__team-05__model-0015-push");
  });

  test("maps every resource and output construct to an entry of its own (cdktf would merge two with one logical id)", () => {
    const { app, outdir } = result();
    for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
      const json = stackJson(outdir, stack.node.id);
      const elements = stack.node.findAll().filter(TerraformElement.isTerraformElement);
      const resources = elements.filter((e) => TerraformResource.isTerraformResource(e));
      const entries = [...Object.values(json.resource ?? {}), ...Object.values(json.data ?? {})].reduce((n: number, byId) => n + Object.keys(byId as object).length, 0);
      expect(entries).toBe(resources.length);
      expect(Object.keys(json.output ?? {})).toHaveLength(elements.filter((e) => TerraformOutput.isTerraformOutput(e)).length);
    }
  });
});

describe("repository names at ECR's 256-character limit", () => {
  // Two names that differ only in their last characters: ids, outputs and IAM policy names must stay distinct.
  const long = (suffix: string) => `models/${"a".repeat(256 - "models/".length - "/v".length - suffix.length)}/v${suffix}`;
  const raw = {
    ...minimalRawConfig(),
    environments: [{ name: "development-environment", accountId: "111111111111" }],
    identityPolicies: true,
    consumers: [{ kind: "push", principal: "arn:aws:iam::111111111111:role/ci" }],
    repositories: [{ name: long("1") }, { name: long("2") }],
  };

  test("keep their own logical ids, outputs and IAM policy names, within Terraform's and AWS's limits", () => {
    const config = validConfig(raw);
    expect(config.repositories.map((r) => r.name.length)).toEqual([256, 256]);
    const { outdir } = synthesize(config);
    expect(scaleProblems(config, outdir)).toEqual([]);
    const names = Object.values(stackJson(outdir, "model-registry-development-environment").resource.aws_iam_policy).map((p: any) => p.name as string);
    expect(new Set(names).size).toBe(2);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(128);
  });

  test("are what the checks measure: a longer IAM name or a bad identifier is reported", () => {
    expect(TERRAFORM_IDENTIFIER.test("models__a_push")).toBe(true);
    expect(TERRAFORM_IDENTIFIER.test("1models")).toBe(false);
    expect(AWS_NAME_LIMITS.aws_iam_policy.max).toBe(128);
    const config = validConfig(raw);
    const { outdir } = synthesize(config);
    const file = path.join(outdir, "stacks/model-registry-development-environment/cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    const [first] = Object.keys(json.resource.aws_iam_policy);
    json.resource.aws_iam_policy[first].name = "x".repeat(129);
    json.output["1bad"] = json.output[Object.keys(json.output)[0]];
    fs.writeFileSync(file, JSON.stringify(json));
    expect(scaleProblems(config, outdir)).toEqual([
      expect.stringMatching(/aws_iam_policy\.\S+ name "x{129}" \(129 characters\) breaks AWS's limit of 128/),
      "model-registry-development-environment: output 1bad is not a Terraform identifier",
    ]);
  });
});

/** Runs cdktf's own prepareStack (the preparing resolve that registers cross-stack references) on each stack and expects no change. */
function expectPreparingAddsNothing(stacks: readonly TerraformStack[]): void {
  for (const stack of stacks) {
    const before = { constructs: stack.node.findAll().length, json: JSON.stringify(stack.toTerraform()) };
    TerraformStack.prototype.prepareStack.call(stack);
    expect(stack.node.findAll().length).toBe(before.constructs);
    expect(stack.dependencies).toEqual([]);
    expect(JSON.stringify(stack.toTerraform())).toBe(before.json);
  }
}

describe("cdktf's preparing pass", () => {
  test("adds nothing to this project's stacks, so they can skip it (src/stacks/self-contained-stack.ts)", () => {
    const raw = parse(fs.readFileSync(DEFAULT_CONFIG_PATH, "utf8"));
    raw.repositories.push(...(generateConfig(5).repositories as unknown[]));
    raw.repositoryCreationTemplates = [{ prefix: "ecr-public", appliedFor: ["PULL_THROUGH_CACHE"] }];
    const app = buildApp(validConfig(raw), { outdir: tempDir() });
    const stacks = app.node.findAll().filter(TerraformStack.isStack);
    expect(stacks.map((s) => s.node.id)).toEqual(["model-registry-state", "model-registry-dev", "model-registry-prod"]);
    expectPreparingAddsNothing(stacks);
  });

  test("adds nothing to repository group stacks either, which find the managed key by alias (docs/stack-groups.md)", () => {
    const raw = parse(fs.readFileSync(DEFAULT_CONFIG_PATH, "utf8"));
    raw.repositories.push(...(generateConfig(5).repositories as Array<Record<string, unknown>>).map((repo) => ({ ...repo, group: "generated" })));
    const app = buildApp(validConfig(raw), { outdir: tempDir() });
    const groups = app.node.findAll().filter(TerraformStack.isStack).filter((s) => s.node.id.endsWith("-generated"));
    expect(groups.map((s) => s.node.id)).toEqual(["model-registry-dev-generated", "model-registry-prod-generated"]);
    expectPreparingAddsNothing(groups);
  });
});
