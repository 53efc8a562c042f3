import * as fs from "fs";
import * as path from "path";
import { CheckedSynth, runCheckPipeline } from "../check-pipeline";
import { configPathFromEnv } from "../config/load";
import { newRepositoryLines } from "./new-repositories";
import { GUARDRAILS_FILE, GuardrailReport, guardrailSummaryLines, guardrailsJson } from "../guardrails/evaluate";
import { ResolvedEnvironment } from "../plan/environments";
import { RegistryConfig } from "../config/schema";
import { stateStackName } from "../naming";
import { adoptedIn } from "../config/schema/adoption";
import { stateBucketRegion } from "../plan/backend";
import { replicaRegistriesFor } from "../plan/replicas";
import { EnvironmentStackPlan, environmentStackPlans } from "../plan/stack-groups";
import { outdirFromEnv, replaceAtomically } from "../synth";

/**
 * `npm run synth`: run every check of the check pipeline (`CHECK_STEPS`: config,
 * synth, guardrails, removal guard) with the stacks synthesized into a temporary folder, write
 * `guardrails.json` beside them, swap the folder into the output folder, then print what was
 * written and what to run next. A guardrail violation, like any config error,
 * keeps the previous output. Under the cdktf CLI (`cdktf diff`/`deploy`, which set `CDKTF_OUTDIR`)
 * it prints nothing: the CLI reports for itself, and a hint to run `npm run deploy` in the middle
 * of a deploy would be noise.
 */
export function synthCommand(env: NodeJS.ProcessEnv = process.env, out: NodeJS.WritableStream = process.stdout): CheckedSynth {
  const file = configPathFromEnv(env);
  const outdir = outdirFromEnv(env);
  let fresh: string[] = [];
  const checked = replaceAtomically(outdir, (temp) => {
    const result = runCheckPipeline({ file, synthOutdir: temp, outdir, env });
    fs.writeFileSync(path.join(temp, GUARDRAILS_FILE), guardrailsJson(result.guardrails));
    // Before the swap: the baseline may be the output folder this run replaces.
    if (env.CDKTF_OUTDIR === undefined) fresh = newRepositoryLines(result.config, result.stacks, result.baseline);
    return result;
  });
  if (env.CDKTF_OUTDIR === undefined) out.write(synthSummary(checked.config, outdir, process.cwd(), checked.guardrails, fresh, checked.warnings));
  return checked;
}

/**
 * The closing summary: one line per stack (repositories, how many of them it imports, region,
 * account), where the files are, what each new repository inherits (`newRepositoryLines`), the
 * guardrails with every waiver and its reason (when a report is given), what to run next.
 */
export function synthSummary(
  config: RegistryConfig,
  outdir: string,
  cwd: string = process.cwd(),
  guardrails?: GuardrailReport,
  newRepositories: readonly string[] = [],
  warnings: readonly string[] = [],
): string {
  const rows: Array<[string, string]> = [];
  const state = config.state;
  if (state.backend === "s3" && state.bootstrap) {
    rows.push([stateStackName(config.project), `the state bucket ${state.bucket} (${stateBucketRegion(config)}): deploy it once, first`]);
  }
  for (const { environment, stack } of environmentStackPlans(config)) {
    rows.push([stack.name, stackDetails(config, environment, stack)]);
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  const shownOutdir = displayPath(outdir, cwd);
  const count = rows.length === 1 ? "1 stack" : `${rows.length} stacks`;
  return [
    `Synthesized ${count} into ${shownOutdir}/stacks/<stack>/cdk.tf.json:`,
    ...rows.map(([name, details]) => `  ${name.padEnd(width)}  ${details}`),
    ...newRepositories,
    ...warnings,
    ...(guardrails ? guardrailSummaryLines(guardrails, `${shownOutdir}/${GUARDRAILS_FILE}`) : []),
    "Next: npm run diff -- <stack>     show the plan of one stack (terraform plan)",
    "      npm run deploy -- <stack>   apply it (terraform apply)",
    "",
  ].join("\n");
}

/** One stack's line: its repositories, and in the environment's own stack its replicas; a group's stack says its group. */
function stackDetails(config: RegistryConfig, env: ResolvedEnvironment, stack: EnvironmentStackPlan): string {
  const count = stack.repositories.length;
  const repositories = count === 1 ? "1 repository" : `${count} repositories`;
  const adopted = stack.repositories.filter((repo) => adoptedIn(repo, env.name)).length;
  const account = env.accountId ? `account ${env.accountId}` : "any account (no accountId)";
  const role = env.assumeRole ? `, role ${env.assumeRole.roleArn.split(":role/")[1]}` : "";
  const replicas = stack.group === undefined ? replicaRegistriesFor(config, env) : [];
  const about = [
    ...(adopted > 0 ? [`${adopted} adopted`] : []),
    ...replicas.map((r) => `${r.repositories.length === 1 ? "1 replica" : `${r.repositories.length} replicas`} in ${r.region}`),
  ];
  const group = stack.group === undefined ? "" : `group ${stack.group}: `;
  return `${group}${repositories}${about.length > 0 ? ` (${about.join(", ")})` : ""}, ${env.region}, ${account}${role}`;
}

/** `outdir` relative to `cwd` when it is inside it, else absolute. */
export function displayPath(dir: string, cwd: string): string {
  const relative = path.relative(cwd, dir);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : dir;
}
