import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { spawn } from "child_process";
import { stringify } from "yaml";
import { parseConfig } from "../src/checks";
import { registryConfigSchema } from "../src/config/schema";
import type { DriverResult, DriverRun } from "./support/bad-input-driver";
import { BAD_INPUTS, BASE_YAML, BadInput, ConfigFile } from "./support/bad-inputs";
import { PROJECT_ROOT, bundledScript, tempDir } from "./support/fixtures";
import { allDocumentation } from "./support/docs";

// Every catalogue case runs through the synth command end to end, all in ONE child process
// (support/bad-input-driver.ts), each in its own folder holding the output of an earlier synth.
// A few cases also run through main.ts in child processes of their own, concurrently. Both run as
// bundles built by jest's global setup with scripts/bundle.mjs, like `npm run synth`.

interface RunOutcome {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const PREVIOUS_OUTPUT: Record<string, string> = {
  "cdktf.out/manifest.json": '{"version": "previous synth"}\n',
  "cdktf.out/stacks/model-registry-dev/cdk.tf.json": '{"resource": {"aws_ecr_repository": {}}}\n',
};

/** Writes what `REGISTRY_CONFIG` will name into `dir`; returns the variable's value. */
function placeConfig(dir: string, file: ConfigFile): string {
  const target = path.join(dir, "registry.yaml");
  switch (file.kind) {
    case "yaml":
      fs.writeFileSync(target, file.text);
      break;
    case "data":
      fs.writeFileSync(target, stringify(file.data));
      break;
    case "bytes":
      fs.writeFileSync(target, file.bytes);
      break;
    case "sparse":
      fs.writeFileSync(target, "");
      fs.truncateSync(target, file.size);
      break;
    case "directory":
      fs.mkdirSync(target);
      break;
    case "missing":
      break;
    case "path":
      return file.path;
  }
  return "registry.yaml";
}

/** Every file and folder under `dir`, files with a digest of their content. */
function snapshotTree(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((entry) => {
      const full = path.join(entry.parentPath, entry.name);
      const relative = path.relative(dir, full);
      if (!entry.isFile()) return `${relative}/`;
      return `${relative} ${crypto.createHash("sha256").update(fs.readFileSync(full)).digest("hex")}`;
    })
    .sort();
}

function runNode(args: string[], cwd: string, env: Record<string, string>): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

/**
 * The exact stderr header, then one line per expected problem: `file:line:column: ` when the case
 * gives a place, the path (with the name of the repository, environment or creation template it is
 * in, if any) and a fragment of its message.
 */
function expectReported(stderr: string, source: string, problems: BadInput["problems"]): void {
  const [header, ...lines] = stderr.split("\n");
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  expect(header).toBe(`error: ${source} is invalid (${count}):`);
  expect(lines.pop()).toBe("");
  expect(lines).toHaveLength(problems.length);
  problems.forEach(([problemPath, fragment, at], i) => {
    const where = at ? `${source}:${at}: ` : "";
    const named = problemPath ? `${escape(problemPath)}(?: \\((?:repository|environment|creation template) [^)]+\\))?: ` : "";
    const matches = new RegExp(`^  ${escape(where)}${named}`).test(lines[i]) && lines[i].includes(fragment);
    expect(matches ? "" : lines[i]).toBe("");
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A line of a JavaScript stack trace, e.g. `    at Object.<anonymous> (/app/main.ts:4:1)`. */
const STACK_FRAME = /^\s+at .*:\d+:\d+\)?$/m;

const root = tempDir();
const caseDir = (i: number) => path.join(root, `case-${i}`);
const accepted = path.join(root, "accepted-bom-crlf");
const crash = path.join(root, "crash");
const unwritable = path.join(root, "unwritable");
const before = new Map<number, string[]>();
const sources = new Map<number, string>();
let driver: Map<string, DriverResult>;
const children = new Map<number, RunOutcome>();
const childCases = BAD_INPUTS.map((c, i) => [c, i] as const).filter(([c]) => c.childProcess);

beforeAll(async () => {
  // The main.ts runs start first: each spends a few hundred milliseconds loading the app.
  const childRuns = childCases.map(async ([c, i]) => {
    const dir = path.join(root, `child-${i}`);
    fs.mkdirSync(dir);
    const config = placeConfig(dir, c.file);
    children.set(i, await runNode([bundledScript("main.ts")], dir, { REGISTRY_CONFIG: config }));
  });

  const runs: DriverRun[] = BAD_INPUTS.map((c, i) => {
    const dir = caseDir(i);
    fs.mkdirSync(dir);
    for (const [file, content] of Object.entries(PREVIOUS_OUTPUT)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    }
    const config = placeConfig(dir, c.file);
    sources.set(i, path.relative(dir, path.resolve(dir, config)));
    before.set(i, snapshotTree(dir));
    return { id: String(i), cwd: dir, env: { REGISTRY_CONFIG: config } };
  });
  // A valid config with a byte order mark and Windows line endings must synthesize.
  fs.mkdirSync(accepted);
  fs.writeFileSync(path.join(accepted, "registry.yaml"), `\uFEFF${BASE_YAML.replace(/\n/g, "\r\n")}`);
  runs.push({ id: "accepted", cwd: accepted, env: { REGISTRY_CONFIG: "registry.yaml" } });
  // The harness itself: an exception that is not a ConfigError (a simulated bug) must show up as a
  // crash, or the checks above could not fail.
  fs.mkdirSync(crash);
  fs.writeFileSync(path.join(crash, "registry.yaml"), BASE_YAML);
  runs.push({ id: "crash", cwd: crash, env: { REGISTRY_CONFIG: "registry.yaml" }, simulateBug: true });
  // An output folder under a file is the user's to fix: reported without a stack trace.
  fs.mkdirSync(unwritable);
  fs.writeFileSync(path.join(unwritable, "registry.yaml"), BASE_YAML);
  fs.writeFileSync(path.join(unwritable, "not-a-folder"), "");
  runs.push({ id: "unwritable", cwd: unwritable, env: { REGISTRY_CONFIG: "registry.yaml", CDKTF_OUTDIR: "not-a-folder/cdktf.out" } });

  const runsFile = path.join(root, "runs.json");
  const resultsFile = path.join(root, "results.json");
  fs.writeFileSync(runsFile, JSON.stringify(runs));
  const driverRun = await runNode([bundledScript("__tests__/support/bad-input-driver.ts"), runsFile, resultsFile], root, {});
  await Promise.all(childRuns);
  if (driverRun.exitCode !== 0) throw new Error(`the driver failed:\n${driverRun.stderr}`);
  const results: DriverResult[] = JSON.parse(fs.readFileSync(resultsFile, "utf8"));
  driver = new Map(results.map((r) => [r.id, r]));
}, 120_000);

// The cases hold a 10 MiB (sparse) file and a 2 MB one; leave nothing behind.
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("bad input is rejected by path, with exit code 1, no stack trace and the output folder untouched", () => {
  test.each(BAD_INPUTS.map((c, i) => [`${c.section}: ${c.name}`, c, i] as const))("%s", (_name, c, i) => {
    const result = driver.get(String(i))!;
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expectReported(result.stderr, sources.get(i)!, c.problems);
    expect(snapshotTree(caseDir(i))).toEqual(before.get(i));
  });
});

describe("main.ts in a child process of its own", () => {
  test.each(childCases.map(([c, i]) => [`${c.section}: ${c.name}`, i] as const))(
    "%s: the same message as the driver's run, exit code 1, and no output folder created",
    (_name, i) => {
      const child = children.get(i)!;
      expect(child.stderr).not.toMatch(STACK_FRAME);
      expect(child.exitCode).toBe(1);
      expect(child.stdout).toBe("");
      expect(child.stderr).toBe(driver.get(String(i))!.stderr);
      expect(fs.readdirSync(path.join(root, `child-${i}`))).toEqual(BAD_INPUTS[i].file.kind === "missing" ? [] : ["registry.yaml"]);
    },
  );

  test("the catalogue runs at least three cases through main.ts itself", () => {
    expect(childCases.length).toBeGreaterThanOrEqual(3);
  });
});

describe("the driver", () => {
  test("reports an exception that is not a ConfigError with its stack and exit code 1, as node would", () => {
    const result = driver.get("crash")!;
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^TypeError: a simulated bug\n/);
    expect(result.stderr).toMatch(STACK_FRAME);
  });
});

describe("an output folder that cannot be written", () => {
  test("is reported with the reason and the setting to change, exit code 1, no stack trace, nothing written", () => {
    const result = driver.get("unwritable")!;
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `error: cannot write the output folder ${path.join(fs.realpathSync(unwritable), "not-a-folder", "cdktf.out")}: a part of its path is a file, not a folder (ENOTDIR); set CDKTF_OUTDIR to a folder you can write to\n`,
    );
    expect(fs.readdirSync(unwritable).sort()).toEqual(["not-a-folder", "registry.yaml"]);
    // The documentation shows this message for a folder under /work.
    const shown = result.stderr.replace(fs.realpathSync(unwritable), "/work");
    expect(allDocumentation()).toContain(`\n${shown}`);
  });
});

describe("input that looks odd but is valid", () => {
  test("a config with a UTF-8 byte order mark and CRLF line endings synthesizes", () => {
    const result = driver.get("accepted")!;
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Synthesized 3 stacks into cdktf\.out\/stacks\/<stack>\/cdk\.tf\.json:\n/);
    expect(fs.readdirSync(path.join(accepted, "cdktf.out", "stacks")).sort()).toEqual(["model-registry-dev", "model-registry-prod", "model-registry-state"]);
  });

  test("a byte order mark and CRLF line endings parse to the same config as plain LF text", () => {
    const plain = parseConfig(BASE_YAML, "registry.yaml");
    expect(parseConfig(`\uFEFF${BASE_YAML}`, "registry.yaml")).toEqual(plain);
    expect(parseConfig(BASE_YAML.replace(/\n/g, "\r\n"), "registry.yaml")).toEqual(plain);
  });

  test("anchors and aliases within the alias limit are expanded", () => {
    const text = BASE_YAML.replace("  - name: ai-models/llm\n", "  - name: ai-models/llm\n    environments: &envs [dev]\n").replace(
      "  - name: ai-models/embeddings\n",
      "  - name: ai-models/embeddings\n    environments: *envs\n",
    );
    expect(parseConfig(text, "registry.yaml").repositories.map((r) => r.environments)).toEqual([["dev"], ["dev"]]);
  });
});

