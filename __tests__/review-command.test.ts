import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseReviewArguments, reviewCommand } from "../src/commands/review";
import { ConfigError } from "../src/config/errors";
import { loadBaseConfig } from "../src/review/base";
import { minimalRawConfig, runScript, tempDir, writeConfig } from "./support/fixtures";

const BASE = { ...minimalRawConfig(), consumers: [{ kind: "pull", principal: "arn:aws:iam::555555555555:role/reader" }] };
const HEAD = { ...minimalRawConfig(), consumers: [{ kind: "push", principal: "arn:aws:iam::555555555555:role/reader" }] };
const WIDENING = "| dev | `ai-models/llm` | `arn:aws:iam::555555555555:role/reader` | pull | push | **widening** |";

/** Collects what a command writes to stdout. */
function sink(): NodeJS.WritableStream & { text: string } {
  const out = { text: "", write: (chunk: string) => ((out.text += chunk), true) };
  return out as unknown as NodeJS.WritableStream & { text: string };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: cwd } });
}

/** A git repository whose first commit holds BASE and second HEAD, as registry.yaml. */
function repositoryWithTwoCommits(): string {
  const dir = tempDir();
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.email", "test@example.com");
  git(dir, "config", "user.name", "test");
  writeConfig(dir, BASE);
  git(dir, "add", "registry.yaml");
  git(dir, "commit", "-qm", "base");
  writeConfig(dir, HEAD);
  git(dir, "commit", "-qam", "head");
  return dir;
}

describe("npm run review (reviewCommand)", () => {
  test("--base a git ref reads the base config with git show; the report goes to --out and stdout", () => {
    const repo = repositoryWithTwoCommits();
    const out = sink();
    reviewCommand({ args: ["--base", "HEAD~1", "--out", "review.md"], cwd: repo, env: { REGISTRY_CONFIG: path.join(repo, "registry.yaml") }, out });
    expect(out.text).toContain("## Changes against `HEAD~1`");
    expect(out.text).toContain(WIDENING);
    expect(fs.readFileSync(path.join(repo, "review.md"), "utf8")).toBe(out.text);
    expect(out.text).not.toContain(repo);
  });

  test("--base a folder reads the registry.yaml in it, named relative to the working directory", () => {
    const work = tempDir();
    const baseDir = path.join(work, "base");
    fs.mkdirSync(baseDir);
    writeConfig(baseDir, BASE);
    const head = writeConfig(work, HEAD);
    const out = sink();
    reviewCommand({ args: ["--base=base"], cwd: work, env: { REGISTRY_CONFIG: head, CDKTF_OUTDIR: path.join(work, "cdktf.out") }, out });
    expect(out.text).toContain("## Changes against `base`");
    expect(out.text).toContain(WIDENING);
    expect(fs.readFileSync(path.join(work, "cdktf.out", "review.md"), "utf8")).toBe(out.text);
  });

  test("in a folder base, the config is at the head's path relative to the working directory", () => {
    const work = tempDir();
    fs.mkdirSync(path.join(work, "base", "config"), { recursive: true });
    writeConfig(path.join(work, "base", "config"), BASE, "models.yaml");
    const base = loadBaseConfig("base", path.join(work, "config", "models.yaml"), work);
    expect(base.label).toBe("base");
    expect(base.config?.consumers).toEqual(BASE.consumers);
  });

  test("an invalid base config is reported by path with a base: prefix", () => {
    const repo = repositoryWithTwoCommits();
    writeConfig(repo, { ...minimalRawConfig(), repositories: [{ name: "Bad_Name" }] });
    git(repo, "commit", "-qam", "broken");
    writeConfig(repo, HEAD);
    expect(() => loadBaseConfig("HEAD", path.join(repo, "registry.yaml"), repo)).toThrow(ConfigError);
    expect(() => loadBaseConfig("HEAD", path.join(repo, "registry.yaml"), repo)).toThrow(
      /^base: HEAD:registry\.yaml is invalid \(1 problem\):\n {2}HEAD:registry\.yaml:8:11: repositories\[0\]\.name \(repository Bad_Name\): must be lowercase/,
    );
  });

  test("a git ref without the config file is a base without a registry: everything is new", () => {
    const repo = repositoryWithTwoCommits();
    git(repo, "rm", "-q", "registry.yaml");
    git(repo, "commit", "-qm", "no registry");
    writeConfig(repo, HEAD);
    const out = sink();
    reviewCommand({ args: ["--base", "HEAD", "--out", "review.md"], cwd: repo, env: { REGISTRY_CONFIG: path.join(repo, "registry.yaml") }, out });
    expect(out.text).toContain(
      "## Changes against `HEAD`\n\n`HEAD` has no `registry.yaml`, so it has no registry: every environment, repository, registry-wide setting and grant below is new.\n\nStacks this change touches (CI plans these, in deploy order): `model-registry-dev`.\n\n- Environment `dev` added.\n\n### Repositories\n\n",
    );
    expect(out.text).toContain("| dev | `ai-models/llm` | added |");
    expect(out.text).toContain("| dev | `ai-models/llm` | `arn:aws:iam::555555555555:role/reader` | — | push | **widening** |");
  });

  test("a folder without the config file is a base without a registry", () => {
    const work = tempDir();
    fs.mkdirSync(path.join(work, "base"));
    const base = loadBaseConfig("base", writeConfig(work, HEAD), work);
    expect(base).toEqual({ label: "base", configFile: "registry.yaml" });
  });

  test("a base that is neither a folder nor a git ref exits 1 and says so, without a stack trace (child process)", () => {
    const repo = repositoryWithTwoCommits();
    const result = runScript("scripts/review.ts", repo, { REGISTRY_CONFIG: path.join(repo, "registry.yaml") }, ["--base", "no-such-branch"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "error: base: no-such-branch is invalid (1 problem):\n  is neither a folder nor a git ref of a commit (is the branch fetched? CI needs fetch-depth: 0)\n",
    );
  });

  test("unknown arguments and missing values are errors", () => {
    expect(() => parseReviewArguments(["--bsae", "main"])).toThrow(/--bsae: unknown argument; usage: npm run review -- \[--base <folder or git ref>\] \[--out <file>\]/);
    expect(() => parseReviewArguments(["--base"])).toThrow(/--base: needs a value/);
    expect(parseReviewArguments(["--base", "origin/main", "--out=r.md"])).toEqual({ base: "origin/main", out: "r.md" });
  });

  test("an invalid head config prints its problems by path, exits 1 and writes nothing (child process)", () => {
    const work = tempDir();
    const bad = writeConfig(work, { ...minimalRawConfig(), repositories: [{ name: "Bad_Name" }] });
    const result = runScript("scripts/review.ts", work, { REGISTRY_CONFIG: bad });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: registry\.yaml is invalid \(1 problem\):\n {2}registry\.yaml:8:11: repositories\[0\]\.name \(repository Bad_Name\): must be lowercase/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(work)).toEqual(["registry.yaml"]);
  });
});
