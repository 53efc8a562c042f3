import { App, TerraformStack } from "cdktf";
import { stateBucketRegion, stateKeyPrefix } from "../plan/backend";
import { resolveEnvironments } from "../plan/environments";
import { RegistryConfig } from "../config/schema";
import { RegistryStack } from "./registry-stack";
import { RepositoryGroupStack } from "./repository-group-stack";
import { stacksOfEnvironment } from "../plan/stack-groups";
import { StateBootstrapStack } from "./state-bootstrap-stack";

export interface BuildOptions {
  /** Where `app.synth()` writes. @default - cdktf's default (`CDKTF_OUTDIR` or `cdktf.out`) */
  readonly outdir?: string;
}

/**
 * Builds the cdktf app for a validated config: one stack per environment and one per repository
 * group of it (docs/stack-groups.md), plus the state
 * bootstrap stack when state lives in an S3 bucket this project creates. `enforceGuardrails`
 * (src/guardrails/enforce.ts) checks what its stacks synthesized after `app.synth()`.
 */
export function buildApp(config: RegistryConfig, options: BuildOptions = {}): App {
  const app = new App({ outdir: options.outdir });
  if (config.state.backend === "s3" && config.state.bootstrap) {
    new StateBootstrapStack(app, {
      project: config.project,
      state: config.state,
      region: stateBucketRegion(config),
      accountId: config.state.accountId ?? config.accountId,
      keyPrefix: stateKeyPrefix(config),
      tags: config.tags,
    });
  }
  for (const environment of resolveEnvironments(config)) {
    new RegistryStack(app, { config, environment });
    for (const stack of stacksOfEnvironment(config, environment).slice(1)) new RepositoryGroupStack(app, { config, environment, stack });
  }
  return app;
}

/** The stacks of a cdktf app, by name. */
export function stacksOf(app: App): Map<string, TerraformStack> {
  return new Map(app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c)).map((s) => [s.node.id, s]));
}
