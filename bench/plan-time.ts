/**
 * `npm run bench:plan`, and the last case of `npm run bench`: what a team with many model repositories waits for, Terraform's plan, side
 * by side for one environment of generated repositories (bench/generate.ts, `dev`), applied into
 * the AWS emulator (moto, as the e2e uses it: e2e/tools.ts, e2e/emulator.ts, e2e/adaptations.ts):
 *   (a) one stack holding every repository;
 *   (b) the same repositories in stack groups of at most 100 (docs/stack-groups.md), with only the
 *       stacks `changedStacks` lists planned;
 * after the same one-repository change (a tag on one repository). Prints the median wall time of
 * `terraform plan` for each, the ratio, and `terraform validate` time per stack size (one stack
 * of 10, 100, 500 and 1,000 generated repositories), and writes
 * bench/plan-results.json (a scaled-down run writes to the temp folder instead). Skips, saying what is missing, when the machine lacks terraform, the
 * provider mirror, moto_server or openssl.
 *
 * Each stack keeps its own S3 backend (bucket, key, KMS alias, `use_lockfile`), in the emulator: the
 * bench creates the state bucket and key there first, as the state stack would. A local backend
 * would distort the numbers: it rewrites the whole state file after every resource (hashicorp/
 * terraform#34296), so applying 5,000 resources slows to a crawl, while the S3 backend persists
 * every 20 s as users' applies do. In (b) only the
 * environment's own stack (which creates the KMS key) and the stacks to be planned are applied:
 * each group has its own state, so the others do not enter the plan.
 * BENCH_PLAN_REPOS (default 1000; 0 skips the case) and BENCH_PLAN_REPS (default 3) scale it down for a quick run;
 * BENCH_PLAN_VARIANTS (`one-stack,groups`) runs some of the variants.
 */
import "../e2e/sdk-warnings";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseConfig } from "../src/checks";
import type { RegistryConfig } from "../src/config/schema";
import { changedStacks } from "../src/review/changed-stacks";
import { synthesizeInMemory } from "../src/review/snapshot";
import { stringify } from "yaml";
import type { SynthesizedStack } from "../src/synthesized/stack";
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { adaptStack, emulatorBackendConfig, emulatorOverride } from "../e2e/adaptations";
import { makeCertificate, startEmulators, stopEmulators, Emulator } from "../e2e/emulator";
import { clientConfig } from "../e2e/readback";
import { terraform, terraformOk, TerraformRunner, tail } from "../e2e/terraform";
import { findTools, terraformCliConfig } from "../e2e/tools";
import { GENERATED_TEAMS, generateConfig, generatedRepositoryName } from "./generate";

const ROOT = path.resolve(__dirname, "..", "..");
const REPOSITORIES = Number(process.env.BENCH_PLAN_REPOS ?? 1000);
const REPETITIONS = Number(process.env.BENCH_PLAN_REPS ?? 3);
const ENVIRONMENT = "dev";
/** The repository the change touches. */
const CHANGED = 13;

interface Variant {
  readonly id: "one-stack" | "groups";
  readonly label: string;
  readonly config: RegistryConfig;
}

interface VariantResult {
  readonly id: string;
  readonly label: string;
  /** The environment's stacks and their managed resource counts. */
  readonly stacks: ReadonlyArray<{ readonly name: string; readonly resources: number }>;
  readonly applySeconds: number;
  /** The stacks the change touches (`changedStacks`): the ones planned. */
  readonly planned: readonly string[];
  /** Wall time of planning every touched stack one after the other, per repetition. */
  readonly planSeconds: readonly number[];
  readonly medianPlanSeconds: number;
  /** AWS API requests the emulator answered during one plan of the touched stacks: what real AWS would rate-limit. */
  readonly planRequests: number;
  /** `terraform validate` of the largest stack planned. */
  readonly validate: { readonly resources: number; readonly seconds: number };
}

