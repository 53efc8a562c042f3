import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { SynthesizedStack, byKey, parseSynthesizedStack } from "./stack";

/** Every stack of one synth output folder (`cdktf.out`), sorted by name. */
export interface SynthesizedApp {
  /** The output folder that was read. */
  readonly dir: string;
  readonly stacks: readonly SynthesizedStack[];
}

interface ManifestStack {
  readonly name: string;
  readonly synthesizedStackPath: string;
  readonly workingDirectory: string;
}

/**
 * Reads a synth output folder through its `manifest.json`, the same index the cdktf CLI uses.
 * The stacks must be Terraform JSON (`npm run synth`), not HCL (`npm run synth:hcl`).
 */
export function readSynthesizedApp(dir: string): SynthesizedApp {
  const manifestFile = path.join(dir, "manifest.json");
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} does not exist; run npm run synth first`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { stacks: Record<string, ManifestStack> };
  const stacks = Object.values(manifest.stacks).map((entry) => {
    if (!entry.synthesizedStackPath.endsWith(".json")) {
      throw new Error(`${dir} holds HCL (${entry.synthesizedStackPath}); these readers need Terraform JSON from npm run synth`);
    }
    return parseSynthesizedStack(entry.name, fs.readFileSync(path.join(dir, entry.synthesizedStackPath), "utf8"));
  });
  return { dir, stacks: stacks.sort(byKey((s) => s.name)) };
}

/** The stacks of a cdktf app, by name. */
export function stacksOf(app: App): Map<string, TerraformStack> {
  return new Map(app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c)).map((s) => [s.node.id, s]));
}
