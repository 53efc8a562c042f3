import * as fs from "fs";
import * as path from "path";
import { buildApp } from "../src/stacks/app";
import { parseReference, referencesIn, templateParts } from "../src/synthesized/expressions";
import { readSynthesizedApp } from "../src/synthesized/read";
import { parseStack } from "../src/synthesized/stack";
import { DEFAULT_CONFIG_PATH } from "../src/config/load";
import { loadConfig } from "../src/checks";
import { minimalRawConfig, tempDir, validConfig } from "./support/fixtures";

const STACK_JSON = {
  "//": { metadata: { stackName: "demo" } },
  terraform: {
    backend: { s3: { bucket: "b", key: "k", region: "us-east-1" } },
    required_providers: { aws: { source: "aws", version: "6.25.0" } },
  },
  provider: { aws: [{ region: "eu-west-1" }, { alias: "replica", region: "eu-central-1" }] },
  resource: {
    aws_kms_key: { registry: { description: "k", lifecycle: { prevent_destroy: true } } },
    aws_ecr_repository: { b: { name: "b" }, a: { name: "a" } },
  },
  data: { aws_caller_identity: { current: {} } },
  output: {
    z_url: { value: "${aws_ecr_repository.a.repository_url}", description: "URL of a" },
    a_secret: { value: "${aws_kms_key.registry.arn}", sensitive: true },
  },
  moved: [{ from: "aws_ecr_repository.old", to: "aws_ecr_repository.a" }],
  removed: [{ from: "aws_ecr_repository.gone", lifecycle: { destroy: false } }],
};

describe("a synthesized stack", () => {
  const stack = parseStack("demo", JSON.stringify(STACK_JSON));

  test("lists resources by address, with their arguments and prevent_destroy", () => {
    expect(stack.resources.map((r) => [r.address, r.preventDestroy])).toEqual([
      ["aws_ecr_repository.a", false],
      ["aws_ecr_repository.b", false],
      ["aws_kms_key.registry", true],
    ]);
    expect(stack.resources[0]).toEqual({
      mode: "managed",
      type: "aws_ecr_repository",
      name: "a",
      address: "aws_ecr_repository.a",
      config: { name: "a" },
      preventDestroy: false,
    });
  });

  test("lists data sources apart, addressed with data.", () => {
    expect(stack.dataSources.map((d) => [d.mode, d.address])).toEqual([["data", "data.aws_caller_identity.current"]]);
  });

  test("lists outputs by name with description and sensitivity", () => {
    expect(stack.outputs).toEqual([
      { name: "a_secret", value: "${aws_kms_key.registry.arn}", description: undefined, sensitive: true },
      { name: "z_url", value: "${aws_ecr_repository.a.repository_url}", description: "URL of a", sensitive: false },
    ]);
  });

  test("reads the backend, providers with aliases, required providers and moves", () => {
    expect(stack.backend).toEqual({ type: "s3", settings: { bucket: "b", key: "k", region: "us-east-1" } });
    expect(stack.providers.map((p) => [p.name, p.alias, p.config.region])).toEqual([
      ["aws", undefined, "eu-west-1"],
      ["aws", "replica", "eu-central-1"],
    ]);
    expect(stack.requiredProviders).toEqual([{ name: "aws", source: "aws", version: "6.25.0" }]);
    expect(stack.moves).toEqual([{ from: "aws_ecr_repository.old", to: "aws_ecr_repository.a" }]);
  });

  test("reads removed blocks and whether they destroy", () => {
    expect(stack.removals).toEqual([{ from: "aws_ecr_repository.gone", destroy: false }]);
  });

  test("keeps the exact text it was read from", () => {
    expect(stack.text).toBe(JSON.stringify(STACK_JSON));
  });

  test("reads an HCP Terraform cloud block as the backend and no backend as local state", () => {
    const cloud = parseStack("c", JSON.stringify({ terraform: { cloud: { organization: "acme", workspaces: { name: "w" } } } }));
    expect(cloud.backend).toEqual({ type: "cloud", settings: { organization: "acme", workspaces: { name: "w" } } });
    expect(parseStack("l", "{}").backend).toBeUndefined();
  });
});

