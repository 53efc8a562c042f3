// Before any test file runs: bundle the entry points the end-to-end tests run in child processes
// (main.ts, scripts/validate.ts, ...) with scripts/bundle.mjs, exactly as `npm run synth` and
// `npm run validate` do, into dist/test-bundle. A child process then starts in about half the time
// of running the TypeScript sources through a transpiler, and runs what users run.
//
// The bundles are rebuilt only when what they are built from changed: the project's sources and
// scripts, the test support files, and the installed packages (package-lock.json and npm's record
// of node_modules). Editing a file inside node_modules by hand is not noticed: delete
// dist/test-bundle then.
const { spawnSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { BUNDLE_DIR, BUNDLED_ENTRY_POINTS, PROJECT_ROOT } = require("./paths");

const INPUT_FOLDERS = ["src", "scripts", "__tests__/support"];
const INPUT_FILES = ["main.ts", "package.json", "package-lock.json", "node_modules/.package-lock.json", "tsconfig.json"];
const STAMP = path.join(BUNDLE_DIR, ".inputs.sha256");

/** A digest of every input file's path and content, and of the entry points and node version. */
function inputsDigest() {
  const hash = crypto.createHash("sha256").update(`${process.version}\0${BUNDLED_ENTRY_POINTS.join("\0")}\0`);
  const files = [...INPUT_FILES];
  for (const folder of INPUT_FOLDERS) {
    for (const entry of fs.readdirSync(path.join(PROJECT_ROOT, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files.push(path.relative(PROJECT_ROOT, path.join(entry.parentPath, entry.name)));
    }
  }
  for (const file of files.sort()) {
    const full = path.join(PROJECT_ROOT, file);
    hash.update(`${file}\0`).update(fs.existsSync(full) ? fs.readFileSync(full) : "(missing)").update("\0");
  }
  return hash.digest("hex");
}

module.exports = () => {
  const digest = inputsDigest();
  const built = BUNDLED_ENTRY_POINTS.every((entry) => fs.existsSync(path.join(BUNDLE_DIR, entry.replace(/\.ts$/, ".js"))));
  if (built && fs.existsSync(STAMP) && fs.readFileSync(STAMP, "utf8") === digest) return;
  fs.rmSync(STAMP, { force: true });
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "scripts/bundle.mjs"), ...BUNDLED_ENTRY_POINTS], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, BUNDLE_OUTDIR: BUNDLE_DIR },
    encoding: "utf8",
  });
  // Warnings count as failures: the bundle must build cleanly.
  if (result.status !== 0 || result.stderr !== "") throw new Error(`scripts/bundle.mjs failed (${result.status}):\n${result.stderr}${result.stdout}`);
  fs.writeFileSync(STAMP, digest);
};
