import * as path from "path";
import { App, TerraformResource, TerraformStack } from "cdktf";
import { buildApp } from "../../src/stacks/app";
import { GuardrailReport, evaluateGuardrails } from "../../src/guardrails/evaluate";
import { synthesizedStacks } from "../../src/stacks/project-stack";
import { tempDir, validConfig } from "./fixtures";

/** Builds and synthesizes a config (after `mutate` has changed the constructs) and evaluates the guardrails. */
export function guardrailsOf(raw: Record<string, any>, mutate?: (app: App) => void): GuardrailReport {
  const config = validConfig(raw);
  const app = buildApp(config, { outdir: path.join(tempDir(), "cdktf.out") });
  mutate?.(app);
  app.synth();
  return evaluateGuardrails(synthesizedStacks(app), config);
}

/** The construct of one resource (`type.id`) of a stack, to break a setting the way a future code change could. */
export function resource(app: App, stack: string, address: string): TerraformResource {
  const [type, id] = address.split(".");
  const found = app.node
    .findAll()
    .find(
      (c): c is TerraformResource =>
        TerraformResource.isTerraformResource(c) && c.terraformResourceType === type && c.friendlyUniqueId === id && TerraformStack.of(c).node.id === stack,
    );
  if (!found) throw new Error(`no ${address} in ${stack}`);
  return found;
}
