/**
 * `npm run e2e`: the default config, synthesized as a user would, applied with a real `terraform
 * apply` against the moto AWS emulator (one per account, on loopback), read back with the AWS SDK,
 * re-planned, and changed safely on the same state (rename, retire, protected removal, a killed
 * apply). docs/e2e.md says what runs, what is adapted and why, and what this cannot prove.
 */
import "./sdk-warnings";
import { ChildProcess, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient, ListImagesCommand, PutImageCommand } from "@aws-sdk/client-ecr";
import { DescribeKeyCommand, KMSClient, ListKeysCommand, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import { IAMClient, ListPoliciesCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import { S3Client, ListObjectsV2Command } from "@aws-sdk/client-s3";
import {
  adaptStack,
  allowedEmulatorDiff,
  DEFERRED_RESOURCE_TYPES,
  DROPPED_ARGUMENTS,
  MIRROR_PROVIDER_VERSION,
  REPLACED_VALUES,
  SETTLING_RESOURCE_TYPES, emulatorBackendConfig, emulatorOverride, providerAccount, StackJson } from "./adaptations";
import { HANDOFF_FILES } from "../src/handoff/readme";
import { Emulator, makeCertificate, startEmulators, stopEmulators } from "./emulator";
import { accountClients, Checks, checkIamPolicies, checkRegistrySettings, checkRepositories, checkStateBucket, checkStateObject, clientConfig } from "./readback";
import { changedAttributes, effectiveChanges, plan, RunResult, tail, terraform, terraformOk, TerraformRunner } from "./terraform";
import { findTools, terraformCliConfig, Tools } from "./tools";
import { validateOutputs } from "./outputs";
import { withRename, withRepository, withRepositoryFields, withRetired, withoutRepository } from "./variants";

const ROOT = path.resolve(__dirname, "..", "..");

interface StackCopy {
  readonly name: string;
  /** The product's synthesized stack, parsed. */
  readonly product: StackJson;
  /** What Terraform applies: the adapted copy. */
  readonly adapted: StackJson;
  readonly adaptations: string[];
  readonly dir: string;
  readonly accountId: string;
  readonly region: string;
  readonly backend?: { bucket: string; key: string; region: string };
}

interface Timing {
  readonly step: string;
  readonly seconds: number;
}

class Run {
  readonly checks = new Checks();
  readonly timings: Timing[] = [];
  readonly notes: string[] = [];
  resourcesCreated = 0;

  async timed<T>(step: string, body: () => Promise<T> | T): Promise<T> {
    const started = Date.now();
    try {
      return await body();
    } finally {
      const seconds = (Date.now() - started) / 1000;
      this.timings.push({ step, seconds });
      process.stdout.write(`  ${step}: ${seconds.toFixed(1)} s\n`);
    }
  }
}

async function main(): Promise<number> {
  const tools = findTools();
  if (Array.isArray(tools)) {
    const message = `e2e skipped: this machine lacks ${tools.join(", ")}.`;
    if (process.env.E2E_REQUIRE === "1") {
      process.stderr.write(`error: ${message} (E2E_REQUIRE=1 makes that a failure)\n`);
      return 1;
    }
    process.stdout.write(`${message}\n`);
    return 0;
  }
  const started = Date.now();
  const work = process.env.E2E_WORKDIR ? path.resolve(process.env.E2E_WORKDIR) : fs.mkdtempSync(path.join(os.tmpdir(), "ecr-model-registry-e2e-"));
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(path.join(work, "logs"), { recursive: true });
  process.stdout.write(`e2e: terraform ${tools.terraformVersion}, AWS provider mirror ${tools.providerMirror}, moto ${tools.motoServer}\n  work folder: ${work}\n`);
  const run = new Run();
  let emulators: Emulator[] = [];
  const stop = () => stopEmulators(emulators);
  process.on("exit", stop);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));
  try {
    await scenario(run, tools, work, (e) => (emulators = e));
  } catch (error) {
    run.checks.expect("the run completes", false, String((error as Error).stack ?? error));
  } finally {
    stop();
  }
  const seconds = (Date.now() - started) / 1000;
  const report = renderReport(run, seconds);
  fs.writeFileSync(path.join(work, "report.md"), report);
  process.stdout.write(`\n${report}`);
  const failed = run.checks.failed.length > 0;
  if (failed) process.stdout.write(`\nThe work folder is kept: ${work} (logs/ has every terraform run, moto-*.log the emulators)\n`);
  else if (!process.env.E2E_WORKDIR && process.env.E2E_KEEP !== "1") fs.rmSync(work, { recursive: true, force: true });
  return failed ? 1 : 0;
}

