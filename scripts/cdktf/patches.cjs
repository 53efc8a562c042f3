// The changes this project makes to cdktf 0.21.0 (pinned, and archived upstream, so the code they
// replace cannot change under them). One list, applied by the bundle (scripts/bundle.mjs) and by
// jest (__tests__/support/cdktf-resolver.js and cdktf-transform.js), so the tests run the cdktf
// that `npm run synth` runs. Each was found with `node --cpu-prof` on a 1,000-repository config;
// README.md, "The bundle", says what each saves. None changes a byte of output:
// __tests__/cdktf-patches.test.ts compares each with cdktf's own code, and
// __tests__/bundle.test.ts compares the bundle's output with the unpatched sources'.
"use strict";
const path = require("path");

const here = __dirname;

/** Modules swapped by the path they resolve to, when cdktf itself requires them. */
const BY_PATH = [
  // A stack trace per token, kept only for error messages.
  { file: /cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/, replacement: path.join(here, "no-stack-trace.cjs") },
  // The token resolver, with fast paths for values that hold no token.
  { file: /cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]resolve\.js$/, replacement: path.join(here, "fast-resolve.cjs") },
];

/** Packages swapped by name, when cdktf requires them. */
const BY_NAME = {
  // About 200 modules loaded at start-up to zip TerraformAssets, which this project never creates.
  archiver: path.join(here, "..", "lazy-archiver.cjs"),
  // cdk.tf.json and manifest.json, written with the indentation computed once per depth.
  "json-stable-stringify": path.join(here, "fast-stable-stringify.cjs"),
};

/** TerraformStack.toTerraform's merge of the resolved fragments, and what replaces it (stack-merge.cjs). */
const TERRAFORM_STACK = /cdktf[\\/]lib[\\/]terraform-stack\.js$/;
const STACK_MERGE_ORIGINAL = `        for (const fragment of fragments) {
            (0, util_1.deepMerge)(tf, fragment);
        }
        (0, util_1.deepMerge)(tf, this.rawOverrides);
        return (0, _tokens_1.resolve)(this, tf);`;
const STACK_MERGE_REPLACEMENT = `        const stackMerge = require(${JSON.stringify(path.join(here, "stack-merge.cjs"))});
        for (const fragment of fragments) {
            stackMerge.mergeResolved(tf, fragment);
        }
        (0, util_1.deepMerge)(tf, this.rawOverrides);
        return stackMerge.resolveTouched(_tokens_1.resolve, this, tf, new Set(["//", ...Object.keys(this.rawOverrides)]));`;

/** terraform-stack.js with the stack merge replaced; throws if the file is not the code it expects. */
function patchTerraformStack(source, file) {
  if (source.split(STACK_MERGE_ORIGINAL).length !== 2) {
    throw new Error(`${file}: TerraformStack.toTerraform is not the cdktf 0.21.0 code scripts/cdktf/stack-merge.cjs replaces`);
  }
  return source.replace(STACK_MERGE_ORIGINAL, STACK_MERGE_REPLACEMENT);
}

/** Whether a module at `file` is cdktf's own code (the patches apply to its requires only). */
function isCdktfLib(file) {
  return /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]/.test(file);
}

module.exports = { BY_PATH, BY_NAME, TERRAFORM_STACK, patchTerraformStack, isCdktfLib };
