import type { WaiverConfig } from "../config/schema/guardrails";
import type { RegistryConfig } from "../config/schema";
import { GUARDRAIL_RULES, GuardrailCheck, GuardrailRule } from "./rules";
import type { SynthesizedStack } from "../synthesized/stack";
import { GuardrailView, Subject } from "./view";

/** What became of one check: passed, waived by a config waiver, or a violation that fails synth. */
export type GuardrailStatus = "pass" | "waived" | "violation";

/** One check of one rule, with its outcome. */
export interface GuardrailResult extends GuardrailCheck {
  readonly rule: string;
  /** The environment of the stack; absent for the state stack. */
  readonly environment?: string;
  readonly status: GuardrailStatus;
  /** Index in `guardrails.waivers` of the waiver that covers it (status `waived`). */
  readonly waiver?: number;
}

/** Per rule: how many checks it made and how they came out. */
export interface RuleOutcome {
  readonly id: string;
  readonly reason: string;
  readonly controls: readonly string[];
  readonly scope: string;
  readonly fix: string;
  readonly checks: number;
  readonly passed: number;
  readonly waived: number;
  readonly violations: number;
}

/** A config waiver and what it covered. */
export interface WaiverUse extends WaiverConfig {
  /** `guardrails.waivers[<index>]`. */
  readonly configPath: string;
  /** The checks it turned from violations into waived ones. */
  readonly matched: ReadonlyArray<{ readonly stack: string; readonly address: string }>;
}

export interface GuardrailReport {
  /** True when no check is a violation. */
  readonly passed: boolean;
  /** Every rule of the catalogue, in its order, evaluated or not applicable (0 checks). */
  readonly rules: readonly RuleOutcome[];
  /** Every check, by rule (catalogue order), stack and address. */
  readonly results: readonly GuardrailResult[];
  readonly violations: readonly GuardrailResult[];
  readonly waived: readonly GuardrailResult[];
  /** Every waiver of the config, in config order, with what it matched (possibly nothing). */
  readonly waivers: readonly WaiverUse[];
}

/**
 * Evaluates every guardrail rule against synthesized stacks (their `cdk.tf.json`, parsed) and
 * applies the config's waivers. Pure: the same stacks and config give the same report. The config
 * only names environments, matches waivers and locates the config field behind a setting.
 */
export function evaluateGuardrails(
  stacks: readonly SynthesizedStack[],
  config: RegistryConfig,
  rules: readonly GuardrailRule[] = GUARDRAIL_RULES,
): GuardrailReport {
  const view = new GuardrailView(stacks, config);
  const environmentOf = new Map(view.stacks.map((s) => [s.name, s.info.environment]));
  const waivers = config.guardrails.waivers;
  const matched = waivers.map(() => [] as Array<{ stack: string; address: string }>);

  const results: GuardrailResult[] = [];
  const outcomes = rules.map((rule): RuleOutcome => {
    const counts: Record<GuardrailStatus, number> = { pass: 0, waived: 0, violation: 0 };
    for (const check of rule.evaluate(view)) {
      const environment = environmentOf.get(check.stack);
      const index = check.passed ? -1 : waivers.findIndex((w) => waiverCovers(w, rule.id, environment, check.subject));
      const status: GuardrailStatus = check.passed ? "pass" : index < 0 ? "violation" : "waived";
      counts[status]++;
      results.push({
        rule: rule.id,
        ...check,
        ...(environment !== undefined ? { environment } : {}),
        status,
        ...(status === "waived" ? { waiver: index } : {}),
      });
      if (status === "waived") matched[index].push({ stack: check.stack, address: check.address });
    }
    return {
      id: rule.id,
      reason: rule.reason,
      controls: rule.controls,
      scope: rule.scope,
      fix: rule.fix,
      checks: counts.pass + counts.waived + counts.violation,
      passed: counts.pass,
      waived: counts.waived,
      violations: counts.violation,
    };
  });
  const violations = results.filter((r) => r.status === "violation");
  return {
    passed: violations.length === 0,
    rules: outcomes,
    results,
    violations,
    waived: results.filter((r) => r.status === "waived"),
    waivers: waivers.map((w, i) => ({ ...w, configPath: `guardrails.waivers[${i}]`, matched: matched[i] })),
  };
}

/**
 * Whether a waiver covers a failed check: same rule; the check's environment among the waiver's
 * `environments` (when given; the state stack has none); and its repository or template among the
 * waiver's `repositories`/`creationTemplates` (when either is given).
 */
export function waiverCovers(waiver: WaiverConfig, rule: string, environment: string | undefined, subject: Subject): boolean {
  if (waiver.rule !== rule) return false;
  if (waiver.environments && (environment === undefined || !waiver.environments.includes(environment))) return false;
  if (!waiver.repositories && !waiver.creationTemplates) return true;
  if (subject.kind === "repository") return waiver.repositories?.includes(subject.name) ?? false;
  if (subject.kind === "creationTemplate") return waiver.creationTemplates?.includes(subject.prefix) ?? false;
  return false;
}

