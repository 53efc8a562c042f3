// Builds the runnable app: main.ts and everything it imports, bundled into dist/main.js.
//
// Why a bundle: the app loads ~570 CommonJS modules, and at this size start-up is dominated by
// module resolution and loading, not by synthesis. One file removes the resolution cost, and
// cdktf's `archiver` dependency (about 200 modules, used only to zip TerraformAssets, which this
// project never creates) is replaced by a shim that loads it on first use.
//
// cdktf also records a full stack trace for every token it creates, only to show where a token
// came from if resolving it fails. With a thousand repositories that formatting was 30% of synth
// time (measured with --cpu-prof), so the bundle records none; the tests run on the unbundled
// sources and keep the traces. Type checking is
// `tsc --noEmit` in `npm test`; esbuild only strips types.
import { build } from "esbuild";
import { fileURLToPath } from "url";
import path from "path";
import { readFile } from "fs/promises";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const lazyArchiver = path.join(root, "scripts", "lazy-archiver.cjs");
const fastResolve = path.join(root, "scripts", "fast-resolve.cjs");
const fastStableStringify = path.join(root, "scripts", "fast-stable-stringify.cjs");
const stackMerge = path.join(root, "scripts", "stack-merge.cjs");

// TerraformStack.toTerraform's merge of the resolved fragments, and what replaces it (stack-merge.cjs).
const STACK_MERGE_ORIGINAL = `        for (const fragment of fragments) {
            (0, util_1.deepMerge)(tf, fragment);
        }
        (0, util_1.deepMerge)(tf, this.rawOverrides);
        return (0, _tokens_1.resolve)(this, tf);`;
const STACK_MERGE_REPLACEMENT = `        const stackMerge = require(${JSON.stringify(stackMerge)});
        for (const fragment of fragments) {
            stackMerge.mergeResolved(tf, fragment);
        }
        (0, util_1.deepMerge)(tf, this.rawOverrides);
        return stackMerge.resolveTouched(_tokens_1.resolve, this, tf, new Set(["//", ...Object.keys(this.rawOverrides)]));`;

const entries = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["main.ts"];
const outdir = process.env.BUNDLE_OUTDIR ?? path.join(root, "dist");
await Promise.all(
  entries.map((entry) =>
    build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile: path.join(outdir, entry.replace(/\.ts$/, ".js")),
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      sourcemap: "linked",
      minifyWhitespace: true,
      minifySyntax: true,
      logLevel: "warning",
      plugins: [
        {
          name: "lazy-archiver",
          setup(b) {
            b.onResolve({ filter: /^archiver$/ }, () => ({ path: lazyArchiver }));
            b.onResolve({ filter: /^json-stable-stringify$/ }, () => ({ path: fastStableStringify }));
          },
        },
        {
          name: "no-token-stack-traces",
          setup(b) {
            b.onLoad({ filter: /cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/ }, () => ({
              contents: "exports.captureStackTrace = function captureStackTrace() { return []; };",
              loader: "js",
            }));
          },
        },
        {
          name: "stack-merge",
          setup(b) {
            b.onLoad({ filter: /cdktf[\\/]lib[\\/]terraform-stack\.js$/ }, async (args) => {
              const source = await readFile(args.path, "utf8");
              if (source.split(STACK_MERGE_ORIGINAL).length !== 2) throw new Error(`${args.path}: TerraformStack.toTerraform is not the cdktf 0.21.0 code stack-merge.cjs replaces`);
              return { contents: source.replace(STACK_MERGE_ORIGINAL, STACK_MERGE_REPLACEMENT), resolveDir: path.dirname(args.path), loader: "js" };
            });
          },
        },
        {
          name: "fast-resolve",
          setup(b) {
            b.onLoad({ filter: /cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]resolve\.js$/ }, async () => ({
              contents: await readFile(fastResolve, "utf8"),
              resolveDir: root,
              loader: "js",
            }));
          },
        },
      ],
    }),
  ),
);
