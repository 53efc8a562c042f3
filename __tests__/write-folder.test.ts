import * as fs from "fs";
import * as path from "path";
import { writeFolderAtomically } from "../src/write-folder";
import { snapshotFolder, tempDir } from "./support/fixtures";

describe("writeFolderAtomically", () => {
  test("replaces the folder with exactly the given files, so nothing stale is left behind", () => {
    const outdir = path.join(tempDir(), "handoff");
    writeFolderAtomically(outdir, { "old-stack/README.md": "old", "keep/README.md": "v1" });
    writeFolderAtomically(outdir, { "keep/README.md": "v2", "keep/hcl/cdk.tf": "hcl" });
    expect(snapshotFolder(outdir)).toEqual({ "keep/README.md": "v2", "keep/hcl/cdk.tf": "hcl" });
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(["handoff"]);
  });

  test("leaves the previous folder as it was when writing fails", () => {
    const outdir = path.join(tempDir(), "handoff");
    writeFolderAtomically(outdir, { "a/README.md": "v1" });
    // A file and a folder of the same name cannot both be written.
    expect(() => writeFolderAtomically(outdir, { "a/README.md": "v2", "a/README.md/x": "y" })).toThrow();
    expect(snapshotFolder(outdir)).toEqual({ "a/README.md": "v1" });
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(["handoff"]);
  });
});