describe("the catalogue", () => {
  test("the documented example of a rejected file is what synth prints for it", () => {
    const i = BAD_INPUTS.findIndex((c) => c.name === "a key given twice in one mapping, naming where it was first");
    const readme = allDocumentation();
    expect(readme).toContain(`\`\`\`\n${driver.get(String(i))!.stderr}\`\`\`\n`);
  });

  test("the documented example of a misspelt key is what synth prints for it", () => {
    const i = BAD_INPUTS.findIndex((c) => c.name === "a misspelt key, named with its repository and the key it most likely means");
    const readme = allDocumentation();
    expect(readme).toContain(`\`\`\`\n${driver.get(String(i))!.stderr}\`\`\`\n`);
  });

  test("each problem line docs/errors.md shows is one synth prints for a case", () => {
    const doc = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "errors.md"), "utf8");
    const shown = /```\n([\s\S]*?)```/.exec(doc)![1].split("\n").filter(Boolean);
    const printed = new Set(BAD_INPUTS.flatMap((_, i) => driver.get(String(i))!.stderr.split("\n")));
    expect(shown.length).toBeGreaterThanOrEqual(3);
    expect(shown.filter((line) => !printed.has(line))).toEqual([]);
  });

  test("the documentation states its size by section", () => {
    const bySection = new Map<string, number>();
    for (const c of BAD_INPUTS) bySection.set(c.section, (bySection.get(c.section) ?? 0) + 1);
    const counts = [...bySection].map(([section, n]) => `${section} ${n}`).join(", ");
    const readme = allDocumentation().replace(/\s+/g, " ");
    expect(readme).toContain(`${BAD_INPUTS.length} invalid configs across every section (${counts})`);
  });

  test("has a case for every top-level key of the config", () => {
    const covered = new Set(BAD_INPUTS.flatMap((c) => c.problems.map(([p]) => /^[A-Za-z]+/.exec(p)?.[0])).filter(Boolean));
    const uncovered = Object.keys(registryConfigSchema.shape).filter((key) => !covered.has(key));
    expect(uncovered).toEqual([]);
  });

  test("names every case differently", () => {
    const names = BAD_INPUTS.map((c) => `${c.section}: ${c.name}`);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
});
