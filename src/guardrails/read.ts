import * as fs from "fs";
import * as path from "path";
import { SynthesizedStack } from "./view";

/**
 * The stacks of an existing synth output folder (`cdktf.out`), from its `manifest.json`: for
 * evaluating or reviewing a synth after the fact, without the app that wrote it. JSON stacks only.
 */
export function readSynthesizedStacks(outdir: string): SynthesizedStack[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { name: string; synthesizedStackPath: string }>;
  };
  return Object.values(manifest.stacks)
    .map((stack) => ({ name: stack.name, json: JSON.parse(fs.readFileSync(path.join(outdir, stack.synthesizedStackPath), "utf8")) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