async function scenario(run: Run, tools: Tools, work: string, started: (e: Emulator[]) => void): Promise<void> {
  const productOut = path.join(work, "product", "cdktf.out");
  const configFile = path.join(ROOT, "registry.yaml");

  // 1. Synthesize as a user does, and the hand-off with its outputs contract.
  await run.timed("synth (npm run synth's app)", () => synthOk(configFile, productOut));
  const handoffDir = path.join(work, "handoff");
  await run.timed("hand-off (npm run handoff's app)", () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, "dist", "scripts", "handoff.js")], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, REGISTRY_CONFIG: configFile, HANDOFF_OUTDIR: handoffDir, CHECKPOINT_DISABLE: "1" },
    });
    if (result.status !== 0) throw new Error(`npm run handoff failed:\n${result.stderr}`);
  });

  // 2. One emulator per account the stacks name.
  const tfRoot = path.join(work, "tf");
  let stacks = readStacks(productOut, tfRoot);
  const accounts = [...new Set(stacks.map((s) => s.accountId))].sort();
  const tls = makeCertificate(tools.openssl, work);
  const emulators = await run.timed(`start ${accounts.length} emulators (${accounts.join(", ")})`, () => startEmulators(tools.motoServer, accounts, work, tls));
  started(emulators);
  const urlOf = (accountId: string | undefined) => {
    const e = emulators.find((x) => x.accountId === accountId);
    if (!e) throw new Error(`no emulator for account ${accountId}`);
    return e.url;
  };

  const cliConfig = path.join(work, "terraform.rc");
  fs.writeFileSync(cliConfig, terraformCliConfig(tools.providerMirror));
  const runner: TerraformRunner = {
    terraform: tools.terraform,
    logDir: path.join(work, "logs"),
    env: { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
  };

  // 3. The adapted copies, each adaptation printed.
  const writeCopies = (list: StackCopy[]) => {
    for (const s of list) writeCopy(s, urlOf);
  };
  writeCopies(stacks);
  process.stdout.write("Adaptations for the emulator (e2e/adaptations.ts):\n");
  for (const s of stacks) for (const a of s.adaptations) process.stdout.write(`  ${s.name}: ${a}\n`);

  const stateStack = stacks.find((s) => !s.backend);
  const envStacks = stacks.filter((s) => s.backend);
  const stateAccount = envStacks[0]?.backend ? stateStackAccount(envStacks[0], stateStack) : undefined;
  const s3For = (accountId: string, region: string) => new S3Client({ ...clientConfig(urlOf(accountId), region, tls.cert), forcePathStyle: true });

  // 4. State first, as a user deploys: the environments start once everything their backend uses
  // exists (e2e/adaptations.ts, SETTLING_RESOURCE_TYPES, says what they need not wait for).
  const [killed, ...others] = envStacks;
  const applyEnvironments = () =>
    Promise.all([
      ...(killed ? [killedThenConverged(run, runner, killed, s3For(stateAccount!, killed.backend!.region), new KMSClient(clientConfig(urlOf(killed.accountId), killed.region, tls.cert)), new IAMClient(clientConfig(urlOf(killed.accountId), "us-east-1", tls.cert)))] : []),
      ...others.map(async (s) => {
        await terraformOk(runner, s.dir, ["init", "-input=false", "-no-color", "-backend-config=emulator.tfbackend"]);
        const seen = watchLockFile(s3For(stateAccount!, s.backend!.region), s.backend!);
        const applied = await terraformOk(runner, s.dir, ["apply", "-auto-approve", "-input=false", "-no-color"]);
        run.resourcesCreated += appliedCount(applied);
        run.checks.expect(`${s.name}: S3 lock file ${s.backend!.key}.tflock seen during apply`, await seen.stop(), "never seen");
      }),
    ]);
  await run.timed(`apply ${stacks.map((s) => s.name).join(", ")} (${killed?.name} killed mid-apply first)`, async () => {
    if (!stateStack) {
      await applyEnvironments();
      return;
    }
    await terraformOk(runner, stateStack.dir, ["init", "-input=false", "-no-color"]);
    const needed = new Set(resourceAddresses(stateStack.adapted).filter((a) => !SETTLING_RESOURCE_TYPES.some((t) => a.startsWith(`${t.resourceType}.`))));
    let environments: Promise<unknown> | undefined;
    const state = terraform(runner, stateStack.dir, ["apply", "-auto-approve", "-input=false", "-no-color"], {
      watch: (chunk) => {
        for (const match of chunk.matchAll(/^(\S+): Creation complete/gm)) needed.delete(match[1]);
        if (needed.size === 0 && !environments) environments = applyEnvironments();
      },
    });
    const applied = await state;
    if (applied.code !== 0) throw new Error(`terraform apply of ${stateStack.name} failed:\n${tail(applied.stderr)}`);
    run.resourcesCreated += appliedCount(applied);
    await (environments ?? applyEnvironments());
  });

  // 5. Read back.
  await run.timed("read back with the AWS SDK", async () => {
    for (const s of stacks) {
      const clients = accountClients(urlOf(s.accountId), tls.cert);
      const repositories = await checkRepositories(run.checks, s.name, s.adapted, clients);
      if (repositories.length > 0) run.notes.push(`${s.name}: read back ${repositories.join(", ")}`);
      await checkRegistrySettings(run.checks, s.name, s.adapted, clients);
      await checkIamPolicies(run.checks, s.name, s.adapted, s.accountId, new IAMClient(clientConfig(urlOf(s.accountId), "us-east-1", tls.cert)));
      if (!s.backend) await checkStateBucket(run.checks, s.adapted, s3For(s.accountId, s.region));
      else await checkStateObject(run.checks, s3For(stateAccount!, s.backend.region), s.backend.bucket, s.backend.key);
    }
  });

  // 6. Re-plan is clean. 7. Outputs match the hand-off's contract.
  await run.timed("re-plan every stack", () => Promise.all(stacks.map((s) => checkCleanPlan(run, runner, s))));
  await run.timed("outputs against outputs.schema.json", async () => {
    for (const s of stacks) {
      const out = await terraformOk(runner, s.dir, ["output", "-json"]);
      const dropped = Object.keys(s.product.output ?? {}).filter((o) => !(o in (s.adapted.output ?? {})));
      const problems = validateOutputs(path.join(handoffDir, s.name, HANDOFF_FILES.outputsSchema), s.name, JSON.parse(out.stdout), dropped);
      run.checks.expect(`${s.name}: terraform output matches outputs.schema.json${dropped.length ? ` (less ${dropped.join(", ")}, dropped with adapted resources)` : ""}`, problems.length === 0, problems.join("; "));
    }
  });

  // 8. Change safely: rename, retire and a refused protected removal on the prod state, and the
  // adoption of a repository made outside Terraform on the dev state, side by side.
  const dev = envStacks.find((s) => s.name.endsWith("-dev"));
  const variants = path.join(work, "variants");
  fs.mkdirSync(variants, { recursive: true });
  const prodChanges = async () => {
    const prod = envStacks.find((s) => s.name.endsWith("-prod")) ?? envStacks[envStacks.length - 1];
    if (prod) {
      const ecr = new ECRClient(clientConfig(urlOf(prod.accountId), prod.region, tls.cert));
      const config = fs.readFileSync(configFile, "utf8");
      const renamed = withRename(config, "ai-models/llm-inference", "ai-models/llm-serving");
      await run.timed("rename ai-models/llm-inference -> ai-models/llm-serving (renamedFrom)", async () => {
        stacks = await applyVariant(run, runner, variants, "rename", renamed, productOut, tfRoot, urlOf, prod.name, (p) => {
          const moved = p.resourceChanges.filter((c) => c.previous_address && c.previous_address !== c.address);
          const deletes = p.resourceChanges.filter((c) => c.change.actions.includes("delete"));
          run.checks.expect(`rename: plan moves the repository's resources`, moved.some((c) => c.type === "aws_ecr_repository"), `moved: ${moved.map((c) => c.address).join(", ")}`);
          run.checks.expect(`rename: plan destroys nothing`, deletes.length === 0, deletes.map((c) => c.address).join(", "));
        }, { replan: false }); // the retire step's re-plan covers the whole stack
        const still = await repositoryExists(ecr, "ai-models/llm-inference");
        run.checks.expect("rename: the repository is still in AWS under its first name", still);
      });
      const retired = withRetired(renamed, "ai-models/embeddings");
      await run.timed("retire ai-models/embeddings (retired)", async () => {
        const stack = () => stacks.find((s) => s.name === prod.name)!;
        stacks = await applyVariant(run, runner, variants, "retire", retired, productOut, tfRoot, urlOf, prod.name, (p) => {
          const deletes = p.resourceChanges.filter((c) => c.change.actions.includes("delete"));
          run.checks.expect("retire: plan destroys nothing", deletes.length === 0, deletes.map((c) => c.address).join(", "));
        }, { replan: true });
        const list = await terraformOk(runner, stack().dir, ["state", "list"]);
        run.checks.expect("retire: the repository is no longer in state", !list.stdout.includes("aws_ecr_repository.ai-models__embeddings"), list.stdout);
        run.checks.expect("retire: the repository still exists in AWS", await repositoryExists(ecr, "ai-models/embeddings"));
      });
      await run.timed("drop protected ai-model-repository without retiring it", async () => {
        const dropped = path.join(variants, "drop.yaml");
        fs.writeFileSync(dropped, withoutRepository(retired, "ai-model-repository"));
        const refused = synth(dropped, productOut);
        run.checks.expect("drop: synth refuses (non-zero exit, no stack trace)", refused.status !== 0 && !/\n\s+at /.test(refused.stderr), refused.stderr);
        run.checks.expect("drop: synth names the repository", refused.stderr.includes("ai-model-repository"), refused.stderr);
        // A hand edit that forces a replacement (a new name) is stopped by prevent_destroy.
        const current = stacks.find((s) => s.name === prod.name)!;
        const edited: StackJson = JSON.parse(JSON.stringify(current.adapted));
        edited.resource.aws_ecr_repository["ai-model-repository"].name = "ai-model-repository-hand-edited";
        fs.writeFileSync(path.join(current.dir, "cdk.tf.json"), JSON.stringify(edited, null, 2));
        const result = await terraform(runner, current.dir, ["plan", "-input=false", "-no-color"]);
        run.checks.expect("drop: a hand-edited stack that would replace it fails on prevent_destroy", result.code === 1 && /Instance cannot be destroyed/.test(result.stderr), tail(result.stderr));
        fs.writeFileSync(path.join(current.dir, "cdk.tf.json"), JSON.stringify(current.adapted, null, 2));
        run.checks.expect("drop: the repository is still in AWS", await repositoryExists(ecr, "ai-model-repository"));
      });
    }
  };
  await Promise.all([
    prodChanges(),
    run.timed("terraform validate the hand-off's HCL (the exit path)", () => validateHcl(run, runner, handoffDir, stacks, work)),
    ...(dev
      ? [
          (async () => {
            const changes: DevChanges = { run, runner, variants, work, tfRoot, urlOf, dev, caFile: tls.cert };
            const adopted = await run.timed("adopt a repository made outside Terraform (adopt, awsName)", () => adoption(changes, configFile));
            await run.timed("move ai-models/embeddings into a stack group (group, movedFromGroup)", () => groupMove(changes, adopted));
          })(),
        ]
      : []),
  ]);
  await run.timed("apply the deferred state bucket policy, read it back", () => applyDeferred(run, runner, productOut, tfRoot, urlOf, s3For));
}

