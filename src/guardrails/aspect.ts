import * as fs from "fs";
import * as path from "path";
import { App, Aspects, IAspect, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { ConfigError } from "../config/errors";
import type { RegistryConfig } from "../config/schema";
import { GuardrailReport, evaluateGuardrails, formatViolations } from "./evaluate";
import { SynthesizedStack, TerraformJson } from "./view";

/**
 * The guardrails' entry into cdktf: an aspect added to every stack after the stack's own aspects
 * (so it sees `prevent_destroy` and anything else an aspect sets). cdktf invokes it on every
 * construct of a stack while synthesizing that stack; it records each stack and the Terraform
 * address of each resource the constructs declare. Once `app.synth()` has run, `report()` reads
 * what synth wrote for each stack and evaluates the rule catalogue (`rules.ts`) against it.
 */
export class GuardrailAspect implements IAspect {
  private readonly stacks: TerraformStack[] = [];
  private readonly declared = new Map<TerraformStack, Set<string>>();

  /** Adds one aspect to each stack; call it after the stacks are built. */
  static addTo(stacks: readonly TerraformStack[]): GuardrailAspect {
    const aspect = new GuardrailAspect();
    for (const stack of stacks) Aspects.of(stack).add(aspect);
    return aspect;
  }

  /** The aspect `addTo` put on the app's stacks. */
  static of(app: App): GuardrailAspect {
    for (const child of app.node.children) {
      if (!TerraformStack.isStack(child)) continue;
      const aspect = Aspects.of(child).all.find((a): a is GuardrailAspect => a instanceof GuardrailAspect);
      if (aspect) return aspect;
    }
    throw new Error("the app has no guardrails; build it with buildApp (src/app.ts)");
  }

  visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) {
      if (!this.declared.has(node)) {
        this.stacks.push(node);
        this.declared.set(node, new Set());
      }
      return;
    }
    if (TerraformResource.isTerraformResource(node)) {
      this.declared.get(TerraformStack.of(node))?.add(`${node.terraformResourceType}.${node.friendlyUniqueId}`);
    }
  }

  /**
   * Every visited stack as synthesized: its `cdk.tf.json` under `outdir` when synth wrote one
   * (the bytes that are about to be kept), else the stack's own rendering (HCL output).
   * Throws when synth has not run, or when a written file lacks a resource the constructs declare.
   */
  synthesizedStacks(outdir: string): SynthesizedStack[] {
    if (this.stacks.length === 0) throw new Error("guardrails run on a synthesized app: call app.synth() first");
    return this.stacks.map((stack) => {
      const file = path.join(outdir, "stacks", stack.node.id, "cdk.tf.json");
      const json: TerraformJson = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : stack.toTerraform();
      for (const address of this.declared.get(stack) ?? []) {
        const [type, id] = address.split(".");
        if (json.resource?.[type]?.[id] === undefined) throw new Error(`${file} does not contain ${address}, which the stack declares; it is not this synth's output`);
      }
      return { name: stack.node.id, json };
    });
  }

  /** Evaluates the rule catalogue against what synth wrote. */
  report(app: App, config: RegistryConfig): GuardrailReport {
    return evaluateGuardrails(this.synthesizedStacks(app.outdir), config);
  }
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
    this.message = formatViolations(source, report);
  }
}

/** The guardrail report of an app built by `buildApp` after `app.synth()`: what the review of a synth reads. */
export function guardrailReport(app: App, config: RegistryConfig): GuardrailReport {
  return GuardrailAspect.of(app).report(app, config);
}

/** Evaluates the guardrails of a synthesized app; throws `GuardrailViolationError` on any violation that no waiver covers. */
export function enforceGuardrails(app: App, config: RegistryConfig, source: string): GuardrailReport {
  const report = guardrailReport(app, config);
  if (!report.passed) throw new GuardrailViolationError(source, report);
  return report;
}
