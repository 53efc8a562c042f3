// Builds the runnable app: main.ts and everything it imports, bundled into dist/main.bundle.js,
// and dist/main.js, which runs the bundle with V8's code cache (scripts/code-cache.cjs).
//
// Why a bundle: the app loads ~570 CommonJS modules, and at this size start-up is dominated by
// module resolution and loading, not by synthesis. One file removes the resolution cost.
//
// The bundle also applies this project's changes to cdktf internals (scripts/cdktf/patches.cjs:
// no per-token stack traces and a faster token resolver), which jest applies too. Type checking
// is `tsc -b --noEmit` in `npm test`; esbuild only strips types.
import { build } from "esbuild";
import { fileURLToPath } from "url";
import path from "path";
import { copyFile, readFile, writeFile } from "fs/promises";
import patches from "./cdktf/patches.cjs";
import stamp from "./bundle-stamp.cjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const entries = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["main.ts"];
const outdir = process.env.BUNDLE_OUTDIR ?? path.join(root, "dist");
// One build for all entries: esbuild parses the modules they share (cdktf, the provider) once.
// Each entry `x/y.ts` is written to `<outdir>/x/y.js`, with a stamp of what it was built from
// (`<outdir>/x/y.inputs.json`, scripts/bundle-stamp.cjs), so scripts/run.cjs and jest's global
// setup rebuild only when something changed.
// BUNDLE_SKIP_PATCHES lists ids of scripts/cdktf/patches.cjs to leave out, and `caches` for the
// project's own caches (src/cache: every memo computes afresh); bench/patches.ts measures what
// each saves.
const skip = new Set((process.env.BUNDLE_SKIP_PATCHES ?? "").split(",").filter(Boolean));
const CACHES = "caches";
/** src/cache/index.ts without remembering: each function is its `compute`. */
const UNCACHED = "export const memoByKey = (compute: any) => compute;\nexport const memoByObject = (compute: any) => compute;\n";
const result = await build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir,
  outbase: root,
  entryNames: "[dir]/[name].bundle",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "linked",
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
  metafile: true,
  // Loads its WebAssembly from next to its own files, so it must stay in node_modules.
  external: ["@cdktf/hcl-tools"],
  plugins: [
    {
      name: "cdktf-patches",
      setup(b) {
        for (const { id, file, replacement } of patches.BY_PATH) {
          if (skip.has(id)) continue;
          b.onLoad({ filter: file }, async () => ({ contents: await readFile(replacement, "utf8"), resolveDir: path.dirname(replacement), loader: "js" }));
        }
        if (skip.has(CACHES)) b.onLoad({ filter: /[\\/]src[\\/]cache[\\/]index\.ts$/ }, () => ({ contents: UNCACHED, loader: "ts" }));
      },
    },
  ],
});

// The launchers, and the code-cache loader they share (copied, so `dist/` runs on its own).
await copyFile(path.join(root, "scripts", "code-cache.cjs"), path.join(outdir, "code-cache.cjs"));
for (const entry of entries) {
  const launcher = stamp.launcherFile(outdir, root, entry);
  const loader = path.relative(path.dirname(launcher), path.join(outdir, "code-cache.cjs")).split(path.sep).join("/");
  const bundle = path.basename(launcher).replace(/\.js$/, ".bundle.js");
  await writeFile(
    launcher,
    `"use strict";\n// Runs ${bundle} (scripts/bundle.mjs) with V8's code cache.\nrequire(${JSON.stringify(loader.startsWith(".") ? loader : `./${loader}`)}).run(require("path").join(__dirname, ${JSON.stringify(bundle)}), module);\n`,
  );
}
// Last, so a stamp never describes a bundle or launcher that is not written yet.
for (const [output, { entryPoint, inputs }] of Object.entries(result.metafile.outputs)) {
  const entry = entries.find((e) => entryPoint !== undefined && path.resolve(root, e) === path.resolve(root, entryPoint));
  if (entry && output.endsWith(".js")) stamp.writeStamp(outdir, root, entry, Object.keys(inputs), [...skip].sort().join(","));
}
