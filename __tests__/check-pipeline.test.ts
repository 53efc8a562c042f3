import * as fs from "fs";
import * as path from "path";
import { PassThrough } from "stream";
import { buildApp } from "../src/stacks/app";
import { CHECK_STEPS } from "../src/check-pipeline";
import { synthCommand } from "../src/commands/synth";
import { validateCommand } from "../src/commands/validate";
import { ConfigError } from "../src/config/errors";
import { devAndProd, snapshotFolder, tempDir, validConfig, writeConfig } from "./support/fixtures";

/** Runs a command from `dir` (where `cdktf.out` is the previous synth); its problems as lines, or the steps it ran. */
function outcome(dir: string, command: (env: NodeJS.ProcessEnv) => { steps: readonly string[] }): { steps?: readonly string[]; problems?: string[] } {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return { steps: command({ REGISTRY_CONFIG: "registry.yaml", CHECKPOINT_DISABLE: "1" }).steps };
  } catch (error) {
    if (error instanceof ConfigError) return { problems: error.problems.map((p) => `${p.path}: ${p.message}`) };
    throw error;
  } finally {
    process.chdir(cwd);
  }
}

const synth = (env: NodeJS.ProcessEnv) => synthCommand(env, new PassThrough());
const validate = (env: NodeJS.ProcessEnv) => validateCommand({ env, out: new PassThrough() });

describe("one check pipeline for synth and validate", () => {
  test("synth runs every check step, in order", () => {
    const dir = tempDir();
    writeConfig(dir, devAndProd([{ name: "ai-models/llm" }]));
    expect(outcome(dir, synth).steps).toEqual([...CHECK_STEPS]);
  });

  test("validate runs each step synth runs, in the same order", () => {
    const dir = tempDir();
    writeConfig(dir, devAndProd([{ name: "ai-models/llm" }]));
    const synthSteps = outcome(dir, synth).steps!;
    expect(synthSteps).toEqual([...CHECK_STEPS]);
    expect(outcome(dir, validate).steps).toEqual(synthSteps);
  });

  test("validate refuses a config that drops a prod repository, with synth's message, and writes nothing", () => {
    const dir = tempDir();
    buildApp(validConfig(devAndProd([{ name: "ai-models/llm" }, { name: "ai-models/vision" }])), { outdir: path.join(dir, "cdktf.out") }).synth();
    writeConfig(dir, devAndProd([{ name: "ai-models/llm" }]));
    const before = snapshotFolder(dir);
    const validated = outcome(dir, validate);
    expect(validated.problems).toEqual([expect.stringMatching(/^retired: ai-models\/vision \(aws_ecr_repository\.ai-models__vision\) is no longer declared in the protected environment prod \(compared with the previous synth in cdktf\.out\)/)]);
    expect(snapshotFolder(dir)).toEqual(before);
    expect(outcome(dir, synth).problems).toEqual(validated.problems);
    expect(fs.readdirSync(dir).sort()).toEqual(["cdktf.out", "registry.yaml"]);
  });
});
