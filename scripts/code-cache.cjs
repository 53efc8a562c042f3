// Runs a bundle (scripts/bundle.mjs) with V8's code cache. Copied next to the bundles; each
// entry point's launcher (`dist/main.js`, ...) calls `run` with its bundle (`dist/main.bundle.js`).
//
// Compiling the 1.9 MB app bundle is about a third of a synth of the default config. V8 can save
// the code it compiled and reuse it (what `module.enableCompileCache()` does in Node 22; this
// project supports Node 20). The first run of a bundle writes `<bundle>.v8cache` when it exits,
// holding the code of every function that run compiled; later runs of the same bundle skip those
// compilations. The cache is keyed by a digest of the bundle's text and the Node version and
// architecture, because V8 checks only the source's length; a stale or foreign cache is ignored
// and rewritten. Nothing breaks when the cache cannot be read or written (a read-only `dist/`):
// the bundle is then compiled as `require` would.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const Module = require("module");

const DIGEST_BYTES = 32;

/** The digest a cache for `source` starts with. */
function digestOf(source) {
  return crypto.createHash("sha256").update(`${process.version}\0${process.arch}\0`).update(source).digest();
}

/** The cached code in `file` if it was made for the source with `digest`. */
function readCache(file, digest) {
  try {
    const data = fs.readFileSync(file);
    return data.subarray(0, DIGEST_BYTES).equals(digest) ? data.subarray(DIGEST_BYTES) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the cache through a temporary file and a rename, so a concurrent run never reads half of one. */
function writeCache(file, digest, data) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, Buffer.concat([digest, data]));
    fs.renameSync(temporary, file);
  } catch {
    fs.rmSync(temporary, { force: true });
  }
}

/** Runs `bundle` as the module `require(bundle)` would make of it, with V8's code cache. */
function run(bundle, parent) {
  // Stack traces through source maps (`node --enable-source-maps`) need Node's own loader.
  if (process.sourceMapsEnabled) return require(bundle);
  const source = fs.readFileSync(bundle, "utf8");
  // Node 20 runs `import()` in a vm.Script only with experimental flags: such a bundle is required.
  if (source.includes("import(")) return require(bundle);
  const cacheFile = `${bundle}.v8cache`;
  const digest = digestOf(source);
  const cachedData = readCache(cacheFile, digest);
  // The wrapper's own line keeps the bundle's line and column numbers as they are in the file.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, {
    filename: bundle,
    lineOffset: -1,
    cachedData,
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit, the cache holds every function this run compiled, not only the top level.
    process.once("exit", () => writeCache(cacheFile, digest, script.createCachedData()));
  }
  const module = new Module(bundle, parent);
  module.filename = bundle;
  module.paths = Module._nodeModulePaths(path.dirname(bundle));
  Module._cache[bundle] = module;
  const requireInBundle = Module.createRequire(bundle);
  // The bundle is the program, as when run with `node <bundle>` (`require.main === module` holds in it).
  if (process.mainModule === parent) process.mainModule = requireInBundle.main = module;
  script.runInThisContext()(module.exports, requireInBundle, module, bundle, path.dirname(bundle));
  module.loaded = true;
  return module.exports;
}

module.exports = { run };