/** Requests the emulator has answered so far: its access log has a line per request. */
function requestsServed(emulator: Emulator): number {
  return fs.readFileSync(emulator.log, "utf8").split("\n").filter((line) => / "(GET|POST|PUT|DELETE|HEAD) /.test(line)).length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const resourceCount = (json: any) => Object.values((json.resource ?? {}) as Record<string, object>).reduce((n, byId) => n + Object.keys(byId).length, 0);

/** The generated config, with groups of at most 100 repositories (by team, then by hundreds) for variant (b). */
function configs(): { base: Variant[]; changed: (v: Variant) => RegistryConfig } {
  const raw = generateConfig(REPOSITORIES) as Record<string, any>;
  const perTeam = Math.ceil(REPOSITORIES / GENERATED_TEAMS);
  const slices = Math.ceil(perTeam / 100);
  const grouped = {
    ...raw,
    repositories: raw.repositories.map((repo: Record<string, unknown>, i: number) => ({
      ...repo,
      // Repository i is the (i / 10)-th of its team; each team's repositories in slices of at most 100.
      group: `${String(repo.name).split("/")[1]}${slices > 1 ? `-${Math.floor(Math.floor(i / GENERATED_TEAMS) / 100)}` : ""}`,
    })),
  };
  const parse = (data: unknown) => parseConfig(stringify(data), "bench/plan-time.ts");
  const withChange = (data: Record<string, any>) => ({
    ...data,
    repositories: data.repositories.map((repo: Record<string, any>) =>
      repo.name === generatedRepositoryName(CHANGED) ? { ...repo, tags: { ...repo.tags, Changed: "bench" } } : repo,
    ),
  });
  const base: Variant[] = [
    { id: "one-stack", label: `(a) one stack of ${REPOSITORIES} repositories`, config: parse(raw) },
    { id: "groups", label: "(b) groups of <= 100 repositories, only the changed stack planned", config: parse(grouped) },
  ];
  return { base, changed: (v) => parse(withChange(v.id === "groups" ? grouped : raw)) };
}

/** The environment's stacks of a synth, adapted to the emulator, by name. */
function environmentStacks(stacks: readonly SynthesizedStack[]): Map<string, any> {
  const prefix = `model-registry-${ENVIRONMENT}`;
  return new Map(
    stacks.filter((s) => s.name === prefix || s.name.startsWith(`${prefix}-`)).map((s) => [s.name, adaptStack(s.json as any).json]),
  );
}

/** Writes one stack into its working folder: the adapted JSON, an override pointing its providers at the emulator, and its backend's emulator settings. */
function writeStack(dir: string, json: any, emulator: Emulator): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
  fs.writeFileSync(path.join(dir, "emulator_override.tf.json"), JSON.stringify(emulatorOverride(json, () => emulator.url), null, 2));
  fs.writeFileSync(path.join(dir, "emulator.tfbackend"), emulatorBackendConfig(emulator.url));
}

/** What the state stack would have made: the backend's bucket and its KMS key, found by the backend's alias. */
async function createStateStorage(backend: { bucket: string; region: string; kms_key_id?: string }, emulator: Emulator, caFile: string): Promise<void> {
  const config = clientConfig(emulator.url, backend.region, caFile);
  await new S3Client({ ...config, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: backend.bucket }));
  if (backend.kms_key_id?.startsWith("alias/")) {
    const kms = new KMSClient(config);
    const key = await kms.send(new CreateKeyCommand({ Description: "bench: the state key" }));
    await kms.send(new CreateAliasCommand({ AliasName: backend.kms_key_id, TargetKeyId: key.KeyMetadata!.KeyId }));
  }
}

/**
 * Applies a stack until everything is created. Under thousands of creates moto sometimes answers
 * one too late: the SDK's retry then finds the repository or IAM policy its first attempt made
 * (RepositoryAlreadyExistsException, EntityAlreadyExists: 11 of 5,003 resources in one measured
 * apply, 6 with 4 in flight), and Terraform stops. As a user recovers, the next apply imports them.
 */
async function applyConverged(runner: TerraformRunner, dir: string, json: any, accountId: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const result = await terraform(runner, dir, ["apply", "-input=false", "-no-color", "-auto-approve", "-parallelism=4"]);
    if (result.code === 0) return;
    const imports = alreadyCreated(result.stderr, json, accountId);
    if (imports.length === 0 || attempt === 3) throw new Error(`terraform apply failed in ${dir}:\n${tail(result.stderr || result.stdout)}`);
    process.stdout.write(`  ${imports.length} resource${imports.length === 1 ? "" : "s"} the emulator created on a lost attempt: imported by the next apply\n`);
    fs.writeFileSync(path.join(dir, "bench_imports.tf.json"), JSON.stringify({ import: imports }, null, 2));
  }
}

