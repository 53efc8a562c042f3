import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";

/** The output folder: `CDKTF_OUTDIR` when the cdktf CLI runs the app, else `cdktf.out`. */
export function outdirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.CDKTF_OUTDIR ?? "cdktf.out");
}

/**
 * Synthesizes into a sibling temporary folder and swaps it into `outdir` only when synth
 * succeeded, so a failed or interrupted run never leaves a half-written output folder.
 * `verify` may inspect the new output (and the previous one, still in `outdir`), add files to
 * it, and throw to keep the previous output.
 */
export function synthesizeAtomically(outdir: string, build: (tempOutdir: string) => App, verify?: (tempOutdir: string, app: App) => void): App {
  const temp = `${outdir}.tmp-${process.pid}`;
  const previous = `${outdir}.old-${process.pid}`;
  fs.rmSync(temp, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  let app: App;
  try {
    app = build(temp);
    app.synth();
    verify?.(temp, app);
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  const hadPrevious = fs.existsSync(outdir);
  if (hadPrevious) fs.renameSync(outdir, previous);
  fs.renameSync(temp, outdir);
  if (hadPrevious) fs.rmSync(previous, { recursive: true, force: true });
  return app;
}
