// Before any test file runs: bundle the entry points the end-to-end tests run in child processes
// (main.ts, scripts/validate.ts, ...) with scripts/bundle.mjs, exactly as `npm run synth` and
// `npm run validate` do, into dist/test-bundle. A child process then starts in about half the time
// of running the TypeScript sources through a transpiler, and runs what users run.
//
// The bundles are rebuilt only when something they are built from changed: every input esbuild
// read for the last build (its metafile: the project's sources and the packages' files), everything
// under scripts/ (the bundler and the cdktf patches it swaps in) and the node version.
const { spawnSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { BUNDLE_DIR, BUNDLED_ENTRY_POINTS, PROJECT_ROOT, SCRATCH_PREFIX } = require("./paths");

const STAMP = path.join(BUNDLE_DIR, ".inputs.json");
const METAFILE = path.join(BUNDLE_DIR, ".metafile.json");

/** The files a build depends on beyond esbuild's inputs: the bundler and its patches. */
function scriptFiles() {
  return fs
    .readdirSync(path.join(PROJECT_ROOT, "scripts"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(PROJECT_ROOT, path.join(entry.parentPath, entry.name)));
}

/** A digest of the node version, the entry points, and the path and content of each file. */
function digestOf(files) {
  const hash = crypto.createHash("sha256").update(`${process.version}\0${BUNDLED_ENTRY_POINTS.join("\0")}\0`);
  for (const file of [...new Set(files)].sort()) {
    const full = path.join(PROJECT_ROOT, file);
    hash.update(`${file}\0`).update(fs.existsSync(full) ? fs.readFileSync(full) : "(missing)").update("\0");
  }
  return hash.digest("hex");
}

function upToDate() {
  if (!fs.existsSync(STAMP)) return false;
  if (!BUNDLED_ENTRY_POINTS.every((entry) => fs.existsSync(path.join(BUNDLE_DIR, entry.replace(/\.ts$/, ".js"))))) return false;
  const { inputs, digest } = JSON.parse(fs.readFileSync(STAMP, "utf8"));
  return digestOf([...inputs, ...scriptFiles()]) === digest;
}

module.exports = () => {
  // Test files, cdktf's Testing.app() and the programs the tests start all make temporary folders;
  // with TMPDIR pointing here (workers and child processes inherit it) the run leaves none behind.
  process.env.TMPDIR = fs.mkdtempSync(path.join(os.tmpdir(), SCRATCH_PREFIX));
  if (upToDate()) return;
  fs.rmSync(STAMP, { force: true });
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "scripts/bundle.mjs"), ...BUNDLED_ENTRY_POINTS], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, BUNDLE_OUTDIR: BUNDLE_DIR, BUNDLE_METAFILE: METAFILE },
    encoding: "utf8",
  });
  // Warnings count as failures: the bundle must build cleanly.
  if (result.status !== 0 || result.stderr !== "") throw new Error(`scripts/bundle.mjs failed (${result.status}):\n${result.stderr}${result.stdout}`);
  const inputs = Object.keys(JSON.parse(fs.readFileSync(METAFILE, "utf8")).inputs);
  fs.writeFileSync(STAMP, JSON.stringify({ inputs, digest: digestOf([...inputs, ...scriptFiles()]) }));
};
