import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { ConfigError } from "../src/config/errors";
import { outdirFromEnv, synthesizeAtomically } from "../src/synth";
import { snapshotFolder, tempDir } from "./support/fixtures";

function appWithStack(outdir: string, name: string): App {
  const app = new App({ outdir });
  new TerraformStack(app, name);
  return app;
}

describe("synthesizeAtomically", () => {
  test("replaces the previous output with the new one and leaves no temporary folders", () => {
    const dir = tempDir();
    const outdir = path.join(dir, "cdktf.out");
    synthesizeAtomically(outdir, (temp) => appWithStack(temp, "old-stack"));
    synthesizeAtomically(outdir, (temp) => appWithStack(temp, "new-stack"));
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(["new-stack"]);
    expect(fs.readdirSync(dir)).toEqual(["cdktf.out"]);
  });

  test("a build that throws leaves the previous output exactly as it was", () => {
    const dir = tempDir();
    const outdir = path.join(dir, "cdktf.out");
    synthesizeAtomically(outdir, (temp) => appWithStack(temp, "kept"));
    const before = snapshotFolder(outdir);
    expect(() =>
      synthesizeAtomically(outdir, (temp) => {
        appWithStack(temp, "half-built").synth();
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(snapshotFolder(outdir)).toEqual(before);
    expect(fs.readdirSync(dir)).toEqual(["cdktf.out"]);
  });

  test("keeps terraform init's working files of stacks that are still there, so a synth does not force a new init", () => {
    const dir = tempDir();
    const outdir = path.join(dir, "cdktf.out");
    synthesizeAtomically(outdir, (temp) => {
      const app = appWithStack(temp, "kept");
      new TerraformStack(app, "dropped");
      return app;
    });
    for (const stack of ["kept", "dropped"]) {
      fs.mkdirSync(path.join(outdir, "stacks", stack, ".terraform", "providers"), { recursive: true });
      fs.writeFileSync(path.join(outdir, "stacks", stack, ".terraform.lock.hcl"), `# lock of ${stack}\n`);
    }
    synthesizeAtomically(outdir, (temp) => appWithStack(temp, "kept"));
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(["kept"]);
    expect(fs.readdirSync(path.join(outdir, "stacks", "kept")).sort()).toEqual([".terraform", ".terraform.lock.hcl", "cdk.tf.json"]);
    expect(fs.readFileSync(path.join(outdir, "stacks", "kept", ".terraform.lock.hcl"), "utf8")).toBe("# lock of kept\n");
    expect(fs.readdirSync(dir)).toEqual(["cdktf.out"]);
  });

  test("an output folder under a file is refused as a user error naming CDKTF_OUTDIR, and nothing is written", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "not-a-folder"), "");
    const outdir = path.join(dir, "not-a-folder", "cdktf.out");
    expect(() => synthesizeAtomically(outdir, (temp) => appWithStack(temp, "stack"))).toThrow(
      `cannot write the output folder ${outdir}: a part of its path is a file, not a folder (ENOTDIR); set CDKTF_OUTDIR to a folder you can write to`,
    );
    expect(() => synthesizeAtomically(outdir, (temp) => appWithStack(temp, "stack"))).toThrow(ConfigError);
    expect(fs.readdirSync(dir)).toEqual(["not-a-folder"]);
  });

  test("a bug while building is not turned into a folder error", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    const bug = new TypeError("a bug");
    expect(() =>
      synthesizeAtomically(outdir, () => {
        throw bug;
      }),
    ).toThrow(bug);
  });

  test("the output folder is CDKTF_OUTDIR when the cdktf CLI sets it, else cdktf.out", () => {
    expect(outdirFromEnv({ CDKTF_OUTDIR: "/tmp/x" })).toBe("/tmp/x");
    expect(outdirFromEnv({})).toBe(path.resolve("cdktf.out"));
  });
});
