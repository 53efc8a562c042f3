import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../checks";
import { configPathFromEnv } from "../config/load";
import { ConfigError } from "../config/errors";
import { environmentStackNames } from "../environment-stacks";
import { asBase, loadBaseConfig } from "../review/base";
import { changedStacks } from "../review/changed-stacks";
import { synthesizeInMemory } from "../review/snapshot";
import { readSynthesizedStacks } from "../synthesized/read";
import type { SynthesizedStack } from "../synthesized/stack";

export interface StacksOptions {
  /** The command-line arguments after `--`: `--changed --base <git ref or folder>`. @default [] */
  readonly args?: readonly string[];
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** @default process.stdout */
  readonly out?: NodeJS.WritableStream;
}

const USAGE = "npm run stacks -- [--changed --base <git ref, project checkout or synth output folder>]";

/**
 * `npm run stacks`: the environment stacks, their groups' too, in deploy order, as a JSON array
 * (the CI workflow's plan matrix). With `--changed --base <x>`, only those whose synthesized
 * Terraform differs from the base's (`changedStacks`): `<x>` is a synth output folder (it has a
 * `manifest.json`), a checkout of the project, or a git ref, whose config is synthesized like
 * `npm run review -- --base` does. Returns the names printed.
 */
export function stacksCommand(options: StacksOptions = {}): string[] {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const { changed, base } = parseStacksArguments(options.args ?? []);
  const file = configPathFromEnv(env);
  const config = loadConfig(file);
  const names = changed ? changedStacks(config, synthesizeInMemory(config), baseStacks(base!, file, cwd)) : environmentStackNames(config);
  (options.out ?? process.stdout).write(`${JSON.stringify(names)}\n`);
  return names;
}

/** The base's stacks: read from a synth output folder, or synthesized from a checkout's or git ref's config; undefined when it has no config. */
function baseStacks(base: string, configFile: string, cwd: string): SynthesizedStack[] | undefined {
  const dir = path.resolve(cwd, base);
  if (fs.existsSync(path.join(dir, "manifest.json"))) return readSynthesizedStacks(dir);
  const { config } = loadBaseConfig(base, configFile, cwd);
  return config ? asBase(() => synthesizeInMemory(config)) : undefined;
}

/** Parses `--changed` and `--base <x>` (or `--base=<x>`); `--changed` needs `--base`, and anything else is an error. */
export function parseStacksArguments(args: readonly string[]): { changed: boolean; base?: string } {
  let changed = false;
  let base: string | undefined;
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const match = /^--base(?:=(.*))?$/.exec(args[i]);
    if (args[i] === "--changed") changed = true;
    else if (match) {
      const value = match[1] ?? args[++i];
      if (value === undefined || value === "") problems.push(`--base: needs a value; usage: ${USAGE}`);
      else base = value;
    } else problems.push(`${args[i]}: unknown argument; usage: ${USAGE}`);
  }
  if (problems.length === 0 && changed !== (base !== undefined)) problems.push(`--changed and --base go together; usage: ${USAGE}`);
  if (problems.length > 0) throw new ConfigError("npm run stacks", problems.map((message) => ({ path: "", message })));
  return { changed, ...(base !== undefined ? { base } : {}) };
}