/** Import blocks for the resources an apply's errors say already exist. */
function alreadyCreated(stderr: string, json: any, accountId: string): Array<{ to: string; id: string }> {
  return stderr
    .split(/^Error: /m)
    .filter((error) => error.includes("already exists"))
    .flatMap((error) => {
      const [, type, id] = /with (aws_ecr_repository|aws_iam_policy)\.([\w-]+),/.exec(error) ?? [];
      if (!type) return [];
      const body = json.resource[type][id];
      return [{ to: `${type}.${id}`, id: type === "aws_ecr_repository" ? body.name : `arn:aws:iam::${accountId}:policy${body.path ?? "/"}${body.name}` }];
    });
}

async function runVariant(variant: Variant, changedConfig: RegistryConfig, runner: TerraformRunner, work: string, emulator: Emulator, caFile: string): Promise<VariantResult> {
  const baseStacks = synthesizeInMemory(variant.config);
  const stacks = environmentStacks(baseStacks);
  const headStacks = synthesizeInMemory(changedConfig);
  const planned = changedStacks(changedConfig, headStacks, baseStacks).filter((name) => stacks.has(name));
  const head = environmentStacks(headStacks);
  const dirOf = (name: string) => path.join(work, variant.id, name);
  await createStateStorage(stacks.values().next().value.terraform.backend.s3, emulator, caFile);
  const applyStarted = Date.now();
  // The environment's own stack first (deploy order): it creates the KMS key the groups find by alias.
  const applied = [...stacks.keys()].filter((name, i) => i === 0 || planned.includes(name));
  for (const name of applied) {
    writeStack(dirOf(name), stacks.get(name), emulator);
    await terraformOk(runner, dirOf(name), ["init", "-input=false", "-no-color", "-backend-config=emulator.tfbackend"]);
    await applyConverged(runner, dirOf(name), stacks.get(name), emulator.accountId);
  }
  const applySeconds = (Date.now() - applyStarted) / 1000;

  for (const name of planned) writeStack(dirOf(name), head.get(name), emulator);
  const planSeconds: number[] = [];
  let planRequests = 0;
  for (let rep = 0; rep < REPETITIONS; rep++) {
    const served = requestsServed(emulator);
    let seconds = 0;
    for (const name of planned) {
      const result = await terraform(runner, dirOf(name), ["plan", "-input=false", "-no-color", "-lock-timeout=5m", "-out=plan.tfplan", "-detailed-exitcode"]);
      if (result.code !== 2) throw new Error(`terraform plan of ${name} should find the change (exit 2), got exit ${result.code}:\n${tail(result.stderr || result.stdout)}`);
      seconds += result.seconds;
    }
    planSeconds.push(seconds);
    planRequests = requestsServed(emulator) - served;
  }
  const largest = [...planned].sort((a, b) => resourceCount(head.get(b)) - resourceCount(head.get(a)))[0];
  const validated = await terraformOk(runner, dirOf(largest), ["validate", "-no-color"]);
  return {
    id: variant.id,
    label: variant.label,
    stacks: [...stacks].map(([name, json]) => ({ name, resources: resourceCount(json) })),
    applySeconds,
    planned,
    planSeconds,
    medianPlanSeconds: median(planSeconds),
    planRequests,
    validate: { resources: resourceCount(head.get(largest)), seconds: validated.seconds },
  };
}

/** Stack sizes `terraform validate` is timed at: the environment's own stack of this many generated repositories. */
const VALIDATE_SIZES = [10, 100, 500, 1000];

/**
 * `terraform validate` (no AWS calls, no state) of one stack holding every repository of a
 * generated config, per size: the median of REPETITIONS runs after `init -backend=false`.
 */
async function validateBySize(runner: TerraformRunner, work: string): Promise<Array<{ repositories: number; resources: number; seconds: number }>> {
  const sizes = [...new Set([...VALIDATE_SIZES.filter((n) => n < REPOSITORIES), REPOSITORIES])];
  const measured: Array<{ repositories: number; resources: number; seconds: number }> = [];
  for (const repositories of sizes) {
    const config = parseConfig(stringify(generateConfig(repositories)), "bench/plan-time.ts");
    const json = environmentStacks(synthesizeInMemory(config)).get(`model-registry-${ENVIRONMENT}`);
    const dir = path.join(work, "validate", String(repositories));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
    await terraformOk(runner, dir, ["init", "-backend=false", "-input=false", "-no-color"]);
    const seconds: number[] = [];
    for (let rep = 0; rep < REPETITIONS; rep++) seconds.push((await terraformOk(runner, dir, ["validate", "-no-color"])).seconds);
    measured.push({ repositories, resources: resourceCount(json), seconds: median(seconds) });
  }
  return measured;
}

