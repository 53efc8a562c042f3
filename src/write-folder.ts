import * as fs from "fs";
import * as path from "path";

/**
 * Replaces `outdir` with exactly `files` (relative path → content): written into a sibling
 * temporary folder first and swapped in only when every file is written, so a failed run leaves
 * the previous folder as it was.
 */
export function writeFolderAtomically(outdir: string, files: Readonly<Record<string, string>>): void {
  const temp = `${outdir}.tmp-${process.pid}`;
  const previous = `${outdir}.old-${process.pid}`;
  fs.rmSync(temp, { recursive: true, force: true });
  try {
    for (const [relative, content] of Object.entries(files)) {
      const file = path.join(temp, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    fs.mkdirSync(temp, { recursive: true });
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  const hadPrevious = fs.existsSync(outdir);
  if (hadPrevious) fs.renameSync(outdir, previous);
  fs.renameSync(temp, outdir);
  if (hadPrevious) fs.rmSync(previous, { recursive: true, force: true });
}
