import * as fs from "fs";
import * as path from "path";
import { ParsedStack, SynthesizedStack, byKey, parseStack } from "./stack";

/** Every stack of one synth output folder (`cdktf.out`), sorted by name. */
export interface SynthesizedApp {
  /** The output folder that was read. */
  readonly dir: string;
  readonly stacks: readonly ParsedStack[];
}

interface ManifestStack {
  readonly name: string;
  readonly synthesizedStackPath: string;
  readonly workingDirectory: string;
}

/**
 * The text of each stack of a synth output folder, sorted by name, found through its
 * `manifest.json` (the index the cdktf CLI uses). The stacks must be Terraform JSON
 * (`npm run synth`), not HCL (`npm run synth:hcl`).
 */
function readStackTexts(dir: string): Array<{ name: string; text: string }> {
  const manifestFile = path.join(dir, "manifest.json");
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} does not exist; run npm run synth first`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { stacks: Record<string, ManifestStack> };
  const stacks = Object.values(manifest.stacks).map((entry) => {
    if (!entry.synthesizedStackPath.endsWith(".json")) {
      throw new Error(`${dir} holds HCL (${entry.synthesizedStackPath}); these readers need Terraform JSON from npm run synth`);
    }
    return { name: entry.name, text: fs.readFileSync(path.join(dir, entry.synthesizedStackPath), "utf8") };
  });
  return stacks.sort(byKey((s) => s.name));
}

/** The stacks of an existing synth output folder, for checking or reviewing a synth without the app that wrote it. */
export function readSynthesizedStacks(dir: string): SynthesizedStack[] {
  return readStackTexts(dir).map(({ name, text }) => ({ name, json: JSON.parse(text) }));
}

/** The stacks of a synth output folder, each parsed into resources, outputs, backend and providers (`ParsedStack`). */
export function readSynthesizedApp(dir: string): SynthesizedApp {
  return { dir, stacks: readStackTexts(dir).map(({ name, text }) => parseStack(name, text)) };
}
