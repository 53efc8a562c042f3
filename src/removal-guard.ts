import * as fs from "fs";
import * as path from "path";
import { PROTECTED_RESOURCE_TYPES } from "./config/schema/data-safety";
import { ConfigError, ConfigProblem } from "./config/errors";
import { resolveEnvironments } from "./plan/environments";
import { RegistryConfig } from "./config/schema";
import type { SynthesizedStack } from "./synthesized/stack";
import { repositoryId, repositoryNameFromId, splitReplicaId } from "./naming";
import { loadBaseConfig } from "./review/base";
import { synthesizeInMemory } from "./review/snapshot";
import { stacksOfEnvironment } from "./plan/stack-groups";

/** Names what the guard compares with instead of the previous output: a synth output folder, or a git ref whose config is synthesized (CI sets it to the base branch). */
export const BASELINE_ENV = "REGISTRY_BASELINE";

/**
 * What the removal guard compares a new synth with: the stacks as they were, and how messages
 * name them and say to reset them.
 */
export interface Baseline {
  /** How the message names it, e.g. `the previous synth in cdktf.out`, `origin/main (its registry.yaml, synthesized)`. */
  readonly label: string;
  /** How to compare with something else, in a sentence. */
  readonly reset: string;
  /** One stack's JSON as the baseline has it; undefined when the baseline has no such stack. */
  stack(name: string): any | undefined;
}

/**
 * Where the guard's baseline comes from: `REGISTRY_BASELINE` when set (a synth output folder, or
 * else a git ref, whose config is read with git and synthesized in memory, like `npm run review
 * -- --base`), else the output folder about to be replaced. Undefined when there is nothing to
 * compare with (the first synth in a fresh clone, or the all-zero commit GitHub gives as the
 * "before" of a push that created the branch). A `REGISTRY_BASELINE` that is neither an existing
 * folder nor a commit is an error, so CI cannot skip the check by a typo.
 */
