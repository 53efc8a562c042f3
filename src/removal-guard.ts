import * as fs from "fs";
import * as path from "path";
import { PROTECTED_RESOURCE_TYPES } from "./aspects/prevent-destroy";
import { ConfigError, ConfigProblem } from "./config/errors";
import { resolveEnvironments } from "./config/resolve";
import { RegistryConfig } from "./config/schema";
import type { SynthesizedStack } from "./guardrails/view";
import { repositoryNameFromId, splitReplicaId, stackName } from "./naming";

/** Names another synth output folder to compare against, e.g. the main branch's, in CI. */
export const BASELINE_ENV = "REGISTRY_BASELINE";

/** The folder holding the previous synth: `REGISTRY_BASELINE` if set, else the output folder about to be replaced. */
export function baselineFromEnv(outdir: string, env: NodeJS.ProcessEnv = process.env): { dir: string; explicit: boolean } {
  const fromEnv = env[BASELINE_ENV];
  return fromEnv ? { dir: path.resolve(fromEnv), explicit: true } : { dir: outdir, explicit: false };
}

/**
 * `prevent_destroy` only guards a resource while it is still declared: deleting a repository from
 * the config makes Terraform plan its destruction. So before a synth replaces its output, this
 * compares each environment's new stack with the previous one, and refuses when a repository or
 * KMS key the previous stack declared is neither declared, moved (`renamedFrom`) nor forgotten
 * (`retired`) by the new one: in a protected environment every one, elsewhere those the previous
 * stack guarded with `prevent_destroy` (adopted repositories).
 *
 * It compares the new stacks (`synthesized`, as synth wrote them) with the previous folder's
 * `cdk.tf.json` files; a stack missing from either side is skipped, so the
 * first synth in a fresh clone has nothing to compare with unless `REGISTRY_BASELINE` names a folder.
 */
export function checkProtectedRemovals(
  config: RegistryConfig,
  configFile: string,
  synthesized: readonly SynthesizedStack[],
  baseline: { dir: string; explicit: boolean },
): void {
  const configSource = path.relative(process.cwd(), configFile) || configFile;
  if (!fs.existsSync(baseline.dir)) {
    if (!baseline.explicit) return;
    throw new ConfigError(configSource, [{ path: "", message: `${BASELINE_ENV} names ${baseline.dir}, which does not exist` }]);
  }
  const problems: ConfigProblem[] = [];
  resolveEnvironments(config).forEach((environment, index) => {
    const stack = stackName(config.project, environment.name);
    const before = readStack(baseline.dir, stack, configSource);
    const after = synthesized.find((s) => s.name === stack)?.json as any;
    if (!before || !after) return;
    const accounted = new Set([
      ...resourceAddresses(after),
      ...(after.moved ?? []).map((block: { from: string }) => block.from),
      ...(after.removed ?? []).map((block: { from: string }) => block.from),
    ]);
    for (const address of resourceAddresses(before)) {
      const [type, id] = address.split(".");
      if (!PROTECTED_RESOURCE_TYPES.includes(type) || accounted.has(address)) continue;
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
          message: `${what} (${address}) is no longer declared in ${environment.protected ? where : `environment ${environment.name}, where it had prevent_destroy`}, so Terraform would destroy it${
            type === "aws_kms_key" ? " and the replicas encrypted with it would become unreadable" : " and its images"
          }; replicate there again, or add ${replica.region} to replication.retiredRegions so Terraform forgets the replicas there and leaves them in AWS`,
        });
      } else if (type === "aws_ecr_repository") {
        const name = repositoryNameFromId(id);
        problems.push({
          path: "retired",
          message: `${name} (${address}) is no longer declared in ${where}, so Terraform would destroy it and its images; declare it again, give its new name renamedFrom: [${name}], or add ${name} to retired so Terraform forgets it and leaves it in AWS`,
        });
      } else if (type === "aws_kms_key") {
        problems.push({
          path: `environments[${index}]`,
          message: `${address} is no longer declared in ${where}, so Terraform would schedule the key for deletion and images encrypted with it would become unreadable; keep a repository on the managed key, or list the repositories that used it in retired`,
        });
      } else {
        problems.push({ path: `environments[${index}]`, message: `${address} is no longer declared in ${where}, so Terraform would destroy it` });
      }
    }
  });
  if (problems.length > 0) throw new ConfigError(configSource, problems);
}

function readStack(outdir: string, stack: string, configSource: string): any | undefined {
  const file = path.join(outdir, "stacks", stack, "cdk.tf.json");
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(configSource, [
      { path: "", message: `cannot read the previous synth ${file} to check for removals (${(error as Error).message}); delete it or synth again from a good copy` },
    ]);
  }
}

function resourceAddresses(stack: any): string[] {
  return Object.entries((stack.resource ?? {}) as Record<string, Record<string, unknown>>).flatMap(([type, byId]) =>
    Object.keys(byId).map((id) => `${type}.${id}`),
  );
}
