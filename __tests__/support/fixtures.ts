import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { stringify } from "yaml";
import { exitOnUserError } from "../../src/cli";
import { resolveEnvironments } from "../../src/plan/environments";
import { CONFIG_CHECKS } from "../../src/checks";
import { withChecks } from "../../src/config/check";
import { RegistryConfig, registryConfigSchema } from "../../src/config/schema";

// cdktf, the AWS provider classes and the stacks are loaded when a helper needs them, not when a
// test file imports this one: jest loads every module again for each test file, and the config
// tests, which never synthesize, would spend a quarter of a second each loading them.
/* eslint-disable @typescript-eslint/no-require-imports */
const cdktf = () => require("cdktf") as typeof import("cdktf");
const registryStack = () => require("../../src/stacks/registry-stack") as typeof import("../../src/stacks/registry-stack");
const synthCommandModule = () => require("../../src/commands/synth") as typeof import("../../src/commands/synth");
/* eslint-enable @typescript-eslint/no-require-imports */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BUNDLE_DIR, BUNDLED_ENTRY_POINTS } = require("./paths") as { BUNDLE_DIR: string; BUNDLED_ENTRY_POINTS: string[] };

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** The smallest valid config, as raw (pre-validation) data; tests spread their changes over it. */
export function minimalRawConfig(): Record<string, any> {
  return {
    project: "model-registry",
    region: "us-east-1",
    state: { bucket: "acme-tfstate" },
    environments: [{ name: "dev" }],
    repositories: [{ name: "ai-models/llm" }],
  };
}

/** Validates raw config data (schema and every check), failing the test with the problems if it is invalid. */
export function validConfig(raw: Record<string, any>): RegistryConfig {
  const result = withChecks(registryConfigSchema, CONFIG_CHECKS).safeParse(raw);
  if (!result.success) throw new Error(JSON.stringify(result.error.issues, null, 2));
  return result.data;
}

/** Synthesizes one environment's stack and returns the stack JSON text (for the jest matchers). */
export function synthEnvironment(raw: Record<string, any>, environmentName = "dev"): string {
  const config = validConfig(raw);
  const environment = resolveEnvironments(config).find((e) => e.name === environmentName);
  if (!environment) throw new Error(`no environment ${environmentName}`);
  const { Testing } = cdktf();
  const stack = new (registryStack().RegistryStack)(Testing.app(), { config, environment });
  return Testing.synth(stack);
}

/** Synthesizes one environment's stack and returns it parsed. */
export function synthJson(raw: Record<string, any>, environmentName = "dev"): any {
  return JSON.parse(synthEnvironment(raw, environmentName));
}

/** The minimal config with environments dev and prod (protected by default, in us-west-2) and these repositories. */
export function devAndProd(repositories: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}): Record<string, any> {
  return { ...minimalRawConfig(), environments: [{ name: "dev" }, { name: "prod", region: "us-west-2" }], repositories, ...extra };
}

/** The parsed repository policy of a repository (by logical id) in a stack's synthesized JSON. */
export function repositoryPolicyOf(json: any, id = "ai-models__llm"): any {
  return JSON.parse(json.resource.aws_ecr_repository_policy[id].policy);
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "ecr-model-registry-"));
}

/** Writes a config as YAML into a fresh temp folder and returns its path. */
export function writeConfig(dir: string, raw: unknown, name = "registry.yaml"): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof raw === "string" ? raw : stringify(raw));
  return file;
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `npm run synth` in a child node process, from `cwd`, with extra environment variables: the
 * bundle of main.ts that jest's global setup builds with scripts/bundle.mjs (what `npm run synth`
 * runs; see support/global-setup.js).
 */
export function runMain(cwd: string, env: Record<string, string> = {}): RunResult {
  return runScript("main.ts", cwd, env);
}

/** Runs a bundled entry point (`main.ts`, `scripts/validate.ts`) of this project in a child node process, with command-line arguments. */
export function runScript(script: string, cwd: string, env: Record<string, string> = {}, args: readonly string[] = []): RunResult {
  return run([bundledScript(script), ...args], cwd, env);
}

/** Where jest's global setup put the bundle of an entry point (`main.ts`, `scripts/validate.ts`, ...). */
export function bundledScript(script: string): string {
  if (!BUNDLED_ENTRY_POINTS.includes(script)) throw new Error(`${script} is not bundled for tests; add it to __tests__/support/paths.js`);
  return path.join(BUNDLE_DIR, script.replace(/\.ts$/, ".js"));
}

/**
 * Runs `main.ts` from the TypeScript sources in a child node process, with cdktf as published
 * (no patches, unlike jest and the bundle): what bundle.test.ts compares the bundle with.
 */
export function runMainFromSources(cwd: string, env: Record<string, string> = {}): RunResult {
  return run(["-r", path.join(PROJECT_ROOT, "__tests__/support/swc-register.js"), path.join(PROJECT_ROOT, "main.ts")], cwd, env);
}

/**
 * Runs what `main.ts` runs (`exitOnUserError(() => synthCommand())`) in this process, from `cwd`,
 * with extra environment variables, and returns what it printed and its exit code, like `runMain`.
 * For tests where a child process adds nothing; the end-to-end tests (main.test.ts) keep real ones.
 */
export function runMainInProcess(cwd: string, env: Record<string, string> = {}): RunResult {
  const saved = { cwd: process.cwd(), exitCode: process.exitCode, stderrWrite: process.stderr.write };
  let stdout = "";
  let stderr = "";
  process.chdir(cwd);
  process.exitCode = undefined;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const out = { write: (chunk: string) => ((stdout += chunk), true) } as unknown as NodeJS.WritableStream;
    exitOnUserError(() => synthCommandModule().synthCommand({ ...process.env, CHECKPOINT_DISABLE: "1", ...env }, out));
    return { status: typeof process.exitCode === "number" ? process.exitCode : 0, stdout, stderr };
  } finally {
    process.stderr.write = saved.stderrWrite;
    process.exitCode = saved.exitCode;
    process.chdir(saved.cwd);
  }
}

function run(args: string[], cwd: string, env: Record<string, string>): RunResult {
  const result = spawnSync(process.execPath, args, { cwd, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env }, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under `dir` with its content, for before/after comparisons. */
export function snapshotFolder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, full)] = fs.readFileSync(full, "utf8");
  }
  return out;
}
