// Whether a bundle scripts/bundle.mjs wrote is still what it would write now, so `npm run synth`
// (scripts/run.cjs) and jest's global setup rebuild only when something changed.
//
// After each build, bundle.mjs writes a stamp next to each entry's launcher (`dist/main.ts` →
// `dist/main.inputs.json`): the files that bundle was built from, each with its modification time
// and size. Those are the inputs esbuild's metafile lists for that output (the entry, the project's
// sources, the packages' files it read), everything under scripts/ (the bundler and the cdktf
// patches, whose replacement files esbuild never sees by name) and node_modules/.package-lock.json
// (npm rewrites it on every install; packages' files keep the fixed dates of their tarballs, so
// a changed package can keep a file's time and size). A bundle is fresh when every file in its
// stamp has the time and size recorded, the node version and the build settings are the same,
// and its launcher and bundle exist. Checking the app's 477 files this way takes about 7 ms;
// hashing their 6.6 MB took about 26 ms.
//
// A new file that would change what an unchanged import resolves to (adding `src/x/index.ts`
// beside `src/x.ts`) is not noticed; `npm run build` rebuilds unconditionally.
"use strict";
const fs = require("fs");
const path = require("path");

/** The stamp of the bundle of `entry` (`main.ts`, `scripts/review.ts`) built into `outdir`. */
function stampFile(outdir, root, entry) {
  return path.join(outdir, path.relative(root, path.resolve(root, entry)).replace(/\.ts$/, ".inputs.json"));
}

/** The launcher scripts/bundle.mjs writes for `entry`: `dist/main.js` for `main.ts`. */
function launcherFile(outdir, root, entry) {
  return path.join(outdir, path.relative(root, path.resolve(root, entry)).replace(/\.ts$/, ".js"));
}

/** Files every bundle depends on beyond esbuild's inputs, relative to `root`. */
function bundlerFiles(root) {
  const scripts = fs
    .readdirSync(path.join(root, "scripts"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
  return [...scripts, path.join("node_modules", ".package-lock.json")];
}

/** `[mtimeMs, size]` of a file, or null when it does not exist. */
function signature(file) {
  try {
    const stat = fs.statSync(file);
    return [stat.mtimeMs, stat.size];
  } catch {
    return null;
  }
}

/** Records what the bundle of `entry` was built from (`inputs`: esbuild's, relative to `root`). */
function writeStamp(outdir, root, entry, inputs, settings) {
  const files = {};
  for (const file of [...new Set([...inputs, ...bundlerFiles(root)])].sort()) files[file] = signature(path.join(root, file));
  fs.writeFileSync(stampFile(outdir, root, entry), JSON.stringify({ node: process.version, settings, files }));
}

/** Whether the bundle of `entry` in `outdir` was built, with `settings`, from the files as they are now. */
function isFresh(outdir, root, entry, settings) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(stampFile(outdir, root, entry), "utf8"));
  } catch {
    return false;
  }
  if (stamp.node !== process.version || stamp.settings !== settings) return false;
  const launcher = launcherFile(outdir, root, entry);
  if (!fs.existsSync(launcher) || !fs.existsSync(launcher.replace(/\.js$/, ".bundle.js"))) return false;
  for (const [file, recorded] of Object.entries(stamp.files)) {
    const now = signature(path.join(root, file));
    if (now === null || recorded === null ? now !== recorded : now[0] !== recorded[0] || now[1] !== recorded[1]) return false;
  }
  return true;
}

module.exports = { isFresh, writeStamp, launcherFile, stampFile };
