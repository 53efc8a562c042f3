// Builds the runnable app: main.ts and everything it imports, bundled into dist/main.bundle.js,
// and dist/main.js, which runs the bundle with V8's code cache (scripts/code-cache.cjs).
//
// Why a bundle: the app loads ~570 CommonJS modules, and at this size start-up is dominated by
// module resolution and loading, not by synthesis. One file removes the resolution cost.
//
// The bundle also applies this project's changes to cdktf internals (scripts/cdktf/patches.cjs:
// a lazy `archiver`, no per-token stack traces, a faster token resolver, stack merge and JSON
// writer), which jest applies too. Type checking is `tsc -b --noEmit` in `npm test`; esbuild only
// strips types.
import { build } from "esbuild";
import { fileURLToPath } from "url";
import path from "path";
import { copyFile, readFile, writeFile } from "fs/promises";
import patches from "./cdktf/patches.cjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const entries = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["main.ts"];
const outdir = process.env.BUNDLE_OUTDIR ?? path.join(root, "dist");
// One build for all entries: esbuild parses the modules they share (cdktf, the provider) once.
// Each entry `x/y.ts` is written to `<outdir>/x/y.js`. BUNDLE_METAFILE names a file to write
// esbuild's list of inputs to (jest's global setup rebuilds its bundles when one changes).
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
  metafile: Boolean(process.env.BUNDLE_METAFILE),
  // Loads its WebAssembly from next to its own files, so it must stay in node_modules.
  external: ["@cdktf/hcl-tools"],
  plugins: [
    {
      name: "cdktf-patches",
      setup(b) {
        for (const [name, replacement] of Object.entries(patches.BY_NAME)) {
          b.onResolve({ filter: new RegExp(`^${name}$`) }, (args) => (patches.isCdktfLib(args.importer) ? { path: replacement } : undefined));
        }
        for (const { file, replacement } of patches.BY_PATH) {
          b.onLoad({ filter: file }, async () => ({ contents: await readFile(replacement, "utf8"), resolveDir: path.dirname(replacement), loader: "js" }));
        }
        for (const { file } of patches.SOURCE_PATCHES) {
          b.onLoad({ filter: file }, async (args) => ({
            contents: patches.patchSource(await readFile(args.path, "utf8"), args.path),
            resolveDir: path.dirname(args.path),
            loader: "js",
          }));
        }
      },
    },
  ],
});
if (process.env.BUNDLE_METAFILE) await writeFile(process.env.BUNDLE_METAFILE, JSON.stringify(result.metafile));

// The launchers, and the code-cache loader they share (copied, so `dist/` runs on its own).
await copyFile(path.join(root, "scripts", "code-cache.cjs"), path.join(outdir, "code-cache.cjs"));
for (const entry of entries) {
  const launcher = path.join(outdir, path.relative(root, path.resolve(root, entry)).replace(/\.ts$/, ".js"));
  const loader = path.relative(path.dirname(launcher), path.join(outdir, "code-cache.cjs")).split(path.sep).join("/");
  const bundle = path.basename(launcher).replace(/\.js$/, ".bundle.js");
  await writeFile(
    launcher,
    `"use strict";\n// Runs ${bundle} (scripts/bundle.mjs) with V8's code cache.\nrequire(${JSON.stringify(loader.startsWith(".") ? loader : `./${loader}`)}).run(require("path").join(__dirname, ${JSON.stringify(bundle)}), module);\n`,
  );
}
