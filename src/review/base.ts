import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/errors";
import { loadConfig, parseConfig } from "../config/load";
import type { RegistryConfig } from "../config/schema";

/** The base config of a review, and how the report names it. */
export interface BaseConfig {
  readonly label: string;
  readonly config: RegistryConfig;
}

/**
 * Reads the config at the base of a pull request, at the same path relative to the working
 * directory as the head's config file (`registry.yaml`, or `REGISTRY_CONFIG`). `base` is a folder
 * holding a checkout of the project at the base (a worktree), or else a git ref, read with
 * `git show <ref>:./<config>` (no checkout needed).
 * Problems throw `ConfigError` with a `base:` prefix, so they are not mistaken for the head's.
 */
export function loadBaseConfig(base: string, headConfigFile: string, cwd: string = process.cwd()): BaseConfig {
  const relative = path.relative(cwd, headConfigFile);
  const dir = path.resolve(cwd, base);
  if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) {
    return { label: path.relative(cwd, dir) || ".", config: asBase(() => loadConfig(path.join(dir, relative))) };
  }
  const gitPath = relative.split(path.sep).join("/");
  const source = `${base}:${gitPath}`;
  let text: string;
  try {
    text = execFileSync("git", ["show", `${base}:./${gitPath}`], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim().split("\n")[0];
    throw new ConfigError(`base: ${base}`, [
      { path: "", message: `is neither a folder nor a git ref holding ${gitPath}${stderr ? ` (git: ${stderr})` : ""}` },
    ]);
  }
  return { label: base, config: asBase(() => parseConfig(text, source)) };
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
