import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../checks";
import { ConfigError } from "../config/errors";
import { configPathFromEnv } from "../config/load";
import { asBase, loadBaseConfig } from "../review/base";
import { diffSnapshots } from "../review/diff";
import { renderReview } from "../review/render";
import { reviewSnapshot } from "../review/snapshot";
import { outdirFromEnv } from "../synth";

export interface ReviewOptions {
  /** The command-line arguments after `--`: `--base <dir or git ref>`, `--out <file>`. */
  readonly args?: readonly string[];
  /** @default process.env (`REGISTRY_CONFIG` names the config file) */
  readonly env?: NodeJS.ProcessEnv;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** @default process.stdout */
  readonly out?: NodeJS.WritableStream;
}

export interface ReviewArguments {
  readonly base?: string;
  readonly out?: string;
}

const USAGE = "npm run review -- [--base <folder or git ref>] [--out <file>]";

/** Parses `--base <x>`, `--base=<x>`, `--out <file>`, `--out=<file>`; anything else is an error. */
export function parseReviewArguments(args: readonly string[]): ReviewArguments {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const match = /^--(base|out)(?:=(.*))?$/.exec(args[i]);
    if (!match) {
      problems.push(`${args[i]}: unknown argument; usage: ${USAGE}`);
      continue;
    }
    const value = match[2] ?? args[++i];
    if (value === undefined || value === "") problems.push(`--${match[1]}: needs a value; usage: ${USAGE}`);
    else values[match[1]] = value;
  }
  if (problems.length > 0) throw new ConfigError("npm run review", problems.map((message) => ({ path: "", message })));
  return values;
}

/**
 * `npm run review`: the review report of the config (and, with `--base`, its changes against the
 * base), written to `--out` (default `cdktf.out/review.md`) and printed on stdout, so that
 * `npm run --silent review >> "$GITHUB_STEP_SUMMARY"` puts it into the job summary. Informational:
 * it exits 0 whenever it produced the report; an invalid head or base config, or a base that is
 * neither a folder nor a git commit, is an error (exit 1). A base without the config file (the
 * pull request that adds it) is a base without a registry: everything is new.
 */
export function reviewCommand(options: ReviewOptions = {}): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const args = parseReviewArguments(options.args ?? []);
  const file = configPathFromEnv(env);
  const head = reviewSnapshot(loadConfig(file));
  let report: string;
  if (args.base !== undefined) {
    const base = loadBaseConfig(args.base, file, cwd);
    const config = base.config;
    const baseSnapshot = config ? asBase(() => reviewSnapshot(config)) : undefined;
    report = renderReview(head, { label: base.label, diff: diffSnapshots(baseSnapshot, head), missingConfig: config ? undefined : base.configFile });
  } else {
    report = renderReview(head);
  }
  const target = args.out !== undefined ? path.resolve(cwd, args.out) : path.join(outdirFromEnv(env), "review.md");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, report);
  (options.out ?? process.stdout).write(report);
  return report;
}
