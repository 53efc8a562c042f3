import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { asOutputFolderError } from "./synthesized/write-folder";

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
  return replaceAtomically(outdir, (temp) => {
    const app = build(temp);
    app.synth();
    verify?.(temp, app);
    return app;
  });
}

/**
 * Runs `write` on a sibling temporary folder and swaps that folder into `outdir` only when `write`
 * returned, so a failed or interrupted run never leaves a half-written output folder; the previous
 * output stays in `outdir` while `write` runs.
 */
export function replaceAtomically<T>(outdir: string, write: (tempOutdir: string) => T): T {
  const temp = `${outdir}.tmp-${process.pid}`;
  const previous = `${outdir}.old-${process.pid}`;
  const folderError = (error: unknown) => asOutputFolderError(error, outdir, "CDKTF_OUTDIR");
  try {
    fs.rmSync(temp, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(outdir), { recursive: true });
  } catch (error) {
    throw folderError(error);
  }
  let result: T;
  try {
    result = write(temp);
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw folderError(error);
  }
  try {
    const hadPrevious = fs.existsSync(outdir);
    if (hadPrevious) carryOverTerraformState(outdir, temp);
    if (hadPrevious) fs.renameSync(outdir, previous);
    fs.renameSync(temp, outdir);
    if (hadPrevious) fs.rmSync(previous, { recursive: true, force: true });
  } catch (error) {
    throw folderError(error);
  }
  return result;
}

/**
 * What `terraform init` leaves in a stack's folder (providers, modules, the backend it initialized,
 * the dependency lock file). cdktf's own synth writes over the folder and keeps these; a swapped-in
 * folder must carry them over, or every synth would force a fresh `terraform init`.
 */
export const TERRAFORM_WORKING_FILES = [".terraform", ".terraform.lock.hcl"] as const;

function carryOverTerraformState(previousOutdir: string, newOutdir: string): void {
  const stacks = path.join(previousOutdir, "stacks");
  if (!fs.existsSync(stacks)) return;
  for (const stack of fs.readdirSync(stacks)) {
    const target = path.join(newOutdir, "stacks", stack);
    if (!fs.existsSync(target)) continue; // a stack that is gone takes its working files with it
    for (const name of TERRAFORM_WORKING_FILES) {
      const source = path.join(stacks, stack, name);
      if (fs.existsSync(source)) fs.renameSync(source, path.join(target, name));
    }
  }
}
