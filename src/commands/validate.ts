import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildApp } from "../app";
import { CONFIG_CHECKS, ConfigCheck, loadCheckedConfig } from "../checks";
import { configPathFromEnv, shownPath } from "../config/load";
import { resolveEnvironments } from "../config/resolve";
import { enforceGuardrails, synthesizedStacks } from "../guardrails/enforce";
import { GuardrailReport } from "../guardrails/evaluate";
import { stackName } from "../naming";

export interface ValidateOptions {
  /** @default - the process environment (`REGISTRY_CONFIG` names the file) */
  readonly env?: NodeJS.ProcessEnv;
  /** @default CONFIG_CHECKS */
  readonly checks?: readonly ConfigCheck[];
  /** @default process.stdout */
  readonly out?: NodeJS.WritableStream;
}

/**
 * `npm run validate`: everything `npm run synth` checks, and nothing it writes. The config goes
 * through the schema and every `ConfigCheck`, then the stacks are built and synthesized into a
 * throwaway folder under the OS temp directory (so construct-level validations and the guardrails
 * run too), which is removed again. Problems throw `ConfigError`, reported by the caller as synth reports them.
 */
export function validateCommand(options: ValidateOptions = {}): void {
  const env = options.env ?? process.env;
  const checks = options.checks ?? CONFIG_CHECKS;
  const file = configPathFromEnv(env);
  const config = loadCheckedConfig(file, checks);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ecr-model-registry-validate-"));
  let report: GuardrailReport;
  try {
    const app = buildApp(config, { outdir: scratch });
    app.synth();
    report = enforceGuardrails(synthesizedStacks(app), config, shownPath(file));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const stacks = resolveEnvironments(config).map((e) => {
    const n = e.repositories.length;
    return `${stackName(config.project, e.name)} (${n === 1 ? "1 repository" : `${n} repositories`})`;
  });
  const checked = checks.length > 0 ? `; ${checks.length} ${checks.length === 1 ? "check" : "checks"} passed` : "";
  const waivers = report.waivers.length === 0 ? "" : report.waivers.length === 1 ? " (1 waiver)" : ` (${report.waivers.length} waivers)`;
  const guardrails = `; ${report.rules.length} guardrails passed${waivers}`;
  (options.out ?? process.stdout).write(`${shownPath(file)} is valid: ${stacks.join(", ")}${checked}${guardrails}; nothing written.\n`);
}
