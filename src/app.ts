import { App } from "cdktf";
import { resolveEnvironments } from "./config/resolve";
import { RegistryConfig } from "./config/schema";
import { RegistryStack } from "./stacks/registry-stack";

export interface BuildOptions {
  /** Where `app.synth()` writes. @default - cdktf's default (`CDKTF_OUTDIR` or `cdktf.out`) */
  readonly outdir?: string;
}

/** Builds the cdktf app for a validated config: one stack per environment. */
export function buildApp(config: RegistryConfig, options: BuildOptions = {}): App {
  const app = new App({ outdir: options.outdir });
  for (const environment of resolveEnvironments(config)) {
    new RegistryStack(app, { config, environment });
  }
  return app;
}
