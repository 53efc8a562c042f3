// Jest's transform for the cdktf modules the bundle rewrites: the same rewrites
// (scripts/cdktf/patches.cjs SOURCE_PATCHES, stack-merge.cjs).
const crypto = require("crypto");
const fs = require("fs");
const patches = require("../../scripts/cdktf/patches.cjs");

const patchSources = ["patches.cjs", "stack-merge.cjs"].map((name) => fs.readFileSync(require.resolve(`../../scripts/cdktf/${name}`), "utf8"));

module.exports = {
  process(source, file) {
    return { code: patches.patchSource(source, file) };
  },
  getCacheKey(source, file) {
    return crypto.createHash("sha256").update(source).update(file).update(patchSources.join("\0")).digest("hex");
  },
};