/**
 * The HCL that `npm run synth:hcl` and the hand-off write is our users' exit path from cdktf:
 * `terraform validate` with the mirror's provider must find nothing wrong in it but the provider
 * 6 arguments and values the adaptations list (which 5.100 does not know), and warn of nothing.
 */
async function validateHcl(run: Run, runner: TerraformRunner, handoffDir: string, stacks: readonly StackCopy[], work: string): Promise<void> {
  const known = [...DROPPED_ARGUMENTS.map((a) => a.argument), ...REPLACED_VALUES.map((v) => v.from)];
  await Promise.all(
    stacks.map(async (s) => {
      const dir = path.join(work, "hcl", s.name);
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(path.join(handoffDir, s.name, HANDOFF_FILES.hcl), path.join(dir, "main.tf"));
      fs.writeFileSync(path.join(dir, "mirror_override.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: MIRROR_PROVIDER_VERSION } } } }));
      await terraformOk(runner, dir, ["init", "-backend=false", "-input=false", "-no-color"]);
      const validated = await terraform(runner, dir, ["validate", "-json", "-no-color"]);
      const diagnostics = (JSON.parse(validated.stdout).diagnostics ?? []) as Array<{ severity: string; summary: string; detail?: string }>;
      const errors = diagnostics.filter((d) => d.severity === "error");
      const unexplained = errors.filter((d) => !known.some((k) => `${d.summary} ${d.detail ?? ""}`.includes(k)));
      const warnings = diagnostics.filter((d) => d.severity === "warning").map((d) => d.summary);
      run.checks.equal(`${s.name}: terraform validate of the hand-off's HCL finds only provider 6 arguments (${errors.length - unexplained.length} of them)`, unexplained.map((d) => `${d.summary}: ${d.detail ?? ""}`), []);
      run.checks.equal(`${s.name}: terraform validate of the hand-off's HCL warns of nothing`, warnings, []);
    }),
  );
}

/** What the dev-state changes share: where to write, how to run Terraform, how to reach the emulators. */
interface DevChanges {
  readonly run: Run;
  readonly runner: TerraformRunner;
  readonly variants: string;
  readonly work: string;
  readonly tfRoot: string;
  readonly urlOf: (accountId: string | undefined) => string;
  readonly dev: StackCopy;
  readonly caFile: string;
}

/** The dev account's SDK clients in one region. */
function devClients(c: DevChanges, region: string = c.dev.region): { ecr: ECRClient; kms: KMSClient } {
  return accountClients(c.urlOf(c.dev.accountId), c.caFile)(region);
}

/** The seed's repository as Pulumi named it: the logical name and 7 random characters. */
const SEED_AWS_NAME = "ai_model_repository-4f1c2d3";

/**
 * docs/adopting.md on the dev state: a repository made outside Terraform (with two images) is
 * declared with `adopt` and `awsName`; the plan imports it and adds or replaces nothing of it, the
 * apply puts our policies on it, and its images and creation time are unchanged.
 */
async function adoption(c: DevChanges, configFile: string): Promise<string> {
  const { run, runner, variants, work, tfRoot, urlOf, dev } = c;
  const { ecr } = devClients(c);
  await ecr.send(
    new CreateRepositoryCommand({
      repositoryName: SEED_AWS_NAME,
      imageTagMutability: "MUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: "AES256" },
    }),
  );
  for (const tag of ["v1", "latest"]) {
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.v2+json", config: { digest: `sha256:${tag.padEnd(64, "0")}` }, layers: [] });
    await ecr.send(new PutImageCommand({ repositoryName: SEED_AWS_NAME, imageManifest: manifest, imageTag: tag }));
  }
  const before = await describeSeed(ecr);
  const file = path.join(variants, "adopt.yaml");
  fs.writeFileSync(
    file,
    withRepository(
      fs.readFileSync(configFile, "utf8"),
      {
        name: "seed-model-repository",
        awsName: SEED_AWS_NAME,
        adopt: [dev.name.split("-").pop()],
        environments: [dev.name.split("-").pop()],
        description: "The seed's repository, created by Pulumi",
        tagMutability: "MUTABLE",
        scanOnPush: true,
        encryption: { type: "AES256" },
      },
      ["ecr-tag-immutability", "ecr-kms-encryption"].map((rule) => ({
        rule,
        repositories: ["seed-model-repository"],
        reason: "Adopted as it is (MUTABLE, AES256): encryption cannot change in place, and publishers re-push tags.",
      })),
    ),
  );
  // A synth of its own (its own baseline), since the prod changes run beside it.
  const out = path.join(work, "product-adopt", "cdktf.out");
  synthOk(file, out);
  const copy = readStacks(out, tfRoot).find((s) => s.name === dev.name)!;
  writeCopy(copy, urlOf);
  const address = "aws_ecr_repository.seed-model-repository";
  const p = await plan(runner, copy.dir);
  const change = p.resourceChanges.find((c) => c.address === address);
  const imports = p.resourceChanges.filter((c) => c.change.importing);
  run.checks.equal("adopt: the plan imports exactly the adopted repository", imports.map((c) => c.address), [address]);
  run.checks.expect(
    "adopt: the plan neither adds nor replaces it",
    Boolean(change) && !change!.change.actions.includes("create") && !change!.change.actions.includes("delete"),
    JSON.stringify(change?.change.actions),
  );
  run.checks.expect("adopt: the plan destroys nothing", !p.resourceChanges.some((c) => c.change.actions.includes("delete")));
  run.notes.push(`${dev.name}: adopting ${SEED_AWS_NAME}: ${/^Plan: .*$/m.exec(p.text)?.[0] ?? "no plan summary"}`);
  await terraformOk(runner, copy.dir, ["apply", "-auto-approve", "-input=false", "-no-color", "e2e.tfplan"]);
  const after = await describeSeed(ecr);
  run.checks.equal("adopt: the repository's creation time is unchanged", after.createdAt, before.createdAt);
  run.checks.equal("adopt: its images are all still there", after.images, before.images);
  const clients = (region: string) => devClients(c, region);
  const only = { ...copy.adapted, resource: Object.fromEntries(Object.entries<Record<string, any>>(copy.adapted.resource).map(([type, byName]) => [type, Object.fromEntries(Object.entries(byName).filter(([id]) => id === "seed-model-repository"))])) };
  await checkRepositories(run.checks, `${dev.name} (adopted)`, only, clients);
  await checkCleanPlan(run, runner, copy);
  return file;
}

/**
 * docs/stack-groups.md on the dev state: a repository with a KMS key moves from the environment's
 * stack into a group stack of its own state. The group stack (applied first) imports the
 * repository and its identity policy and finds the key by its alias; the environment's stack then
 * forgets them. Nothing is created twice or destroyed, and both stacks re-plan clean.
 */
async function groupMove(c: DevChanges, baseConfigFile: string): Promise<void> {
  const { run, runner, variants, work, tfRoot, urlOf, dev } = c;
  const { ecr } = devClients(c);
  const name = "ai-models/embeddings";
  const before = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }))).repositories?.[0];
  const file = path.join(variants, "group.yaml");
  fs.writeFileSync(file, withRepositoryFields(fs.readFileSync(baseConfigFile, "utf8"), name, { group: "embeddings", movedFromGroup: null }));
  const out = path.join(work, "product-adopt", "cdktf.out"); // the adoption's output is this synth's baseline
  synthOk(file, out);
  const stacks = readStacks(out, tfRoot);
  const group = stacks.find((s) => s.name === `${dev.name}-embeddings`);
  run.checks.expect("group: synth writes the group stack", Boolean(group), stacks.map((s) => s.name).join(", "));
  if (!group) return;
  const own = stacks.find((s) => s.name === dev.name)!;
  for (const s of [group, own]) writeCopy(s, urlOf);
  await terraformOk(runner, group.dir, ["init", "-input=false", "-no-color", "-backend-config=emulator.tfbackend"]);
  const joined = await plan(runner, group.dir);
  const imports = joined.resourceChanges.filter((c) => c.change.importing).map((c) => c.type).sort();
  run.checks.equal("group: the group stack imports the repository and its identity policy", imports, ["aws_ecr_repository", "aws_iam_policy"]);
  const creates = joined.resourceChanges.filter((c) => c.change.actions.includes("create") && (c.type === "aws_ecr_repository" || c.type === "aws_iam_policy"));
  run.checks.equal("group: the group stack creates no second repository or policy", creates.map((c) => c.address), []);
  await terraformOk(runner, group.dir, ["apply", "-auto-approve", "-input=false", "-no-color", "e2e.tfplan"]);
  const left = await plan(runner, own.dir);
  const deletes = left.resourceChanges.filter((c) => c.change.actions.includes("delete"));
  run.checks.equal("group: the environment's stack destroys nothing", deletes.map((c) => c.address), []);
  await terraformOk(runner, own.dir, ["apply", "-auto-approve", "-input=false", "-no-color", "e2e.tfplan"]);
  const list = await terraformOk(runner, own.dir, ["state", "list"]);
  run.checks.expect("group: the environment's stack no longer holds the repository", !list.stdout.includes("aws_ecr_repository.ai-models__embeddings"), list.stdout);
  const after = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }))).repositories?.[0];
  run.checks.equal("group: the repository is the same one (creation time, ARN)", [after?.createdAt?.toISOString(), after?.repositoryArn], [before?.createdAt?.toISOString(), before?.repositoryArn]);
  await checkRepositories(run.checks, group.name, group.adapted, (region) => devClients(c, region));
  await Promise.all([checkCleanPlan(run, runner, group), checkCleanPlan(run, runner, own)]);
}