export function baselineFromEnv(outdir: string, configFile: string, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Baseline | undefined {
  const fromEnv = env[BASELINE_ENV];
  if (!fromEnv) {
    if (!fs.existsSync(outdir)) return undefined;
    const shown = path.relative(cwd, outdir) || outdir;
    return folderBaseline(
      outdir,
      `the previous synth in ${shown}`,
      `${shown} is only what you synthesized last, not what is deployed: if it was never deployed (say, a rename you are undoing), compare with the deployed branch instead (${BASELINE_ENV}=main npm run synth) or delete ${shown}/stacks/<stack>/cdk.tf.json`,
    );
  }
  // GitHub's "before" commit of a push that created the branch: there is no earlier commit to compare with.
  if (/^0{40}$/.test(fromEnv)) return undefined;
  const dir = path.resolve(cwd, fromEnv);
  if (fs.existsSync(dir) && fs.statSync(dir).isDirectory())
    return folderBaseline(dir, `the synth in ${BASELINE_ENV}=${fromEnv}`, `set ${BASELINE_ENV} to another synth output folder or a git ref of what is deployed`);
  if (!looksLikeGitRef(fromEnv)) {
    throw new ConfigError(BASELINE_ENV, [{ path: "", message: `names ${fromEnv}, which is neither a synth output folder nor a git ref` }]);
  }
  return gitBaseline(fromEnv, configFile, cwd);
}

/** A folder path such as `../main/cdktf.out` that does not exist is not taken for a git ref (git would say "not a commit" instead of "no such folder"). */
function looksLikeGitRef(value: string): boolean {
  return !value.startsWith(".") && !value.startsWith("/") && !value.includes("cdktf.out");
}

/** A synth output folder as a baseline. */
export function folderBaseline(dir: string, label: string, reset: string): Baseline {
  return { label, reset, stack: (name) => readStack(dir, name) };
}

/** The config of a git ref, synthesized into a throwaway folder the first time a stack is asked for. */
function gitBaseline(ref: string, configFile: string, cwd: string): Baseline {
  const base = loadBaseConfig(ref, configFile, cwd);
  let stacks: Map<string, unknown> | undefined;
  const label = `${ref} (its ${base.configFile}, synthesized)`;
  const reset = `${ref} is the base branch's config, what is deployed once this change merges; set ${BASELINE_ENV} to another git ref or a synth output folder to compare with something else`;
  return {
    label,
    reset,
    stack(name) {
      if (!base.config) return undefined;
      stacks ??= new Map(synthesizeInMemory(base.config).map((s) => [s.name, s.json]));
      return stacks.get(name);
    },
  };
}


/**
 * `prevent_destroy` only guards a resource while it is still declared: deleting a repository from
 * the config makes Terraform plan its destruction. So before a synth replaces its output (and in
 * `npm run validate`), this compares each environment's new stack with the baseline's, and refuses
 * when a repository or KMS key the baseline declared is neither declared, moved (`renamedFrom`)
 * nor forgotten (`retired`) by the new one: in a protected environment every one, elsewhere those
 * the baseline's stack guarded with `prevent_destroy` (adopted repositories). A stack missing from
 * either side is skipped; without a baseline there is nothing to compare with.
 */
export function checkProtectedRemovals(config: RegistryConfig, configFile: string, synthesized: readonly SynthesizedStack[], baseline: Baseline | undefined): void {
  if (!baseline) return;
  const configSource = path.relative(process.cwd(), configFile) || configFile;
  const problems: ConfigProblem[] = [];
  resolveEnvironments(config).forEach((environment, index) => {
    const stacks = stacksOfEnvironment(config, environment);
    for (const { name: stack, group } of stacks) {
      const after = synthesized.find((s) => s.name === stack)?.json as any;
      if (!after) continue;
      const before = baseline.stack(stack);
      if (!before) continue;
      const accounted = new Set([
        ...resourceAddresses(after),
        ...(after.moved ?? []).map((block: { from: string }) => block.from),
        ...(after.removed ?? []).map((block: { from: string }) => block.from),
      ]);
      const compared = `compared with ${baseline.label}`;
      for (const address of resourceAddresses(before)) {
        const [type, id] = address.split(".");
        if (!PROTECTED_RESOURCE_TYPES.includes(type) || accounted.has(address)) continue;
        // In any environment: the new stack's create would fail on the existing repository, and the old one would delete it.
        const movedTo = type === "aws_ecr_repository" ? stacks.find((s) => s.repositories.some((r) => repositoryId(r.name) === id)) : undefined;
        if (movedTo) {
          const name = repositoryNameFromId(id);
          problems.push({
            path: `repositories[${config.repositories.findIndex((r) => r.name === name)}].movedFromGroup`,
            message: `${name} (${address}) moved from stack ${stack} to stack ${movedTo.name} (${compared}), so Terraform would destroy it in ${stack} and fail to create it again in ${movedTo.name}; set movedFromGroup: ${group ?? "null"} on it, so ${stack} forgets it and ${movedTo.name} imports it (docs/stack-groups.md)`,
          });
          continue;
        }
        const guarded = before.resource[type][id]?.lifecycle?.prevent_destroy === true;
        if (!environment.protected && !guarded) continue;
        const where = environment.protected
          ? `the protected environment ${environment.name}`
          : `environment ${environment.name}, where it was adopted (prevent_destroy)`;
        const replica = splitReplicaId(id);
        if (replica.region !== undefined && (type === "aws_ecr_repository" || type === "aws_kms_key")) {
          const what = type === "aws_ecr_repository" ? `the replica of ${repositoryNameFromId(replica.id)} in ${replica.region}` : `the replica key in ${replica.region}`;
          problems.push({
            path: "replication.retiredRegions",
            message: `${what} (${address}) is no longer declared in ${environment.protected ? where : `environment ${environment.name}, where it had prevent_destroy`} (${compared}), so Terraform would destroy it${
              type === "aws_kms_key" ? " and the replicas encrypted with it would become unreadable" : " and its images"
            }; replicate there again, or add ${replica.region} to replication.retiredRegions so Terraform forgets the replicas there and leaves them in AWS. If that baseline is wrong: ${baseline.reset}`,
          });
        } else if (type === "aws_ecr_repository") {
          const name = repositoryNameFromId(id);
          const undone = undoneRename(before, address, accounted);
          const awsName = String(before.resource[type][id]?.name ?? undone);
          const movedTo = stacks.find((s) => s.repositories.some((r) => r.name === name));
          const repositoryIndex = config.repositories.findIndex((r) => r.name === name);
          problems.push(
            movedTo
              ? {
                  path: `repositories[${repositoryIndex}].movedFromGroup`,
                  message: `${name} (${address}) moved from stack ${stack} to stack ${movedTo.name} (${compared}), so Terraform would destroy it in ${stack} and fail to create it again in ${movedTo.name}; set movedFromGroup: ${group ?? "null"} on it, so ${stack} forgets it and ${movedTo.name} imports it (docs/stack-groups.md)`,
                }
              : undone
              ? {
                  path: "retired",
                  message: `${name} (${address}) is no longer declared in ${where} (${compared}), where it had been renamed from ${undone}; going back to ${undone} undoes that rename. If the rename was never deployed, nothing in Terraform's state is at ${name}: ${baseline.reset}. If it was deployed, keep the name ${name}, or give ${undone} renamedFrom: [${name}] and awsName: ${awsName} (ECR cannot rename a repository: it is ${awsName} in AWS either way)`,
                }
              : {
                  path: "retired",
                  message: `${name} (${address}) is no longer declared in ${where} (${compared}), so Terraform would destroy it and its images; declare it again, give its new name renamedFrom: [${name}], or add ${name} to retired so Terraform forgets it and leaves it in AWS. If that baseline is wrong: ${baseline.reset}`,
                },
          );
        } else if (type === "aws_kms_key") {
          problems.push({
            path: `environments[${index}]`,
            message: `${address} is no longer declared in ${where} (${compared}), so Terraform would schedule the key for deletion and images encrypted with it would become unreadable; keep a repository on the managed key, or list the repositories that used it in retired`,
          });
        } else {
          problems.push({ path: `environments[${index}]`, message: `${address} is no longer declared in ${where} (${compared}), so Terraform would destroy it` });
        }
      }
    }
  });
  if (problems.length > 0) throw new ConfigError(configSource, problems);
}

/** The earlier name of a repository the baseline had moved to `address`, when the new stack declares that earlier name again. */
function undoneRename(before: any, address: string, declared: ReadonlySet<string>): string | undefined {
  const block = ((before.moved ?? []) as Array<{ from: string; to: string }>).find((m) => m.to === address && declared.has(m.from));
  return block ? repositoryNameFromId(block.from.split(".")[1]) : undefined;
}

function readStack(outdir: string, stack: string): any | undefined {
  const file = path.join(outdir, "stacks", stack, "cdk.tf.json");
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(file, [
      { path: "", message: `cannot read this earlier synth to check for removals (${(error as Error).message}); delete it or synth again from a good copy` },
    ]);
  }
}

function resourceAddresses(stack: any): string[] {
  return Object.entries((stack.resource ?? {}) as Record<string, Record<string, unknown>>).flatMap(([type, byId]) =>
    Object.keys(byId).map((id) => `${type}.${id}`),
  );
}