async function main(): Promise<void> {
  if (REPOSITORIES === 0) {
    process.stdout.write("Skipping the plan-time bench: BENCH_PLAN_REPOS=0.\n");
    return;
  }
  const tools = findTools();
  if (Array.isArray(tools)) {
    process.stdout.write(`Skipping the plan-time bench: this machine lacks ${tools.join(", ")}.\n`);
    return;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "ecr-model-registry-plan-bench-"));
  const cliConfig = path.join(work, "terraform.rc");
  fs.writeFileSync(cliConfig, terraformCliConfig(tools.providerMirror));
  fs.mkdirSync(path.join(work, "logs"));
  fs.mkdirSync(path.join(work, "plugin-cache"));
  const runner: TerraformRunner = {
    terraform: tools.terraform,
    logDir: path.join(work, "logs"),
    env: { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, TF_PLUGIN_CACHE_DIR: path.join(work, "plugin-cache"), CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
  };
  const tls = makeCertificate(tools.openssl, work);
  const { base: all, changed } = configs();
  const only = process.env.BENCH_PLAN_VARIANTS?.split(",");
  const base = all.filter((v) => !only || only.includes(v.id));
  const results: VariantResult[] = [];
  try {
    for (const variant of base) {
      // A fresh emulator per variant: both manage the same repositories.
      const emulators = await startEmulators(tools.motoServer, ["111111111111"], work, tls);
      try {
        process.stdout.write(`${variant.label}: applying...\n`);
        results.push(await runVariant(variant, changed(variant), runner, work, emulators[0], tls.cert));
      } finally {
        stopEmulators(emulators);
      }
    }
  } catch (error) {
    process.stderr.write(`The plan-time bench failed; Terraform's logs are in ${runner.logDir}\n`);
    throw error;
  }
  const validated = await validateBySize(runner, work);
  const ratio = results.length === 2 ? results[0].medianPlanSeconds / results[1].medianPlanSeconds : undefined;
  const lines = [
    `terraform plan after a one-repository change, ${REPOSITORIES} repositories in ${ENVIRONMENT} (median of ${REPETITIONS}; terraform ${tools.terraformVersion}, moto):`,
    ...results.map(
      (r) =>
        `  ${r.label}: ${r.medianPlanSeconds.toFixed(1)} s and ${r.planRequests} AWS API requests for ${r.planned.join(", ")} (${r.stacks.length} stack${r.stacks.length === 1 ? "" : "s"}, ${r.stacks.reduce((n, s) => n + s.resources, 0)} resources; applying took ${r.applySeconds.toFixed(0)} s)`,
    ),
    ...(ratio === undefined ? [] : [`  ratio (a)/(b): ${ratio.toFixed(1)}x (target >= 10x)`]),
    "terraform validate of the largest stack planned:",
    ...results.map((r) => `  ${r.validate.resources} resources: ${r.validate.seconds.toFixed(1)} s`),
    `terraform validate by stack size (one stack of N repositories, median of ${REPETITIONS}):`,
    ...validated.map((v) => `  ${v.repositories} repositories, ${v.resources} resources: ${v.seconds.toFixed(1)} s`),
    "",
  ];
  process.stdout.write(lines.join("\n"));
  // Only the full case is the record docs/stack-groups.md quotes (a test holds them equal); a scaled-down run must not replace it.
  const recorded = REPOSITORIES === 1000 && results.length === 2;
  const out = recorded ? path.join(ROOT, "bench", "plan-results.json") : path.join(os.tmpdir(), `plan-results-${REPOSITORIES}.json`);
  fs.writeFileSync(out, `${JSON.stringify({ repositories: REPOSITORIES, repetitions: REPETITIONS, terraform: tools.terraformVersion, ratio, results, validateBySize: validated }, null, 2)}\n`);
  process.stdout.write(`Results: ${path.relative(process.cwd(), out)}\n`);
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