/** The name of the machine-readable report synth writes into the output folder, beside `manifest.json` and `stacks/`. */
export const GUARDRAILS_FILE = "guardrails.json";

/**
 * `guardrails.json`: the report as stable JSON, with no paths or timestamps. Checks name their
 * repository or template rather than its config path, so reordering the config's lists changes no
 * byte (the violations synth prints carry config paths; a violation is never written).
 */
export function guardrailsJson(report: GuardrailReport): string {
  const subject = (s: Subject) =>
    s.kind === "repository" ? { repository: s.name } : s.kind === "creationTemplate" ? { creationTemplate: s.prefix } : {};
  const result = (r: GuardrailResult) => ({
    rule: r.rule,
    stack: r.stack,
    ...(r.environment !== undefined ? { environment: r.environment } : {}),
    address: r.address,
    ...subject(r.subject),
    status: r.status,
    detail: r.detail,
    ...(r.waiver !== undefined ? { waiver: `guardrails.waivers[${r.waiver}]` } : {}),
  });
  const document = {
    passed: report.passed,
    summary: {
      rules: report.rules.length,
      checks: report.results.length,
      passed: report.results.filter((r) => r.status === "pass").length,
      waived: report.waived.length,
      violations: report.violations.length,
    },
    rules: report.rules,
    waivers: report.waivers.map((w) => ({
      configPath: w.configPath,
      rule: w.rule,
      ...(w.environments ? { environments: w.environments } : {}),
      ...(w.repositories ? { repositories: w.repositories } : {}),
      ...(w.creationTemplates ? { creationTemplates: w.creationTemplates } : {}),
      reason: w.reason,
      matched: w.matched,
    })),
    violations: report.violations.map(result),
    results: report.results.map(result),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A waiver's scope and how much it matched, e.g. `ecr-kms-encryption, repository ai-models/x in dev (1 check)`. */
export function describeWaiver(waiver: WaiverUse): string {
  const names = (singular: string, plural: string, list?: readonly string[]) =>
    list ? `${list.length === 1 ? singular : plural} ${list.join(", ")}` : "";
  const scope = [
    names("repository", "repositories", waiver.repositories),
    names("creation template", "creation templates", waiver.creationTemplates),
    waiver.environments ? `in ${waiver.environments.join(", ")}` : "everywhere",
  ]
    .filter(Boolean)
    .join(" ");
  const count = waiver.matched.length === 0 ? "matched nothing" : waiver.matched.length === 1 ? "1 check" : `${waiver.matched.length} checks`;
  return `${waiver.rule}, ${scope} (${count})`;
}

/**
 * The lines synth prints about guardrails: the counts, and every waiver with its reason, so a
 * reviewer sees each deviation on every run.
 */
export function guardrailSummaryLines(report: GuardrailReport, reportPath: string): string[] {
  const waivers = report.waivers.length;
  const head = `Guardrails: ${report.rules.length} rules, ${report.results.length} checks, no violations${
    waivers === 0 ? "" : `, ${waivers === 1 ? "1 waiver" : `${waivers} waivers`}`
  } (${reportPath})${waivers === 0 ? "" : ":"}`;
  return [head, ...report.waivers.flatMap((w) => [`  ${describeWaiver(w)}:`, `    ${w.reason.trim()}`])];
}

/** The violation report: each violation with its rule, stack, address, config path and fix, then how to waive. */
export function formatViolations(source: string, report: GuardrailReport, located?: ReadonlyArray<{ readonly location?: string }>): string {
  const count = report.violations.length === 1 ? "1 guardrail check" : `${report.violations.length} guardrail checks`;
  const lines = [`${source} fails ${count}; nothing was written:`];
  for (const [i, v] of report.violations.entries()) {
    const rule = GUARDRAIL_RULES.find((r) => r.id === v.rule);
    const at = [v.configPath, located?.[i]?.location].filter(Boolean).join(", ");
    lines.push(`  ${v.rule}: ${v.stack} ${v.address}${at ? ` (${at})` : ""}`);
    lines.push(`    ${v.detail}`);
    if (rule) lines.push(`    fix: ${rule.fix}`);
  }
  const example = report.violations[0];
  lines.push(
    "A rule can be waived only with a written reason, in the config, e.g.:",
    "  guardrails:",
    "    waivers:",
    `      - rule: ${example.rule}`,
    ...(example.subject.kind === "repository" ? [`        repositories: [${example.subject.name}]`] : []),
    ...(example.subject.kind === "creationTemplate" ? [`        creationTemplates: [${example.subject.prefix}]`] : []),
    ...(example.environment !== undefined ? [`        environments: [${example.environment}]`] : []),
    "        reason: <why this rule does not apply here>",
  );
  return lines.join("\n");
}
