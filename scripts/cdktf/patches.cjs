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
  { id: "no-stack-trace", file: /cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/, replacement: path.join(here, "no-stack-trace.cjs") },
  // The token resolver, with fast paths for values that hold no token.
  { id: "fast-resolve", file: /cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]resolve\.js$/, replacement: path.join(here, "fast-resolve.cjs") },
];

/** Packages swapped by name, when cdktf requires them. */
const BY_NAME = {
  // About 200 modules loaded at start-up to zip TerraformAssets, which this project never creates.
  archiver: path.join(here, "..", "lazy-archiver.cjs"),
  // cdk.tf.json and manifest.json, written with the indentation computed once per depth.
  "json-stable-stringify": path.join(here, "fast-stable-stringify.cjs"),
};

/**
 * Source changes to cdktf modules, each an exact snippet of cdktf 0.21.0 and its replacement.
 * `patchSource` throws if a snippet is not found exactly once, so a different cdktf fails loudly.
 */
const SOURCE_PATCHES = [
  {
    // TerraformStack.toTerraform's merge of the resolved fragments, and what replaces it (stack-merge.cjs).
    id: "stack-merge",
    module: "terraform-stack.js",
    what: "TerraformStack.toTerraform",
    original: `        for (const fragment of fragments) {
            (0, util_1.deepMerge)(tf, fragment);
        }
        (0, util_1.deepMerge)(tf, this.rawOverrides);
        return (0, _tokens_1.resolve)(this, tf);`,
    replacement: `        const stackMerge = require(${JSON.stringify(path.join(here, "stack-merge.cjs"))});
        for (const fragment of fragments) {
            stackMerge.mergeResolved(tf, fragment);
        }
        (0, util_1.deepMerge)(tf, this.rawOverrides);
        return stackMerge.resolveTouched(_tokens_1.resolve, this, tf, new Set(["//", ...Object.keys(this.rawOverrides)]));`,
  },
  {
    // TerraformStack.toTerraform's map of output ids under `//`: a nested object built and
    // deep-merged per output (8,432 outputs with 1,000 repositories); stack-merge.cjs writes each
    // path into the map directly, with the same result.
    id: "output-map",
    module: "terraform-stack.js",
    what: "TerraformStack.toTerraform's output map",
    original: `        const outputs = elements.reduce((carry, item) => {
            if (!terraform_output_1.TerraformOutput.isTerraformOutput(item)) {
                return carry;
            }
            (0, util_1.deepMerge)(carry, item.node.path.split("/").reduceRight((innerCarry, part) => {
                if (Object.keys(innerCarry).length === 0) {
                    return { [part]: item.friendlyUniqueId };
                }
                return { [part]: innerCarry };
            }, {}));
            return carry;
        }, {});
        tf["//"] = { metadata, outputs };`,
    replacement: `        const outputs = require(${JSON.stringify(path.join(here, "stack-merge.cjs"))}).outputIdMap(elements, terraform_output_1.TerraformOutput.isTerraformOutput);
        tf["//"] = { metadata, outputs };`,
  },
  {
    // snake_case of attribute names: three regex replacements per key of every element's
    // meta-arguments and attributes (60,000 calls with 1,000 repositories), for a few dozen names.
    id: "snake-case",
    module: "util.js",
    what: "snakeCase",
    original: `function snakeCase(str) {
    if (!str)
        return "";`,
    replacement: `const snakeCaseCache = new Map();
function snakeCase(str) {
    if (typeof str !== "string")
        return uncachedSnakeCase(str);
    let result = snakeCaseCache.get(str);
    if (result === undefined) {
        result = uncachedSnakeCase(str);
        snakeCaseCache.set(str, result);
    }
    return result;
}
function uncachedSnakeCase(str) {
    if (!str)
        return "";`,
  },
  {
    // Aspect invocation copied the inherited aspect list into a new array at every construct,
    // though almost none adds an aspect; the list is never changed in place, so it is shared.
    id: "aspects",
    module: "synthesize/synthesizer.js",
    what: "invokeAspects",
    original: `        const allAspectsHere = [...(inheritedAspects ?? []), ...aspects.all];`,
    replacement: `        const allAspectsHere = aspects.all.length === 0 && inheritedAspects !== undefined ? inheritedAspects : [...(inheritedAspects ?? []), ...aspects.all];`,
  },
  {
    // Aspect invocation looked up the constructs already visited by path in a plain object, and
    // built each construct's path twice for that (12,000 constructs under the prevent_destroy
    // aspect with 1,000 repositories); the bundle builds it once and keys a Map with it.
    id: "aspects",
    module: "synthesize/synthesizer.js",
    what: "invokeAspects' record of visited constructs",
    original: `        for (const aspect of allAspectsHere) {
            let invoked = invokedByPath[node.path];
            if (!invoked) {
                invoked = invokedByPath[node.path] = [];
            }`,
    replacement: `        const path = allAspectsHere.length === 0 ? undefined : node.path;
        for (const aspect of allAspectsHere) {
            let invoked = invokedByPath.get(path);
            if (!invoked) {
                invoked = [];
                invokedByPath.set(path, invoked);
            }`,
  },
  {
    id: "aspects",
    module: "synthesize/synthesizer.js",
    what: "invokeAspects' record of visited constructs (its Map)",
    original: `function invokeAspects(root) {
    const invokedByPath = {};`,
    replacement: `function invokeAspects(root) {
    const invokedByPath = new Map();`,
  },
  {
    // Every token cdktf creates (each attribute getter, e.g. `repository.arn`) compiled a new
    // regular expression to clean its display name; the bundle compiles it once.
    id: "token-regex",
    module: "tokens/private/token-map.js",
    what: "TokenMap.registerStringKey",
    original: `        const representation = (displayHint || \`TOKEN\`).replace(new RegExp(\`[^\${encoding_1.VALID_KEY_CHARS}]\`, "g"), ".");`,
    replacement: `        const representation = (displayHint || \`TOKEN\`).replace(TokenMap.INVALID_KEY_CHARS ??= new RegExp(\`[^\${encoding_1.VALID_KEY_CHARS}]\`, "g"), ".");`,
  },
].map((patch) => ({ ...patch, file: new RegExp(`cdktf[\\\\/]lib[\\\\/]${modulePattern(patch.module)}$`) }));

