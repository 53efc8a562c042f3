import type { App } from "cdktf";
import { buildApp } from "./stacks/app";
import { locatingProblemsIn, shownPath } from "./config/load";
import { CONFIG_CHECKS, ConfigCheck, loadConfig } from "./checks";
import type { RegistryConfig } from "./config/schema";
import { enforceGuardrails } from "./guardrails/enforce";
import { synthesizedStacks } from "./stacks/project-stack";
import type { GuardrailReport } from "./guardrails/evaluate";
import type { SynthesizedStack } from "./synthesized/stack";
import { Baseline, baselineFromEnv, checkProtectedRemovals } from "./removal-guard";
import { checkStackSizes } from "./stack-size";

/**
 * Every check a config goes through before anything is written, in order. `npm run synth` and
 * `npm run validate` both run `runCheckPipeline`, so validate cannot say "valid" of a config that
 * synth refuses; `__tests__/check-pipeline.test.ts` asserts that each command runs every step.
 */
export const CHECK_STEPS = [
  /** YAML, the schema (src/config/) and every cross-field rule of `CONFIG_CHECKS` (src/checks/), their problems listed together. */
  "config",
  /** The stacks built and synthesized: construct validations (`node.addValidation`) run here. */
  "synth",
  /** Security rules on the synthesized stacks, with the config's waivers (src/guardrails/). */
  "guardrails",
  /** No protected repository or key dropped against the baseline (src/removal-guard.ts). */
  "removal guard",
  /** No stack over `stackGroups.maxResources`: a warning, or an error with `failOnExcess` (src/stack-size.ts). */
  "stack size",
] as const;

export type CheckStep = (typeof CHECK_STEPS)[number];

export interface CheckPipelineOptions {
  /** The config file. */
  readonly file: string;
  /** Where the stacks are synthesized: synth's temporary folder, or validate's throwaway one. */
  readonly synthOutdir: string;
  /** The output folder synth replaces: the removal guard's baseline unless `REGISTRY_BASELINE` names another. */
  readonly outdir: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default CONFIG_CHECKS */
  readonly checks?: readonly ConfigCheck[];
}

/** What passed every check. */
export interface CheckedSynth {
  readonly config: RegistryConfig;
  readonly app: App;
  readonly stacks: readonly SynthesizedStack[];
  readonly guardrails: GuardrailReport;
  /** The steps that ran, in order: every one of `CHECK_STEPS`. */
  readonly steps: readonly CheckStep[];
  /** The size guard's warnings (src/stack-size.ts), one line each; empty when every stack is within the limit. */
  readonly warnings: readonly string[];
  /** What the removal guard compared with; undefined when there was nothing (a first synth). Read it before synth replaces the output folder, which may be this baseline. */
  readonly baseline?: Baseline;
}

/** Runs every check of `CHECK_STEPS` in order; the first step that finds problems throws `ConfigError` listing them. */
export function runCheckPipeline(options: CheckPipelineOptions): CheckedSynth {
  return locatingProblemsIn(options.file, () => runSteps(options));
}

function runSteps(options: CheckPipelineOptions): CheckedSynth {
  const env = options.env ?? process.env;
  const steps: CheckStep[] = [];
  const step = <T>(name: CheckStep, body: () => T): T => {
    steps.push(name);
    return body();
  };
  const config = step("config", () => loadConfig(options.file, options.checks ?? CONFIG_CHECKS));
  const app = step("synth", () => {
    const built = buildApp(config, { outdir: options.synthOutdir });
    built.synth();
    return built;
  });
  const stacks = synthesizedStacks(app);
  const guardrails = step("guardrails", () => enforceGuardrails(stacks, config, shownPath(options.file)));
  const baseline = step("removal guard", () => {
    const found = baselineFromEnv(options.outdir, options.file, env);
    checkProtectedRemovals(config, options.file, stacks, found);
    return found;
  });
  const warnings = step("stack size", () => checkStackSizes(config, stacks, shownPath(options.file)));
  return { config, app, stacks, guardrails, steps, warnings, ...(baseline ? { baseline } : {}) };
}
