// `node scripts/run.cjs <entry.ts> [arguments]`: runs an entry point (main.ts for `npm run synth`
// and cdktf.json's app, scripts/review.ts, ...) from its bundle in dist/, rebuilding the bundle
// first only when something it is built from changed (scripts/bundle-stamp.cjs). Unchanged, the
// check costs a few milliseconds where a build takes 0.5-1 s. The bundle runs in this process, as
// the program (`process.argv` is `[node, <launcher>, ...arguments]`).
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");
const stamp = require("./bundle-stamp.cjs");

const root = path.resolve(__dirname, "..");
// BUNDLE_OUTDIR, as for scripts/bundle.mjs (the tests build into folders of their own).
const outdir = process.env.BUNDLE_OUTDIR ?? path.join(root, "dist");
const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  process.stderr.write("usage: node scripts/run.cjs <entry.ts> [arguments]\n");
  process.exit(2);
}
if (!stamp.isFresh(outdir, root, entry, "")) {
  const build = spawnSync(process.execPath, [path.join(__dirname, "bundle.mjs"), entry], { cwd: root, stdio: "inherit", env: { ...process.env, BUNDLE_OUTDIR: outdir, BUNDLE_SKIP_PATCHES: "" } });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const launcher = stamp.launcherFile(outdir, root, entry);
process.argv = [process.argv[0], launcher, ...args];
require(path.join(outdir, "code-cache.cjs")).run(launcher.replace(/\.js$/, ".bundle.js"), module);