/** A module's path under cdktf/lib as regular-expression text, e.g. `synthesize[\\/]synthesizer\.js`. */
function modulePattern(module) {
  return module
    .split("/")
    .map((part) => part.replace(/\./g, "\\."))
    .join("[\\\\/]");
}

/** The patched modules as one alternation, e.g. `util\.js|synthesize[\\/]synthesizer\.js`. */
const PATCHED_MODULES = SOURCE_PATCHES.map((patch) => modulePattern(patch.module)).join("|");
/** Jest's transform key: every module `patchSource` changes (a regular expression, as text). */
const PATCHED_MODULES_PATTERN = `[\\\\/]node_modules[\\\\/]cdktf[\\\\/]lib[\\\\/](?:${PATCHED_MODULES})$`;
/** Jest's transformIgnorePatterns: everything in node_modules but those modules. */
const UNPATCHED_NODE_MODULES_PATTERN = `[\\\\/]node_modules[\\\\/](?!cdktf[\\\\/]lib[\\\\/](?:${PATCHED_MODULES})$)`;

/**
 * The module source with every patch for `file` applied but those whose id is in `skip` (to
 * measure what each saves: bench/patches.ts); throws if the file is not the code a patch expects.
 */
function patchSource(source, file, skip = new Set()) {
  let patched = source;
  for (const patch of SOURCE_PATCHES) {
    if (!patch.file.test(file) || skip.has(patch.id)) continue;
    if (patched.split(patch.original).length !== 2) {
      throw new Error(`${file}: ${patch.what} is not the cdktf 0.21.0 code scripts/cdktf/patches.cjs replaces`);
    }
    patched = patched.replace(patch.original, () => patch.replacement);
  }
  return patched;
}


/** Whether a module at `file` is cdktf's own code (the patches apply to its requires only). */
function isCdktfLib(file) {
  return /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]/.test(file);
}

module.exports = { BY_PATH, BY_NAME, SOURCE_PATCHES, PATCHED_MODULES_PATTERN, UNPATCHED_NODE_MODULES_PATTERN, patchSource, isCdktfLib };
