import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { Testing } from "cdktf";
import { parseConfig } from "../src/checks";
import { resolveEnvironments } from "../src/plan/environments";
import { diffSnapshots } from "../src/review/diff";
import { renderReview } from "../src/review/render";
import { reviewSnapshot } from "../src/review/snapshot";
import { RegistryStack } from "../src/stacks/registry-stack";
import { synthSummary } from "../src/commands/synth";
import { PROJECT_ROOT, minimalRawConfig, runMainInProcess, synthJson, tempDir, writeConfig } from "./support/fixtures";
import { problemsOf } from "./support/problems";

const PAGE = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "adopting.md"), "utf8");
const blocks = (language: string) => [...PAGE.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);

/** `# registry.yaml excerpt` blocks: top-level keys to put over a minimal config. */
const excerpts = blocks("yaml").filter((text) => text.startsWith("# registry.yaml excerpt\n"));
/** The one complete `# registry.yaml`: the Pulumi migration's config. */
const migration = blocks("yaml").find((text) => text.startsWith("# registry.yaml\n"))!;
const overMinimal = (text: string) => ({ ...minimalRawConfig(), accountId: "123456789012", ...parse(text) });

describe("docs/adopting.md", () => {
  test("is linked from the README", () => {
    expect(fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8")).toContain("](docs/adopting.md)");
  });

  test("has both sections the README links to", () => {
    expect(PAGE).toContain("\n## Adopting existing repositories\n");
    expect(PAGE).toContain("\n## Migrating from the Pulumi example\n");
  });

  test.each(excerpts.map((text) => [parse(text).repositories[0].name, text]))("the excerpt declaring %s is a valid config", (_name, text) => {
    expect(() => parseConfig(stringify(overMinimal(text)), "docs/adopting.md")).not.toThrow();
  });

  test("its import block, in JSON and in HCL, is what synth writes for the first excerpt", () => {
    const raw = overMinimal(excerpts[0]);
    const json = JSON.parse(`{${blocks("json").find((text) => text.startsWith('"import"'))}}`);
    expect(synthJson(raw).import).toEqual(json.import);
    const config = parseConfig(stringify(raw), "docs/adopting.md");
    const stack = new RegistryStack(Testing.app(), { config, environment: resolveEnvironments(config)[0] });
    expect(stack.toHclTerraform().hcl).toContain(blocks("hcl")[0].trim());
  });

  test("its error for a missing encryption is what synth prints", () => {
    const raw = overMinimal(excerpts[0]);
    delete raw.repositories[0].encryption;
    const shown = PAGE.split("\n").find((line) => line.startsWith("  repositories[0].encryption: "))!.trim();
    expect(problemsOf(raw)).toEqual([shown]);
  });

  describe("the Pulumi migration's config", () => {
    let outdir: string;
    let stack: any;
    let summary: string;
    beforeAll(() => {
      const dir = tempDir();
      outdir = path.join(dir, "cdktf.out");
      const result = runMainInProcess(dir, { REGISTRY_CONFIG: writeConfig(dir, migration), CDKTF_OUTDIR: outdir });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      // Synth prints its summary only outside the cdktf CLI, which sets CDKTF_OUTDIR as this test does.
      summary = synthSummary(parseConfig(migration, "registry.yaml"), outdir, dir);
      stack = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "model-registry-prod", "cdk.tf.json"), "utf8"));
    });

    test("synthesizes (guardrails included) with one import block for the seed's repository, which the summary counts as adopted", () => {
      expect(stack.import).toEqual([{ id: "ai_model_repository-4f1c2d3", to: "aws_ecr_repository.ai-model-repository" }]);
      const shown = PAGE.split("\n").find((line) => line.startsWith("  model-registry-prod "))!;
      expect(summary).toContain(`\n${shown}\n`);
    });

    test("declares exactly the resources the page's plan summary counts: the imported repository and three to add", () => {
      const addresses = Object.entries(stack.resource as Record<string, object>).flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`));
      expect(addresses.sort()).toEqual([
        "aws_ecr_account_setting.basic_scan_type_version",
        "aws_ecr_lifecycle_policy.ai-model-repository",
        "aws_ecr_registry_scanning_configuration.registry",
        "aws_ecr_repository.ai-model-repository",
      ]);
      expect(PAGE).toContain("Plan: 1 to import, 3 to add, 1 to change, 0 to destroy.");
      for (const address of addresses) expect(PAGE).toContain(`\`${address}\``);
    });

    test("states the seed's settings, so the import changes none of them", () => {
      expect(stack.resource.aws_ecr_repository["ai-model-repository"]).toMatchObject({
        name: "ai_model_repository-4f1c2d3",
        image_tag_mutability: "MUTABLE",
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: "AES256" }],
        tags: { Purpose: "AI Model Storage" },
        lifecycle: { prevent_destroy: true },
      });
    });

    test("is reported by the review as the page shows, against a base without a registry", () => {
      const head = reviewSnapshot(parseConfig(migration, "registry.yaml"));
      const report = renderReview(head, { label: "origin/main", diff: diffSnapshots(undefined, head), missingConfig: "registry.yaml" });
      const row = PAGE.split("\n").find((line) => line.startsWith("| prod | `ai-model-repository` (AWS: `ai_model_repository-4f1c2d3`) | adopted (imported)"))!;
      expect(report).toContain(`\n${row}\n`);
    });
  });
});
