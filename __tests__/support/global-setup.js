// Before any test file runs: bundle the entry points the end-to-end tests run in child processes
// (main.ts, scripts/validate.ts) with scripts/bundle.mjs, exactly as `npm run synth` and
// `npm run validate` do, into dist/test-bundle. A child process then starts in about half the time
// of running the TypeScript sources through a transpiler, and runs what users run.
const { spawnSync } = require("child_process");
const path = require("path");
const { BUNDLE_DIR, BUNDLED_ENTRY_POINTS, PROJECT_ROOT } = require("./paths");

module.exports = () => {
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "scripts/bundle.mjs"), ...BUNDLED_ENTRY_POINTS], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, BUNDLE_OUTDIR: BUNDLE_DIR },
    encoding: "utf8",
  });
  // Warnings count as failures: the bundle must build cleanly.
  if (result.status !== 0 || result.stderr !== "") throw new Error(`scripts/bundle.mjs failed (${result.status}):\n${result.stderr}${result.stdout}`);
};
