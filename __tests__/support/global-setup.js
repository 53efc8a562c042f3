// Before any test file runs: bundle the entry points the end-to-end tests run in child processes
// (main.ts, scripts/validate.ts, ...) with scripts/bundle.mjs, exactly as `npm run synth` and
// `npm run validate` do, into dist/test-bundle. A child process then starts in about half the time
// of running the TypeScript sources through a transpiler, and runs what users run.
//
// The bundles are rebuilt only when something they are built from changed, judged as
// scripts/run.cjs judges the app's bundle (scripts/bundle-stamp.cjs).
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const stamp = require("../../scripts/bundle-stamp.cjs");
const { BUNDLE_DIR, BUNDLED_ENTRY_POINTS, PROJECT_ROOT, SCRATCH_PREFIX } = require("./paths");

module.exports = () => {
  // Test files, cdktf's Testing.app() and the programs the tests start all make temporary folders;
  // with TMPDIR pointing here (workers and child processes inherit it) the run leaves none behind.
  process.env.TMPDIR = fs.mkdtempSync(path.join(os.tmpdir(), SCRATCH_PREFIX));
  if (BUNDLED_ENTRY_POINTS.every((entry) => stamp.isFresh(BUNDLE_DIR, PROJECT_ROOT, entry, ""))) return;
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "scripts/bundle.mjs"), ...BUNDLED_ENTRY_POINTS], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, BUNDLE_OUTDIR: BUNDLE_DIR, BUNDLE_SKIP_PATCHES: "" },
    encoding: "utf8",
  });
  // Warnings count as failures: the bundle must build cleanly.
  if (result.status !== 0 || result.stderr !== "") throw new Error(`scripts/bundle.mjs failed (${result.status}):\n${result.stderr}${result.stdout}`);
};
