import { ConfigError, ConfigProblem } from "./config/errors";
import { loadConfig, shownPath } from "./config/load";
import { RegistryConfig } from "./config/schema";

/**
 * A rule over a whole validated config, beyond what the schema checks field by field.
 * `npm run synth` and `npm run validate` both run every check after the schema and before
 * anything is built, and report the problems exactly like schema errors (by path, exit 1, nothing
 * written). Security rules on the synthesized stacks are guardrails instead (src/guardrails/).
 */
export interface ConfigCheck {
  /** Short name, e.g. `scan-on-push-required`. */
  readonly name: string;
  /** Every problem found, each with the path of the config field at fault (`repositories[2].scanOnPush`). */
  check(config: RegistryConfig): ConfigProblem[];
}

/** The checks every run applies. A guardrail is added by listing it here. */
export const CONFIG_CHECKS: readonly ConfigCheck[] = [];

/** Loads and validates a config file, then runs `checks`; throws `ConfigError` listing every problem. */
export function loadCheckedConfig(file: string, checks: readonly ConfigCheck[] = CONFIG_CHECKS): RegistryConfig {
  const config = loadConfig(file);
  runConfigChecks(config, file, checks);
  return config;
}

/** Runs `checks` over a validated config; throws `ConfigError` listing every problem. */
export function runConfigChecks(config: RegistryConfig, file: string, checks: readonly ConfigCheck[] = CONFIG_CHECKS): void {
  const problems = checks.flatMap((c) => c.check(config));
  if (problems.length > 0) throw new ConfigError(shownPath(file), problems);
}
