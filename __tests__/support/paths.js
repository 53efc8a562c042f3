const path = require("path");

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

module.exports = {
  PROJECT_ROOT,
  /** Where jest's global setup bundles the entry points that end-to-end tests run (see global-setup.js). */
  BUNDLE_DIR: path.join(PROJECT_ROOT, "dist", "test-bundle"),
  /** The name of the folder jest's global setup makes for the run's temporary files (TMPDIR) and its teardown removes. */
  SCRATCH_PREFIX: "ecr-model-registry-tests-",
  BUNDLED_ENTRY_POINTS: ["main.ts", "scripts/validate.ts", "scripts/review.ts", "scripts/handoff.ts", "scripts/stacks.ts", "__tests__/support/bad-input-driver.ts"],
};