describe("template expressions", () => {
  test("split into literal text and interpolations, with $${ as a literal", () => {
    expect(templateParts("${aws_ecr_pull_through_cache_rule.hub.registry_id}.dkr.ecr.us-east-1.amazonaws.com/hub")).toEqual([
      { expression: "aws_ecr_pull_through_cache_rule.hub.registry_id" },
      { literal: ".dkr.ecr.us-east-1.amazonaws.com/hub" },
    ]);
    expect(templateParts("a $${b} c")).toEqual([{ literal: "a ${b} c" }]);
  });

  test("keep nested braces and strings inside one interpolation", () => {
    expect(templateParts('x${jsonencode({ a = "}" })}y')).toEqual([{ literal: "x" }, { expression: 'jsonencode({ a = "}" })' }, { literal: "y" }]);
  });

  test("recognize resource and data source attribute references, and nothing else", () => {
    expect(parseReference("aws_ecr_repository.ai-models__llm.repository_url")).toEqual({
      mode: "managed",
      type: "aws_ecr_repository",
      name: "ai-models__llm",
      attribute: "repository_url",
    });
    expect(parseReference("data.aws_caller_identity.current.account_id")).toEqual({
      mode: "data",
      type: "aws_caller_identity",
      name: "current",
      attribute: "account_id",
    });
    expect(parseReference("var.region")).toBeUndefined();
    expect(parseReference("local.tags.team")).toBeUndefined();
    expect(parseReference("jsonencode(aws_kms_key.k.arn)")).toBeUndefined();
  });

  test("references are found anywhere inside a value", () => {
    const value = { list: ["${aws_kms_key.k.arn}", "plain"], nested: { text: "pre-${aws_sns_topic.t.arn}" } };
    expect(referencesIn(value).map((r) => `${r.type}.${r.name}.${r.attribute}`)).toEqual(["aws_kms_key.k.arn", "aws_sns_topic.t.arn"]);
  });
});

describe("reading a synth output folder", () => {
  test("gives every stack of the manifest, sorted by name, exactly as written", () => {
    const dir = tempDir();
    const raw = { ...minimalRawConfig(), environments: [{ name: "prod", region: "us-west-2" }, { name: "dev" }] };
    buildApp(validConfig(raw), { outdir: dir }).synth();
    const app = readSynthesizedApp(dir);
    expect(app.stacks.map((s) => s.name)).toEqual(["model-registry-dev", "model-registry-prod", "model-registry-state"]);
    expect(app.stacks[1].text).toBe(fs.readFileSync(path.join(dir, "stacks/model-registry-prod/cdk.tf.json"), "utf8"));
    expect(app.stacks[1].backend?.settings.key).toBe("model-registry/prod/terraform.tfstate");
  });

  test("refuses HCL output and a folder without a manifest, saying what to run", () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, "manifest.json"),
      JSON.stringify({ stacks: { s: { name: "s", synthesizedStackPath: "stacks/s/cdk.tf", workingDirectory: "stacks/s" } } }),
    );
    expect(() => readSynthesizedApp(dir)).toThrow(`${dir} holds HCL (stacks/s/cdk.tf); these readers need Terraform JSON from npm run synth`);
    const empty = tempDir();
    expect(() => readSynthesizedApp(empty)).toThrow(`${path.join(empty, "manifest.json")} does not exist; run npm run synth first`);
  });
});

describe("the default config's stacks", () => {
  const outdir = tempDir();
  buildApp(loadConfig(DEFAULT_CONFIG_PATH), { outdir }).synth();
  const stacks = readSynthesizedApp(outdir).stacks;

  // Terraform refuses an interpolation there ("A single static variable reference is required"); found by the e2e.
  test("name each depends_on entry by its bare address", () => {
    const entries = stacks.flatMap((s) => s.resources.flatMap((r) => ((r.config.depends_on as string[] | undefined) ?? []).map((d) => `${r.address} -> ${d}`)));
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((e) => !/ -> (data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+$/.test(e))).toEqual([]);
  });
});
