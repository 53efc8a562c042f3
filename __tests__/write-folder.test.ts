import * as fs from "fs";
import * as path from "path";
import { OutputFolderError, writeFolderAtomically } from "../src/synthesized/write-folder";
import { snapshotFolder, tempDir } from "./support/fixtures";

describe("writeFolderAtomically", () => {
  test("replaces the folder with exactly the given files, so nothing stale is left behind", () => {
    const outdir = path.join(tempDir(), "handoff");
    writeFolderAtomically(outdir, { "old-stack/README.md": "old", "keep/README.md": "v1" }, "HANDOFF_OUTDIR");
    writeFolderAtomically(outdir, { "keep/README.md": "v2", "keep/hcl/cdk.tf": "hcl" }, "HANDOFF_OUTDIR");
    expect(snapshotFolder(outdir)).toEqual({ "keep/README.md": "v2", "keep/hcl/cdk.tf": "hcl" });
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(["handoff"]);
  });

  test("leaves the previous folder as it was when writing fails", () => {
    const outdir = path.join(tempDir(), "handoff");
    writeFolderAtomically(outdir, { "a/README.md": "v1" }, "HANDOFF_OUTDIR");
    // A file and a folder of the same name cannot both be written.
    expect(() => writeFolderAtomically(outdir, { "a/README.md": "v2", "a/README.md/x": "y" }, "HANDOFF_OUTDIR")).toThrow(OutputFolderError);
    expect(snapshotFolder(outdir)).toEqual({ "a/README.md": "v1" });
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(["handoff"]);
  });
});

describe("OutputFolderError", () => {
  test("says why a folder under a file cannot be written and which setting chooses it", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "not-a-folder"), "");
    const outdir = path.join(dir, "not-a-folder", "handoff");
    expect(() => writeFolderAtomically(outdir, { "a/README.md": "v1" }, "HANDOFF_OUTDIR")).toThrow(
      new OutputFolderError(outdir, Object.assign(new Error("x"), { code: "ENOTDIR" }), "HANDOFF_OUTDIR"),
    );
    expect(new OutputFolderError(outdir, Object.assign(new Error("x"), { code: "ENOTDIR" }), "HANDOFF_OUTDIR").message).toBe(
      `cannot write the output folder ${outdir}: a part of its path is a file, not a folder (ENOTDIR); set HANDOFF_OUTDIR to a folder you can write to`,
    );
    expect(fs.readdirSync(dir)).toEqual(["not-a-folder"]);
  });

  test("names an error code it has no words for", () => {
    expect(new OutputFolderError("out", Object.assign(new Error("x"), { code: "EIO" }), "CDKTF_OUTDIR").message).toBe(
      "cannot write the output folder out: EIO (EIO); set CDKTF_OUTDIR to a folder you can write to",
    );
  });
});