async function describeSeed(ecr: ECRClient): Promise<{ createdAt?: string; images: string[] }> {
  const repository = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [SEED_AWS_NAME] }))).repositories?.[0];
  const images = (await ecr.send(new ListImagesCommand({ repositoryName: SEED_AWS_NAME }))).imageIds ?? [];
  return { createdAt: repository?.createdAt?.toISOString(), images: images.map((i) => `${i.imageTag}@${i.imageDigest}`).sort() };
}

/** Applies the state stack with its deferred resources (e2e/adaptations.ts) and reads it back whole. */
async function applyDeferred(run: Run, runner: TerraformRunner, productOut: string, tfRoot: string, urlOf: (accountId: string | undefined) => string, s3For: (accountId: string, region: string) => S3Client): Promise<void> {
  const state = readStacks(productOut, tfRoot, "keep").find((s) => !s.backend);
  if (!state) return;
  writeCopy(state, urlOf);
  // Only the deferred resources: the rest was applied and re-planned clean before.
  const targets = resourceAddresses(state.adapted)
    .filter((a) => DEFERRED_RESOURCE_TYPES.some((t) => a.startsWith(`${t.resourceType}.`)))
    .map((a) => `-target=${a}`);
  await terraformOk(runner, state.dir, ["apply", "-auto-approve", "-input=false", "-no-color", ...targets]);
  await checkStateBucket(run.checks, state.adapted, s3For(state.accountId, state.region));
  await checkCleanPlan(run, runner, state, targets);
}

