import * as fs from "fs";
import * as path from "path";
import { PassThrough } from "stream";
import { buildApp } from "../src/stacks/app";
import { ConfigError } from "../src/config/errors";
import { canonicalJson, changedStacks } from "../src/review/changed-stacks";
import { synthesizeInMemory } from "../src/review/snapshot";
import { parseStacksArguments, stacksCommand } from "../src/commands/stacks";
import { devAndProd, tempDir, validConfig, writeConfig } from "./support/fixtures";

const grouped = (extra: Array<Record<string, unknown>> = []) =>
  devAndProd([{ name: "llm/chat", group: "llm" }, { name: "vision/detect", group: "vision" }, { name: "tools/ci" }, ...extra]);

/** The stacks a change from `before` to `after` touches. */
function touched(before: Record<string, any>, after: Record<string, any>): string[] {
  const config = validConfig(after);
  return changedStacks(config, synthesizeInMemory(config), synthesizeInMemory(validConfig(before)));
}

/** Runs `npm run stacks` in-process in `dir` (which holds registry.yaml) and returns what it printed, parsed. */
function stacksIn(dir: string, args: string[]): string[] {
  const out = new PassThrough();
  stacksCommand({ args, env: { REGISTRY_CONFIG: path.join(dir, "registry.yaml") }, cwd: dir, out });
  return JSON.parse(String(out.read()));
}

describe("stacks a change touches", () => {
  test("the same config touches no stack", () => {
    expect(touched(grouped(), grouped())).toEqual([]);
  });

  test("a repository added to a group touches only that group's stack in each environment", () => {
    expect(touched(grouped(), grouped([{ name: "llm/embed", group: "llm" }]))).toEqual(["model-registry-dev-llm", "model-registry-prod-llm"]);
  });

  test("a repository added to one environment's group touches that environment's group stack only", () => {
    expect(touched(grouped(), grouped([{ name: "vision/segment", group: "vision", environments: ["dev"] }]))).toEqual(["model-registry-dev-vision"]);
  });

  test("a registry-wide change touches each environment's own stack, not its groups", () => {
    expect(touched(grouped(), { ...grouped(), scanning: { type: "ENHANCED" } })).toEqual(["model-registry-dev", "model-registry-prod"]);
  });

  test("a new group's stack is touched, as the base does not have it", () => {
    expect(touched(grouped(), grouped([{ name: "audio/asr", group: "audio" }]))).toEqual(["model-registry-dev-audio", "model-registry-prod-audio"]);
  });

  test("without a base every stack is touched, in deploy order", () => {
    const config = validConfig(grouped());
    expect(changedStacks(config, synthesizeInMemory(config), undefined)).toEqual([
      "model-registry-dev",
      "model-registry-dev-llm",
      "model-registry-dev-vision",
      "model-registry-prod",
      "model-registry-prod-llm",
      "model-registry-prod-vision",
    ]);
  });

  test("canonical JSON ignores key order and cdktf's metadata", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: 2 }, "//": { metadata: { version: "x" } } })).toBe(canonicalJson({ a: { c: 2, d: [1, { e: 3, f: 2 }] }, b: 1 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});

describe("npm run stacks", () => {
  test("without arguments it prints every environment stack and group stack in deploy order", () => {
    const dir = tempDir();
    writeConfig(dir, grouped());
    expect(stacksIn(dir, [])).toEqual(["model-registry-dev", "model-registry-dev-llm", "model-registry-dev-vision", "model-registry-prod", "model-registry-prod-llm", "model-registry-prod-vision"]);
  });

  test("--changed --base <synth output folder> compares with that synth", () => {
    const dir = tempDir();
    buildApp(validConfig(grouped()), { outdir: path.join(dir, "base-out") }).synth();
    writeConfig(dir, grouped([{ name: "llm/embed", group: "llm", environments: ["prod"] }]));
    expect(stacksIn(dir, ["--changed", "--base", "base-out"])).toEqual(["model-registry-prod-llm"]);
  });

  test("--changed --base <project checkout> synthesizes the checkout's config", () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, "base"));
    writeConfig(path.join(dir, "base"), grouped());
    writeConfig(dir, { ...grouped(), scanning: { type: "ENHANCED" } });
    expect(stacksIn(dir, ["--changed", "--base=base"])).toEqual(["model-registry-dev", "model-registry-prod"]);
  });

  test("a checkout without the config file is a base without a registry: every stack is touched", () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, "empty"));
    writeConfig(dir, devAndProd([{ name: "tools/ci" }]));
    expect(stacksIn(dir, ["--changed", "--base", "empty"])).toEqual(["model-registry-dev", "model-registry-prod"]);
  });

  test("--changed without --base, and unknown arguments, are refused with the usage", () => {
    const problems = (args: string[]) => {
      try {
        parseStacksArguments(args);
        return [];
      } catch (error) {
        return (error as ConfigError).problems.map((p) => p.message);
      }
    };
    expect(problems(["--changed"])).toEqual([expect.stringMatching(/^--changed and --base go together; usage: npm run stacks -- /)]);
    expect(problems(["--base"])).toEqual([expect.stringMatching(/^--base: needs a value/)]);
    expect(problems(["--all"])).toEqual([expect.stringMatching(/^--all: unknown argument/)]);
    expect(parseStacksArguments(["--changed", "--base", "origin/main"])).toEqual({ changed: true, base: "origin/main" });
  });
});
