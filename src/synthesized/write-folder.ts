import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/errors";
import { fileSystemProblem, isFileSystemError } from "../config/file-errors";

/**
 * Replaces `outdir` with exactly `files` (relative path → content): written into a sibling
 * temporary folder first and swapped in only when every file is written, so a failed run leaves
 * the previous folder as it was. A file system error becomes an `OutputFolderError` that names
 * `setting`, what chooses the folder (e.g. `HANDOFF_OUTDIR`).
 */
export function writeFolderAtomically(outdir: string, files: Readonly<Record<string, string>>, setting: string): void {
  const temp = `${outdir}.tmp-${process.pid}`;
  const previous = `${outdir}.old-${process.pid}`;
  try {
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
  } catch (error) {
    throw asOutputFolderError(error, outdir, setting);
  }
}

/**
 * The output folder (or the temporary folder beside it) cannot be created or written: reported
 * like a config error, with what went wrong and no stack trace; nothing is written.
 */
export class OutputFolderError extends ConfigError {
  constructor(outdir: string, cause: NodeJS.ErrnoException & { code: string }, setting: string) {
    const reason = fileSystemProblem(cause.code) ?? cause.code;
    const message = `cannot write the output folder ${outdir}: ${reason} (${cause.code}); set ${setting} to a folder you can write to`;
    super(outdir, [{ path: "", message }]);
    this.name = "OutputFolderError";
    this.message = message;
  }
}

/** A file system error met while writing `outdir` as an `OutputFolderError` naming `setting` (what chooses the folder); anything else unchanged. */
export function asOutputFolderError(error: unknown, outdir: string, setting: string): unknown {
  return isFileSystemError(error) ? new OutputFolderError(outdir, error, setting) : error;
}

