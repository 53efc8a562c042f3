import { ConfigError } from "../config/errors";
import type { RegistryConfig } from "../config/schema";
import type { SynthesizedStack } from "../synthesized/stack";
import { GuardrailReport, evaluateGuardrails, formatViolations } from "./evaluate";

/** A violated guardrail: reported like a config error (message, exit 1, no stack trace, nothing written). */
export class GuardrailViolationError extends ConfigError {
  constructor(
    source: string,
    readonly report: GuardrailReport,
  ) {
    super(
      source,
      report.violations.map((v) => ({ path: v.configPath ?? "", message: `${v.rule}: ${v.stack} ${v.address}: ${v.detail}` })),
    );
    this.name = "GuardrailViolationError";
    this.message = this.format();
  }

  protected override format(): string {
    return formatViolations(this.source, this.report, this.problems);
  }
}

/** Evaluates the guardrails of synthesized stacks; throws `GuardrailViolationError` on any violation that no waiver covers. */
export function enforceGuardrails(stacks: readonly SynthesizedStack[], config: RegistryConfig, source: string): GuardrailReport {
  const report = evaluateGuardrails(stacks, config);
  if (!report.passed) throw new GuardrailViolationError(source, report);
  return report;
}
