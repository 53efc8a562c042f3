import * as path from "path";
import { build, stop } from "esbuild";

// Validating a config (YAML, the schema and every check of CONFIG_CHECKS) is data in, problems out:
// it must not load cdktf, the AWS provider classes or constructs, which the stacks need and which
// take most of a command's start-up. This bundles the entry point commands validate a config with,
// as `npm run synth` bundles main.ts, and reads esbuild's list of the files it took in.
const ROOT = path.join(__dirname, "..");

async function bundledInputs(entry: string): Promise<string[]> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "cjs",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return Object.keys(result.metafile!.inputs);
}

const CDKTF_PACKAGES = /(^|\/)node_modules\/(cdktf|@cdktf\/[^/]+|constructs)\//;

// esbuild's service process would keep the jest worker alive.
afterAll(() => stop());

describe("the validate path", () => {
  let inputs: string[] = [];
  beforeAll(async () => {
    inputs = await bundledInputs("src/checks/index.ts");
  });

  test("loads no cdktf, provider or constructs module", () => {
    expect(inputs.filter((input) => CDKTF_PACKAGES.test(input))).toEqual([]);
  });

  test("is the schema and the checks: the bundle holds the loader, every check and zod", () => {
    expect(inputs).toEqual(expect.arrayContaining(["src/config/load.ts", "src/config/schema/index.ts", "src/checks/replication.ts", "src/checks/guardrail-waivers.ts"]));
    expect(inputs.some((input) => /node_modules\/zod\//.test(input))).toBe(true);
  });

  test("would see cdktf if a module on the path imported it: the stacks' entry point does", async () => {
    expect((await bundledInputs("src/stacks/app.ts")).filter((input) => CDKTF_PACKAGES.test(input)).length).toBeGreaterThan(0);
  });
});
