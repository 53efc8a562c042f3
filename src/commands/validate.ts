import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CheckedSynth, runCheckPipeline } from "../check-pipeline";
import { CONFIG_CHECKS, ConfigCheck } from "../checks";
import { configPathFromEnv, shownPath } from "../config/load";
import { environmentStackPlans } from "../plan/stack-groups";
import { outdirFromEnv } from "../synth";

export interface ValidateOptions {
  /** @default - the process environment (`REGISTRY_CONFIG` names the file) */
  readonly env?: NodeJS.ProcessEnv;
  /** @default CONFIG_CHECKS */
  readonly checks?: readonly ConfigCheck[];
  /** @default process.stdout */
  readonly out?: NodeJS.WritableStream;
}

/**
 * `npm run validate`: everything `npm run synth` checks, and nothing it writes. It runs the same
 * check pipeline (`CHECK_STEPS`: config, synth, guardrails, and the removal guard
 * against the same baseline synth would use) with the stacks synthesized into a throwaway folder
 * under the OS temp directory, which is removed again. Problems throw `ConfigError`, reported by
 * the caller as synth reports them. Returns what passed.
 */
export function validateCommand(options: ValidateOptions = {}): CheckedSynth {
  const env = options.env ?? process.env;
  const checks = options.checks ?? CONFIG_CHECKS;
  const file = configPathFromEnv(env);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ecr-model-registry-validate-"));
  let checked: CheckedSynth;
  try {
    checked = runCheckPipeline({ file, synthOutdir: scratch, outdir: outdirFromEnv(env), env, checks });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const { config, guardrails: report } = checked;
  const stacks = environmentStackPlans(config).map(({ stack }) => {
    const n = stack.repositories.length;
    return `${stack.name} (${n === 1 ? "1 repository" : `${n} repositories`})`;
  });
  const waivers = report.waivers.length === 0 ? "" : report.waivers.length === 1 ? " (1 waiver)" : ` (${report.waivers.length} waivers)`;
  const guardrails = `; ${report.rules.length} guardrails passed${waivers}`;
  const warnings = checked.warnings.map((line) => `${line}\n`).join("");
  (options.out ?? process.stdout).write(`${shownPath(file)} is valid: ${stacks.join(", ")}${guardrails}; nothing written.\n${warnings}`);
  return checked;
}
