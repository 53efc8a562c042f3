import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../src/checks";
import { environmentStackNames } from "../src/environment-stacks";
import { PROJECT_ROOT, tempDir } from "./support/fixtures";

// scripts/run.cjs (`npm run synth`, cdktf.json's app, `npm run review`, ...) rebuilds a bundle only
// when the stamp scripts/bundle.mjs wrote beside it (scripts/bundle-stamp.cjs) no longer matches
// the files the bundle was built from.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stamp = require("../scripts/bundle-stamp.cjs") as {
  isFresh(outdir: string, root: string, entry: string, settings: string): boolean;
  writeStamp(outdir: string, root: string, entry: string, inputs: string[], settings: string): void;
};

/** A project folder with an entry, a source, scripts/ and an install marker, and a built-looking dist/. */
function stampedProject(): { root: string; outdir: string } {
  const root = tempDir();
  const outdir = path.join(root, "dist");
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write("main.ts", 'import "./src/a";\n');
  write("src/a.ts", "export const a = 1;\n");
  write("scripts/cdktf/patch.cjs", "module.exports = 1;\n");
  write("node_modules/.package-lock.json", "{}\n");
  write("dist/main.js", "launcher\n");
  write("dist/main.bundle.js", "bundle\n");
  stamp.writeStamp(outdir, root, "main.ts", ["main.ts", "src/a.ts"], "");
  return { root, outdir };
}

/** Rewrites a file with other content and a later modification time. */
function edit(file: string, text: string): void {
  fs.writeFileSync(file, text);
  const later = new Date(fs.statSync(file).mtimeMs + 5_000);
  fs.utimesSync(file, later, later);
}

test("a bundle is fresh while none of the files it was built from changed", () => {
  const { root, outdir } = stampedProject();
  expect(stamp.isFresh(outdir, root, "main.ts", "")).toBe(true);
});

test("a changed source makes the bundle stale", () => {
  const { root, outdir } = stampedProject();
  edit(path.join(root, "src/a.ts"), "export const a = 2;\n");
  expect(stamp.isFresh(outdir, root, "main.ts", "")).toBe(false);
});

test("a changed file under scripts/ makes the bundle stale, though esbuild never listed it", () => {
  const { root, outdir } = stampedProject();
  edit(path.join(root, "scripts/cdktf/patch.cjs"), "module.exports = 2;\n");
  expect(stamp.isFresh(outdir, root, "main.ts", "")).toBe(false);
});

test("a new install makes the bundle stale", () => {
  const { root, outdir } = stampedProject();
  edit(path.join(root, "node_modules/.package-lock.json"), "{ }\n");
  expect(stamp.isFresh(outdir, root, "main.ts", "")).toBe(false);
});

test("a deleted source, a missing bundle or other build settings make the bundle stale", () => {
  const deleted = stampedProject();
  fs.rmSync(path.join(deleted.root, "src/a.ts"));
  expect(stamp.isFresh(deleted.outdir, deleted.root, "main.ts", "")).toBe(false);

  const missing = stampedProject();
  fs.rmSync(path.join(missing.outdir, "main.bundle.js"));
  expect(stamp.isFresh(missing.outdir, missing.root, "main.ts", "")).toBe(false);

  const settings = stampedProject();
  expect(stamp.isFresh(settings.outdir, settings.root, "main.ts", "no-stack-trace")).toBe(false);
});

test("a bundle never built is stale", () => {
  const { root, outdir } = stampedProject();
  expect(stamp.isFresh(outdir, root, "scripts/review.ts", "")).toBe(false);
});

test("scripts/bundle.mjs stamps each entry with the project files esbuild read for it", () => {
  const outdir = tempDir();
  const build = spawnSync(process.execPath, ["scripts/bundle.mjs", "scripts/stacks.ts"], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, BUNDLE_OUTDIR: outdir } });
  expect(build.status).toBe(0);
  const files = Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, "scripts", "stacks.inputs.json"), "utf8")).files);
  expect(files).toEqual(expect.arrayContaining(["scripts/stacks.ts", "src/environment-stacks.ts", "scripts/bundle.mjs", "scripts/cdktf/patches.cjs", "node_modules/.package-lock.json"]));
  expect(files).not.toContain("main.ts");
  expect(stamp.isFresh(outdir, PROJECT_ROOT, "scripts/stacks.ts", "")).toBe(true);
});

describe("scripts/run.cjs", () => {
  const outdir = tempDir();
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["scripts/run.cjs", ...args], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, BUNDLE_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" } });
  const bundle = path.join(outdir, "scripts", "stacks.bundle.js");

  test("builds a missing bundle and runs it", () => {
    const first = run("scripts/stacks.ts");
    expect([first.status, first.stderr]).toEqual([0, ""]);
    expect(JSON.parse(first.stdout)).toEqual(environmentStackNames(loadConfig(path.join(PROJECT_ROOT, "registry.yaml"))));
    expect(fs.existsSync(bundle)).toBe(true);
  });

  test("runs an unchanged bundle without building it again", () => {
    const built = fs.statSync(bundle).mtimeMs;
    const again = run("scripts/stacks.ts");
    expect([again.status, again.stderr]).toEqual([0, ""]);
    expect(fs.statSync(bundle).mtimeMs).toBe(built);
  });

  test("gives the program its arguments", () => {
    const review = run("scripts/review.ts", "--colour");
    expect(review.status).toBe(1);
    expect(review.stderr).toContain("--colour: unknown argument");
  });

  test("exits with a usage message when no entry point is named", () => {
    const bare = run();
    expect([bare.status, bare.stderr]).toEqual([2, "usage: node scripts/run.cjs <entry.ts> [arguments]\n"]);
  });
});

test("cdktf.json's app runs the app the way npm run synth does", () => {
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8"));
  expect(read("cdktf.json").app).toBe("node scripts/run.cjs main.ts");
  expect(read("package.json").scripts.synth).toBe(read("cdktf.json").app);
});
