import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "./support/fixtures";

// The launchers scripts/bundle.mjs writes (dist/main.js runs dist/main.bundle.js through
// scripts/code-cache.cjs). The end-to-end tests run every bundle through them; these pin the
// cache itself on a small bundle.
const LOADER = path.resolve(__dirname, "..", "scripts", "code-cache.cjs");

/** A folder with `app.bundle.js` holding `source`, and its launcher `app.js`. */
function bundleFolder(source: string): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, "app.bundle.js"), source);
  fs.writeFileSync(path.join(dir, "app.js"), `require(${JSON.stringify(LOADER)}).run(require("path").join(__dirname, "app.bundle.js"), module);\n`);
  return dir;
}

function launch(dir: string, ...nodeOptions: string[]) {
  return spawnSync(process.execPath, [...nodeOptions, path.join(dir, "app.js")], { encoding: "utf8" });
}

const cacheOf = (dir: string) => path.join(dir, "app.bundle.js.v8cache");

test("the first run writes the cache and a later run of the same bundle keeps it", () => {
  const dir = bundleFolder('process.stdout.write("one");\n');
  expect(launch(dir).stdout).toBe("one");
  const written = fs.readFileSync(cacheOf(dir));
  expect(written.length).toBeGreaterThan(32);

  fs.utimesSync(cacheOf(dir), new Date(0), new Date(0));
  expect(launch(dir).stdout).toBe("one");
  expect(fs.statSync(cacheOf(dir)).mtimeMs).toBe(0);
  expect(fs.readFileSync(cacheOf(dir))).toEqual(written);
});

test("a changed bundle of the same length runs its new code and replaces the cache", () => {
  // V8 checks only the source's length: the digest is what tells these two apart.
  const dir = bundleFolder('process.stdout.write("one");\n');
  launch(dir);
  const first = fs.readFileSync(cacheOf(dir));
  fs.writeFileSync(path.join(dir, "app.bundle.js"), 'process.stdout.write("two");\n');

  expect(launch(dir).stdout).toBe("two");
  expect(fs.readFileSync(cacheOf(dir)).subarray(0, 32)).not.toEqual(first.subarray(0, 32));
  expect(launch(dir).stdout).toBe("two");
});

test("the bundle is the main module, as when node runs it directly", () => {
  const dir = bundleFolder('const path = require("path");\nprocess.stdout.write(`${require.main === module} ${path.basename(__filename)}`);\n');
  expect(launch(dir).stdout).toBe("true app.bundle.js");
});

test("stack traces give the bundle's own line and column", () => {
  const dir = bundleFolder('"use strict";\nfunction fail() { throw new Error("boom"); }\nfail();\n');
  const stderr = launch(dir).stderr;
  expect(stderr).toContain(`${path.join(dir, "app.bundle.js")}:2`);
  expect(stderr).toMatch(/at fail \(.*app\.bundle\.js:2:25\)/);
});

test("a cache that cannot be written changes nothing but the speed", () => {
  const dir = bundleFolder('process.stdout.write("one");\n');
  fs.mkdirSync(cacheOf(dir)); // a folder where the cache file would go: the write fails
  const run = launch(dir);
  expect([run.status, run.stdout, run.stderr]).toEqual([0, "one", ""]);
  expect(fs.readdirSync(dir).sort()).toEqual(["app.bundle.js", "app.bundle.js.v8cache", "app.js"]);
});

test("with source maps enabled the bundle is loaded by node itself", () => {
  const dir = bundleFolder('process.stdout.write("one");\n');
  expect(launch(dir, "--enable-source-maps").stdout).toBe("one");
  expect(fs.existsSync(cacheOf(dir))).toBe(false);
});
