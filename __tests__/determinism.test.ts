import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { PassThrough } from "stream";
import { synthCommand } from "../src/commands/synth";
import { PROJECT_ROOT, runMain, snapshotFolder, tempDir, writeConfig } from "./support/fixtures";

/** The default registry.yaml plus a rename and a retirement, so every kind of block is in the output. */
function fullConfig(): Record<string, any> {
  const raw = parse(fs.readFileSync(path.join(PROJECT_ROOT, "registry.yaml"), "utf8"));
  raw.repositories.push({ name: "ai-models/speech-to-text", renamedFrom: ["asr", "speech/asr"], tags: { ModelFamily: "speech", Owner: "audio" } });
  raw.retired = ["ai-models/old-classifier", "ai-models/legacy-ocr"];
  raw.environments[0].protected = false;
  return raw;
}

/** The same config with every mapping's keys in reverse order and every list whose order carries no meaning reversed. */
function reordered(raw: Record<string, any>): Record<string, any> {
  const reverseKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reverseKeys);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, inner]) => [key, reverseKeys(inner)]),
    );
  };
  const copy = reverseKeys(structuredClone(raw)) as Record<string, any>;
  copy.environments.reverse();
  copy.repositories.reverse();
  copy.retired.reverse();
  for (const repo of copy.repositories) {
    repo.environments?.reverse();
    repo.mutabilityExclusions?.reverse();
  }
  return copy;
}

/** Runs the synth command in-process into a fresh folder and returns every file's content (stacks, manifest, guardrails.json). */
function synthFiles(raw: Record<string, any>): Record<string, string> {
  const dir = tempDir();
  const outdir = path.join(dir, "cdktf.out");
  synthCommand({ REGISTRY_CONFIG: writeConfig(dir, raw), CDKTF_OUTDIR: outdir }, new PassThrough());
  return snapshotFolder(outdir);
}

/** Absolute paths and clock readings that must never reach the output. */
function leaks(files: Record<string, string>, dirs: string[] = []): string[] {
  const found: string[] = [];
  for (const [file, content] of Object.entries(files)) {
    for (const dir of [...dirs, PROJECT_ROOT, os.homedir(), os.tmpdir()]) if (content.includes(dir)) found.push(`${file}: ${dir}`);
    const timestamp = content.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\b1[6-9]\d{11}\b/);
    if (timestamp) found.push(`${file}: ${timestamp[0]}`);
  }
  return found;
}

describe("deterministic output", () => {
  // One in-process synth of fullConfig() that the tests below compare against and read.
  let reference: Record<string, string> | undefined;
  const referenceFiles = () => (reference ??= synthFiles(fullConfig()));

  test("synthesizing twice, into two different folders, writes byte-identical files with no paths or timestamps", () => {
    const a = referenceFiles();
    const b = synthFiles(fullConfig());
    expect(Object.keys(a).sort()).toEqual([
      "guardrails.json",
      "manifest.json",
      "stacks/model-registry-dev/cdk.tf.json",
      "stacks/model-registry-prod/cdk.tf.json",
      "stacks/model-registry-state/cdk.tf.json",
    ]);
    expect(b).toEqual(a);
    expect(leaks(a)).toEqual([]);
  });

  test("npm run synth, run from another folder, writes the same bytes as an in-process synth", () => {
    const dir = tempDir();
    expect(runMain(dir, { REGISTRY_CONFIG: writeConfig(dir, fullConfig()) }).status).toBe(0);
    const files = snapshotFolder(path.join(dir, "cdktf.out"));
    expect(files).toEqual(referenceFiles());
    expect(leaks(files, [dir])).toEqual([]);
  });

  test("reordering the config's keys and unordered lists changes no byte", () => {
    expect(synthFiles(reordered(fullConfig()))).toEqual(referenceFiles());
  });

  test("the output really contains what the reordering could have shuffled", () => {
    const prod = JSON.parse(referenceFiles()["stacks/model-registry-prod/cdk.tf.json"]);
    expect(prod.moved.filter((block: { from: string }) => !block.from.startsWith("aws_ecr_lifecycle_policy."))).toEqual([
      { from: "aws_ecr_repository.asr", to: "aws_ecr_repository.speech__asr" },
      { from: "aws_ecr_repository.speech__asr", to: "aws_ecr_repository.ai-models__speech-to-text" },
      { from: "aws_ecr_repository_policy.asr", to: "aws_ecr_repository_policy.speech__asr" },
      { from: "aws_ecr_repository_policy.speech__asr", to: "aws_ecr_repository_policy.ai-models__speech-to-text" },
      { from: "aws_iam_policy.asr_pull", to: "aws_iam_policy.speech__asr_pull" },
      { from: "aws_iam_policy.speech__asr_pull", to: "aws_iam_policy.ai-models__speech-to-text_pull" },
    ]);
    expect(prod.removed.map((block: { from: string }) => block.from)).toEqual([
      "aws_ecr_lifecycle_policy.ai-models__legacy-ocr",
      "aws_ecr_lifecycle_policy.ai-models__legacy-ocr__eu-west-1",
      "aws_ecr_lifecycle_policy.ai-models__old-classifier",
      "aws_ecr_lifecycle_policy.ai-models__old-classifier__eu-west-1",
      "aws_ecr_repository.ai-models__legacy-ocr",
      "aws_ecr_repository.ai-models__legacy-ocr__eu-west-1",
      "aws_ecr_repository.ai-models__old-classifier",
      "aws_ecr_repository.ai-models__old-classifier__eu-west-1",
      "aws_ecr_repository_policy.ai-models__legacy-ocr",
      "aws_ecr_repository_policy.ai-models__legacy-ocr__eu-west-1",
      "aws_ecr_repository_policy.ai-models__old-classifier",
      "aws_ecr_repository_policy.ai-models__old-classifier__eu-west-1",
      "aws_iam_policy.ai-models__legacy-ocr_pull",
      "aws_iam_policy.ai-models__legacy-ocr_push",
      "aws_iam_policy.ai-models__old-classifier_pull",
      "aws_iam_policy.ai-models__old-classifier_push",
    ]);
    expect(Object.keys(prod.provider.aws[0].default_tags[0].tags)).toEqual(["CostCenter", "Environment", "ManagedBy", "Project", "Purpose", "Team"]);
    expect(prod.resource.aws_ecr_repository["ai-models__speech-to-text"].lifecycle).toEqual({ prevent_destroy: true });
  });

  test("cdktf's HCL output and its metadata.json are identical across folders and free of paths and timestamps", () => {
    const previous = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = "true";
    try {
      const a = synthFiles(fullConfig());
      const b = synthFiles(fullConfig());
      expect(Object.keys(a).sort()).toEqual([
        "guardrails.json",
        "manifest.json",
        "stacks/model-registry-dev/cdk.tf",
        "stacks/model-registry-dev/metadata.json",
        "stacks/model-registry-prod/cdk.tf",
        "stacks/model-registry-prod/metadata.json",
        "stacks/model-registry-state/cdk.tf",
        "stacks/model-registry-state/metadata.json",
      ]);
      expect(b).toEqual(a);
      expect(leaks(a)).toEqual([]);
      expect(a["stacks/model-registry-prod/cdk.tf"]).toContain("removed {\nfrom = aws_ecr_repository.ai-models__legacy-ocr\n");
    } finally {
      if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = previous;
    }
  });
});
