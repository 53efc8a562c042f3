import * as v8 from "v8";
// The HCL formatter is a Go program compiled to WebAssembly: see handoff.ts.
v8.setFlagsFromString("--liftoff-only");
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_CONFIG_PATH } from "../src/config/load";
import { loadConfig } from "../src/checks";
import { prepareHandoff, renderHandoff } from "../src/handoff/handoff";
import { PROJECT_ROOT, minimalRawConfig, runScript, snapshotFolder, tempDir, writeConfig } from "./support/fixtures";

// `npm run handoff` and `npm run stacks` run the bundles of scripts/handoff.ts and scripts/stacks.ts
// (scripts/bundle.mjs); runScript runs the ones jest's global setup builds the same way.

describe("npm run handoff (handoff.ts)", () => {
  const dir = tempDir();
  const env = { REGISTRY_CONFIG: DEFAULT_CONFIG_PATH };

  test("writes a folder per stack and names them; a second, independent run gives byte-identical files", async () => {
    const result = runScript("scripts/handoff.ts", dir, env);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("handoff/model-registry-dev/\nhandoff/model-registry-prod/\nhandoff/model-registry-state/\n");
    expect(fs.readdirSync(dir)).toEqual(["handoff"]);
    const written = snapshotFolder(path.join(dir, "handoff"));
    expect(Object.keys(written).sort()).toEqual([
      "model-registry-dev/README.md",
      "model-registry-dev/cdk.tf.json",
      "model-registry-dev/hcl/cdk.tf",
      "model-registry-dev/outputs.schema.json",
      "model-registry-prod/README.md",
      "model-registry-prod/cdk.tf.json",
      "model-registry-prod/hcl/cdk.tf",
      "model-registry-prod/outputs.schema.json",
      "model-registry-state/README.md",
      "model-registry-state/cdk.tf.json",
      "model-registry-state/hcl/cdk.tf",
      "model-registry-state/outputs.schema.json",
    ]);
    expect(written).toEqual(await renderHandoff(prepareHandoff(loadConfig(DEFAULT_CONFIG_PATH))));
    expect(JSON.stringify(written)).not.toContain(dir);
    expect(JSON.stringify(written)).not.toContain(PROJECT_ROOT);
  });

  test("an invalid config prints its problems, exits 1 and leaves the hand-off folder as it was", () => {
    const before = snapshotFolder(path.join(dir, "handoff"));
    const bad = writeConfig(tempDir(), { ...minimalRawConfig(), repositories: [{ name: "Bad_Name" }] });
    const result = runScript("scripts/handoff.ts", dir, { REGISTRY_CONFIG: bad });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: (.*registry\.yaml) is invalid \(1 problem\):\n {2}\1:8:11: repositories\[0\]\.name \(repository Bad_Name\): must be lowercase/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(snapshotFolder(path.join(dir, "handoff"))).toEqual(before);
  });
});

describe("npm run stacks (stacks.ts)", () => {
  test("prints the environment stacks as a JSON array in config order", () => {
    const raw = { ...minimalRawConfig(), environments: [{ name: "prod", region: "us-west-2" }, { name: "dev" }] };
    const result = runScript("scripts/stacks.ts", tempDir(), { REGISTRY_CONFIG: writeConfig(tempDir(), raw) });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe('["model-registry-prod","model-registry-dev"]\n');
  });

  test("rejects an invalid config like synth does", () => {
    const result = runScript("scripts/stacks.ts", tempDir(), { REGISTRY_CONFIG: "missing.yaml" });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("error: missing.yaml is invalid (1 problem):\n  cannot read the file: it does not exist (REGISTRY_CONFIG names the config file)\n");
  });
});
