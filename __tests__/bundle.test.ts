import { spawnSync } from "child_process";
import * as path from "path";
import { DEFAULT_CONFIG_PATH } from "../src/config/load";
import { PROJECT_ROOT, runMain, snapshotFolder, tempDir } from "./support/fixtures";

// `npm run synth` runs the esbuild bundle (scripts/bundle.mjs), which swaps two cdktf internals;
// the rest of the suite runs the sources. This pins the two to the same output.
test("the bundled app synthesizes exactly what the sources synthesize", () => {
  const bundleDir = tempDir();
  const bundled = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "scripts/bundle.mjs")], {
    env: { ...process.env, BUNDLE_OUTDIR: bundleDir },
    encoding: "utf8",
  });
  expect(bundled.stderr).toBe("");
  expect(bundled.status).toBe(0);

  const fromBundle = tempDir();
  const run = spawnSync(process.execPath, [path.join(bundleDir, "main.js")], {
    cwd: fromBundle,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", REGISTRY_CONFIG: DEFAULT_CONFIG_PATH },
    encoding: "utf8",
  });
  expect(run.status).toBe(0);

  const fromSources = tempDir();
  expect(runMain(fromSources, { REGISTRY_CONFIG: DEFAULT_CONFIG_PATH }).status).toBe(0);

  const output = snapshotFolder(path.join(fromBundle, "cdktf.out"));
  expect(Object.keys(output).length).toBeGreaterThan(2);
  expect(output).toEqual(snapshotFolder(path.join(fromSources, "cdktf.out")));
});
