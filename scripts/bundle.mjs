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

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const lazyArchiver = path.join(root, "scripts", "lazy-archiver.cjs");

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
      // Loads its WebAssembly from next to its own files, so it must stay in node_modules.
      external: ["@cdktf/hcl-tools"],
      plugins: [
        {
          name: "lazy-archiver",
          setup(b) {
            b.onResolve({ filter: /^archiver$/ }, () => ({ path: lazyArchiver }));
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
      ],
    }),
  ),
);