/** Synthesizes `configFile` into `outdir` with the product's own app; throws on failure. */
function synthOk(configFile: string, outdir: string): void {
  const result = synth(configFile, outdir);
  if (result.status !== 0) throw new Error(`synth of ${configFile} failed:\n${result.stderr}`);
}

function synth(configFile: string, outdir: string) {
  return spawnSync(process.execPath, [path.join(ROOT, "dist", "main.js")], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, REGISTRY_CONFIG: configFile, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
  });
}

function readStacks(productOut: string, tfRoot: string, deferred: "drop" | "keep" = "drop"): StackCopy[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(productOut, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string; workingDirectory: string }> };
  return Object.entries(manifest.stacks)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, entry]) => {
      const product = JSON.parse(fs.readFileSync(path.join(productOut, entry.synthesizedStackPath), "utf8")) as StackJson;
      const { json, adaptations } = adaptStack(product, { deferred });
      const provider = (product.provider?.aws ?? []).find((p: any) => !p.alias) ?? {};
      const s3 = product.terraform?.backend?.s3;
      return {
        name,
        product,
        adapted: json,
        adaptations,
        // Same layout as cdktf.out, so a local backend's relative path stays inside the work folder.
        dir: path.join(tfRoot, "cdktf.out", entry.workingDirectory),
        accountId: providerAccount(provider) ?? "123456789012",
        region: provider.region,
        ...(s3 ? { backend: { bucket: s3.bucket, key: s3.key, region: s3.region } } : {}),
      };
    });
}

