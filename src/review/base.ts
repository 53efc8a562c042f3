import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/errors";
import { loadConfig, parseConfig } from "../checks";
import type { RegistryConfig } from "../config/schema";

/** The base config of a review, and how the report names it. */
export interface BaseConfig {
  readonly label: string;
  /** Undefined when the base holds no config file: it has no registry yet (the pull request adds it). */
  readonly config?: RegistryConfig;
  /** The config file's path in the base (relative, `/`-separated), as the report names it. */
  readonly configFile: string;
}

/**
 * Reads the config at the base of a pull request, at the same path relative to the working
 * directory as the head's config file (`registry.yaml`, or `REGISTRY_CONFIG`). `base` is a folder
 * holding a checkout of the project at the base (a worktree), or else a git ref, read with
 * `git show <ref>:./<config>` (no checkout needed). A folder or commit without the file is a base
 * without a registry (`config` undefined); anything that is neither a folder nor a commit is an
 * error, so a mistyped branch is not taken for an empty base.
 * Problems throw `ConfigError` with a `base:` prefix, so they are not mistaken for the head's.
 */
export function loadBaseConfig(base: string, headConfigFile: string, cwd: string = process.cwd()): BaseConfig {
  const relative = path.relative(cwd, headConfigFile);
  const configFile = relative.split(path.sep).join("/");
  const dir = path.resolve(cwd, base);
  if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) {
    const file = path.join(dir, relative);
    const label = path.relative(cwd, dir) || ".";
    if (!fs.existsSync(file)) return { label, configFile };
    return { label, configFile, config: asBase(() => loadConfig(file)) };
  }
  const problem = (message: string, stderr = "") =>
    new ConfigError(`base: ${base}`, [{ path: "", message: `${message}${stderr ? ` (git: ${stderr})` : ""}` }]);
  // A ref never starts with "-"; git would read it as an option.
  const commit = base.startsWith("-") ? { ok: false, stderr: "" } : git(["rev-parse", "--verify", "--quiet", `${base}^{commit}`], cwd);
  if (!commit.ok) throw problem("is neither a folder nor a git ref of a commit (is the branch fetched? CI needs fetch-depth: 0)", commit.stderr);
  const spec = `${base}:./${configFile}`;
  if (!git(["cat-file", "-e", spec], cwd).ok) return { label: base, configFile };
  const shown = git(["show", spec], cwd);
  if (!shown.ok) throw problem(`is a git ref, but git show ${spec} failed`, shown.stderr);
  return { label: base, configFile, config: asBase(() => parseConfig(shown.stdout, `${base}:${configFile}`)) };
}

/** Runs git; `ok` is false when it exits non-zero (or cannot start), with the first line of its stderr. */
function git(args: string[], cwd: string): { ok: boolean; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, stdout, stderr: "" };
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? (error as Error).message ?? "").trim().split("\n")[0];
    return { ok: false, stdout: "", stderr };
  }
}

/** Runs `body`, marking any config problem as the base's. */
export function asBase<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`base: ${error.source}`, error.problems);
    throw error;
  }
}
