import { App } from "cdktf";
import { ConfigError } from "../config/errors";
import type { RegistryConfig } from "../config/schema";
import { ProjectStack } from "../stacks/terraform-block";
import { GuardrailReport, evaluateGuardrails, formatViolations } from "./evaluate";
import { SynthesizedStack, TerraformJson } from "./view";

/**
 * Every stack of a synthesized app as synth wrote it (`ProjectStack.synthesizedJson`), in the
 * app's order. Throws when the app has not been synthesized.
 */
export function synthesizedStacks(app: App): SynthesizedStack[] {
  return app.node.children
    .filter((child): child is ProjectStack => child instanceof ProjectStack)
    .map((stack) => {
      const json = stack.synthesizedJson();
      if (json === undefined) throw new Error("guardrails run on a synthesized app: call app.synth() first");
      return { name: stack.node.id, json: json as TerraformJson };
    });
}

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

/** The guardrail report of an app built by `buildApp` after `app.synth()`: what the review of a synth reads. */
export function guardrailReport(app: App, config: RegistryConfig): GuardrailReport {
  return evaluateGuardrails(synthesizedStacks(app), config);
}

/** Evaluates the guardrails of synthesized stacks; throws `GuardrailViolationError` on any violation that no waiver covers. */
export function enforceGuardrails(stacks: readonly SynthesizedStack[], config: RegistryConfig, source: string): GuardrailReport {
  const report = evaluateGuardrails(stacks, config);
  if (!report.passed) throw new GuardrailViolationError(source, report);
  return report;
}