function stateStackAccount(envStack: StackCopy, stateStack: StackCopy | undefined): string {
  const ids = envStack.product.terraform.backend.s3.allowed_account_ids;
  return Array.isArray(ids) && ids.length === 1 ? String(ids[0]) : stateStack!.accountId;
}

function writeCopy(s: StackCopy, urlOf: (accountId: string | undefined) => string): void {
  fs.mkdirSync(s.dir, { recursive: true });
  fs.writeFileSync(path.join(s.dir, "cdk.tf.json"), JSON.stringify(s.adapted, null, 2));
  fs.writeFileSync(path.join(s.dir, "emulator_override.tf.json"), JSON.stringify(emulatorOverride(s.adapted, urlOf), null, 2));
  if (s.backend) {
    const ids = s.product.terraform.backend.s3.allowed_account_ids;
    fs.writeFileSync(path.join(s.dir, "emulator.tfbackend"), emulatorBackendConfig(urlOf(Array.isArray(ids) ? String(ids[0]) : undefined)));
  }
}

/** Every managed resource address of a stack. */
function resourceAddresses(json: StackJson): string[] {
  return Object.entries<Record<string, unknown>>(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
}

/** Resources added, from `Apply complete! Resources: N added, ...`. */
function appliedCount(result: RunResult): number {
  const match = /Resources: (\d+) added/.exec(result.stdout);
  return match ? Number(match[1]) : 0;
}

/** Polls for `<key>.tflock` while an apply runs; `stop()` says whether it was ever seen. */
function watchLockFile(s3: S3Client, backend: { bucket: string; key: string }): { stop: () => Promise<boolean> } {
  let seen = false;
  let running = true;
  const loop = (async () => {
    while (running && !seen) {
      try {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: backend.bucket, Prefix: `${backend.key}.tflock` }));
        seen = (listed.KeyCount ?? 0) > 0;
      } catch {
        // the bucket may answer slowly while Terraform writes; try again
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return seen;
    },
  };
}

