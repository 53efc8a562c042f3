import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { generateConfig } from "../bench/generate";
import { DEFAULT_CONFIG_PATH } from "../src/config/load";
import { runMain, runMainFromSources, snapshotFolder, tempDir, writeConfig } from "./support/fixtures";

// `npm run synth` runs the esbuild bundle (scripts/bundle.mjs; runMain runs the one jest's global
// setup builds), which changes cdktf internals (scripts/cdktf/patches.cjs). This pins it to the
// output of the TypeScript sources with cdktf as published, on the default registry.yaml plus 40
// generated repositories with their own consumers and lifecycle policies, so every feature and
// many tokens go through both.
test("the bundled app synthesizes exactly what the sources synthesize with unpatched cdktf", () => {
  const raw = parse(fs.readFileSync(DEFAULT_CONFIG_PATH, "utf8"));
  raw.repositories.push(...(generateConfig(40).repositories as unknown[]));
  const REGISTRY_CONFIG = writeConfig(tempDir(), raw);

  const fromBundle = tempDir();
  const bundled = runMain(fromBundle, { REGISTRY_CONFIG });
  expect(bundled.stderr).toBe("");
  expect(bundled.status).toBe(0);

  const fromSources = tempDir();
  expect(runMainFromSources(fromSources, { REGISTRY_CONFIG }).status).toBe(0);

  const output = snapshotFolder(path.join(fromBundle, "cdktf.out"));
  expect(Object.keys(output).length).toBeGreaterThan(2);
  expect(JSON.parse(output["stacks/model-registry-dev/cdk.tf.json"]).resource.aws_ecr_repository["models__team-09__model-0039"]).toBeDefined();
  expect(output).toEqual(snapshotFolder(path.join(fromSources, "cdktf.out")));
});
