// The changes this project makes to cdktf 0.21.0 (pinned, and archived upstream, so the code they
// replace cannot change under them): two of cdktf's modules swapped for this project's versions
// when cdktf itself requires them. One list, applied by the bundle (scripts/bundle.mjs) and by
// jest (__tests__/support/cdktf-resolver.js), so the tests run the cdktf that `npm run synth`
// runs. Each stays because it pays for itself: `npm run bench:patches` measures what each saves
// (docs/performance.md). Neither changes a byte of output: __tests__/cdktf-patches.test.ts
// compares each with cdktf's own code, and __tests__/bundle.test.ts compares the bundle's output
// with the unpatched sources'.
"use strict";
const path = require("path");

/** Modules swapped by the path they resolve to, when cdktf itself requires them. */
const BY_PATH = [
  // A stack trace per token, kept only for error messages: formatting them was over 40% of the
  // 1,000-repository synth.
  { id: "no-stack-trace", file: /cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/, replacement: path.join(__dirname, "no-stack-trace.cjs") },
  // The token resolver, with fast paths for values that hold no token.
  { id: "fast-resolve", file: /cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]resolve\.js$/, replacement: path.join(__dirname, "fast-resolve.cjs") },
];

/** Whether a module at `file` is cdktf's own code (the patches apply to its requires only). */
function isCdktfLib(file) {
  return /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]/.test(file);
}

module.exports = { BY_PATH, isCdktfLib };