/**
 * The first apply of `s` is killed with SIGKILL once some resources exist, as a crashed CI runner
 * would; then, as a user would: `terraform force-unlock` the lock file the killed run left, apply
 * again, import what the killed run created but never saved, and schedule the deletion of KMS keys
 * it left unsaved. It must converge (the read-back and clean re-plan that follow check it).
 */
async function killedThenConverged(run: Run, runner: TerraformRunner, s: StackCopy, s3: S3Client, kms: KMSClient, iam: IAMClient): Promise<void> {
  await terraformOk(runner, s.dir, ["init", "-input=false", "-no-color", "-backend-config=emulator.tfbackend"]);
  let child: ChildProcess | undefined;
  let completed = 0;
  const killAfter = Number(process.env.E2E_KILL_AFTER ?? 8);
  const killed = await terraform(runner, s.dir, ["apply", "-auto-approve", "-input=false", "-no-color"], {
    onStart: (c) => (child = c),
    watch: (chunk) => {
      completed += (chunk.match(/Creation complete/g) ?? []).length;
      if (completed >= killAfter && child?.pid) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    },
  });
  run.checks.expect(`${s.name}: first apply killed mid-way (after ${killAfter} resources)`, killed.signal === "SIGKILL", `exit ${killed.code}, signal ${killed.signal}`);
  const lock = await s3.send(new ListObjectsV2Command({ Bucket: s.backend!.bucket, Prefix: `${s.backend!.key}.tflock` }));
  run.checks.expect(`${s.name}: the killed apply left its S3 lock file`, (lock.KeyCount ?? 0) > 0);
  const blocked = await terraform(runner, s.dir, ["apply", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=0s"]);
  const lockId = /ID:\s+([0-9a-f-]{36})/.exec(blocked.stderr)?.[1];
  run.checks.expect(`${s.name}: the next apply stops on the lock and names its ID`, blocked.code !== 0 && Boolean(lockId), tail(blocked.stderr, 12));
  if (lockId) await terraformOk(runner, s.dir, ["force-unlock", "-force", lockId]);
  // Terraform saves state every 20 s during an apply (Terraform 1.5 changelog, GH-32680): what the
  // killed run created since its last save exists in AWS but not in state. The next apply names those
  // ("already exists"); they are imported, as docs/e2e.md tells users to, and the apply repeated.
  let applied = await terraform(runner, s.dir, ["apply", "-auto-approve", "-input=false", "-no-color"]);
  const imported: string[] = [];
  // One import block per leftover (what `terraform import` does one by one), imported by the next apply.
  const importFile = path.join(s.dir, "recovery_imports.tf.json");
  for (let attempt = 0; applied.code !== 0 && attempt < 3; attempt++) {
    const orphans = alreadyExisting(applied.stderr, s);
    if (orphans.length === 0) break;
    fs.writeFileSync(importFile, JSON.stringify({ import: orphans.map(({ address, id }) => ({ to: address, id })) }, null, 2));
    imported.push(...orphans.map((o) => o.address));
    applied = await terraform(runner, s.dir, ["apply", "-auto-approve", "-input=false", "-no-color"]);
  }
  fs.rmSync(importFile, { force: true });
  run.checks.expect(`${s.name}: apply after force-unlock converges`, applied.code === 0, tail(applied.stderr, 15));
  // Scheduling a key's deletion leaves the state as it is: one pull serves every check below.
  const state = await pulledState(runner, s);
  const keys = await orphanedKeys(state, kms);
  for (const keyId of keys) await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
  run.checks.equal(`${s.name}: after clean-up every enabled KMS key of the account is in state`, await orphanedKeys(state, kms), []);
  run.checks.equal(`${s.name}: every IAM role and policy of the account is in state (nothing duplicated)`, await strayIamEntities(state, iam), []);
  run.notes.push(
    `${s.name}: SIGKILL after ${completed} resources had been created; after force-unlock the next apply found ${imported.length} resource(s) created but not saved in state and imported them (${imported.join(", ") || "none"}); ${keys.length} KMS key(s) created but never saved were scheduled for deletion`,
  );
  run.resourcesCreated += completed + appliedCount(applied);
}

/** Resources an apply refused to create because they already exist, with the id `terraform import` takes for each. */
function alreadyExisting(stderr: string, s: StackCopy): Array<{ address: string; id: string }> {
  const found: Array<{ address: string; id: string }> = [];
  for (const block of stderr.split(/^Error: /m).slice(1)) {
    if (!/already exists|AlreadyExists/i.test(block)) continue;
    const address = /^\s*with ([^,\s]+),/m.exec(block)?.[1];
    const name = /^creating [^(]+\(([^)]+)\)/.exec(block)?.[1];
    if (!address || !name) continue;
    const [type, id] = address.split(".");
    const body = s.adapted.resource?.[type]?.[id] ?? {};
    found.push({ address, id: type === "aws_iam_policy" ? `arn:aws:iam::${s.accountId}:policy${body.path ?? "/"}${name}` : name });
  }
  return found;
}

/** A stack's state as `terraform state pull` gives it (the parts the checks read). */
interface PulledState {
  readonly resources?: Array<{ type: string; instances: Array<{ attributes: { arn?: string; key_id?: string } }> }>;
}

async function pulledState(runner: TerraformRunner, s: StackCopy): Promise<PulledState> {
  return JSON.parse((await terraformOk(runner, s.dir, ["state", "pull"])).stdout) as PulledState;
}

/** An attribute of every instance of the given resource types in a state. */
function stateAttributes(state: PulledState, types: readonly string[], attribute: "arn" | "key_id"): Set<string | undefined> {
  return new Set((state.resources ?? []).filter((r) => types.includes(r.type)).flatMap((r) => r.instances.map((i) => i.attributes[attribute])));
}

/** IAM roles and customer managed policies of the stack's account that its state does not hold. */
async function strayIamEntities(state: PulledState, iam: IAMClient): Promise<string[]> {
  const known = stateAttributes(state, ["aws_iam_role", "aws_iam_policy"], "arn");
  const roles = (await iam.send(new ListRolesCommand({}))).Roles ?? [];
  const policies = (await iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies ?? [];
  return [...roles.map((r) => r.Arn!), ...policies.map((p) => p.Arn!)].filter((arn) => !known.has(arn)).sort();
}

/** Enabled KMS keys of the stack's account that its state does not hold (a killed apply's leftovers). */
async function orphanedKeys(state: PulledState, kms: KMSClient): Promise<string[]> {
  const known = stateAttributes(state, ["aws_kms_key"], "key_id");
  const listed = await kms.send(new ListKeysCommand({}));
  const orphans: string[] = [];
  for (const key of listed.Keys ?? []) {
    if (known.has(key.KeyId)) continue;
    const described = await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
    if (described.KeyMetadata?.KeyState === "Enabled") orphans.push(key.KeyId!);
  }
  return orphans.sort();
}

async function checkCleanPlan(run: Run, runner: TerraformRunner, s: StackCopy, extra: readonly string[] = []): Promise<void> {
  const p = await plan(runner, s.dir, extra);
  const unexpected: string[] = [];
  for (const change of effectiveChanges(p)) {
    const attributes = changedAttributes(change.change);
    const allowed = change.change.actions.join() === "update" ? allowedEmulatorDiff(change.type, attributes) : undefined;
    if (allowed) run.notes.push(`${s.name}: re-plan shows ${change.address} ${attributes.join(", ")} (allowed: ${allowed.map((a) => a.reason).join("; ")})`);
    else unexpected.push(`${change.address} ${change.change.actions.join("/")} ${attributes.join(", ")}`);
  }
  run.checks.expect(`${s.name}: re-plan after apply shows no changes`, unexpected.length === 0, unexpected.join("; "));
}

async function applyVariant(
  run: Run,
  runner: TerraformRunner,
  dir: string,
  label: string,
  config: string,
  productOut: string,
  tfRoot: string,
  urlOf: (accountId: string | undefined) => string,
  stackName: string,
  checkPlan: (p: Awaited<ReturnType<typeof plan>>) => void,
  options: { replan: boolean },
): Promise<StackCopy[]> {
  const file = path.join(dir, `${label}.yaml`);
  fs.writeFileSync(file, config);
  synthOk(file, productOut);
  const stacks = readStacks(productOut, tfRoot);
  const s = stacks.find((x) => x.name === stackName)!;
  writeCopy(s, urlOf);
  const p = await plan(runner, s.dir);
  checkPlan(p);
  await terraformOk(runner, s.dir, ["apply", "-auto-approve", "-input=false", "-no-color", "e2e.tfplan"]);
  if (options.replan) await checkCleanPlan(run, runner, s);
  return stacks;
}

async function repositoryExists(ecr: ECRClient, name: string): Promise<boolean> {
  try {
    const found = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    return found.repositories?.[0]?.repositoryName === name;
  } catch {
    return false;
  }
}

function renderReport(run: Run, seconds: number): string {
  const passed = run.checks.all.filter((c) => c.ok).length;
  const lines = [
    `# e2e report`,
    "",
    `${run.checks.failed.length === 0 ? "PASSED" : "FAILED"}: ${passed} of ${run.checks.all.length} checks, ${run.resourcesCreated} resources created, ${seconds.toFixed(0)} s in all.`,
    "",
    "## Time",
    ...run.timings.map((t) => `- ${t.step}: ${t.seconds.toFixed(1)} s`),
    ...(run.notes.length ? ["", "## Notes", ...run.notes.map((n) => `- ${n}`)] : []),
    ...(run.checks.failed.length ? ["", "## Failed", ...run.checks.failed.map((c) => `- ${c.name}: ${c.detail ?? ""}`)] : []),
    "",
  ];
  return lines.join("\n");
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
