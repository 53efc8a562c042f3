import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildApp, stacksOf } from "../stacks/app";
import { RegistryConfig } from "../config/schema";
import { readSynthesizedApp } from "../synthesized/read";
import { ParsedStack } from "../synthesized/stack";
import { writeFolderAtomically } from "../synthesized/write-folder";
import { outputsSchema } from "./outputs-contract";
import { HANDOFF_FILES, renderHandoffReadme } from "./readme";

/** Where `npm run handoff` writes: `HANDOFF_OUTDIR`, else `handoff`. */
export function handoffOutdirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.HANDOFF_OUTDIR ?? "handoff");
}

/** A synthesized stack with its configuration rendered as HCL (not yet formatted). */
export interface HandoffStack {
  readonly stack: ParsedStack;
  readonly hcl: string;
}

/**
 * Synthesizes the config the way `npm run synth` does (into a scratch folder) and renders each
 * stack as HCL from the same construct tree, the way `cdktf synth --hcl` does.
 */
export function prepareHandoff(config: RegistryConfig): HandoffStack[] {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ecr-model-registry-handoff-"));
  try {
    const app = buildApp(config, { outdir: scratch });
    app.synth();
    const stacks = stacksOf(app);
    return readSynthesizedApp(scratch).stacks.map((stack) => ({ stack, hcl: stacks.get(stack.name)!.toHclTerraform().hcl }));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The files of one stack's hand-off folder, relative to it; `formattedHcl` is the stack's HCL after `terraform fmt`-style formatting. */
export function handoffFiles(stack: ParsedStack, formattedHcl: string): Record<string, string> {
  return {
    [HANDOFF_FILES.json]: stack.text,
    [HANDOFF_FILES.hcl]: formattedHcl,
    [HANDOFF_FILES.readme]: renderHandoffReadme(stack),
    [HANDOFF_FILES.outputsSchema]: `${JSON.stringify(outputsSchema(stack), null, 2)}\n`,
  };
}

/**
 * Formats HCL exactly as the cdktf CLI does after `cdktf synth --hcl`, with HashiCorp's
 * formatter (hclwrite, compiled to WebAssembly, in `@cdktf/hcl-tools`). Loaded on first use:
 * nothing else needs its 1.5 MB module.
 */
export async function formatHcl(hcl: string): Promise<string> {
  // `require`, not `import()`: the bundles run in a vm.Script (scripts/code-cache.cjs), where Node 20 has no `import()`.
  const { format } = require("@cdktf/hcl-tools") as typeof import("@cdktf/hcl-tools");
  return format(hcl);
}

/** Every file of the hand-off, relative to its root: one folder per stack. */
export async function renderHandoff(stacks: readonly HandoffStack[]): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const { stack, hcl } of stacks) {
    for (const [file, content] of Object.entries(handoffFiles(stack, await formatHcl(hcl)))) {
      files[`${stack.name}/${file}`] = content;
    }
  }
  return files;
}

/** Writes the hand-off into `outdir`, replacing what was there; returns the stack folders written. */
export async function writeHandoff(stacks: readonly HandoffStack[], outdir: string): Promise<string[]> {
  writeFolderAtomically(outdir, await renderHandoff(stacks), "HANDOFF_OUTDIR");
  return stacks.map(({ stack }) => path.join(outdir, stack.name));
}
