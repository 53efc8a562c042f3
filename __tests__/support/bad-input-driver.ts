// Runs many `npm run synth` invocations in one node process, so the bad-input catalogue costs one
// process start instead of one per case. Each run goes through the same code as main.ts
// (`exitOnUserError(() => synthCommand(...))`) from its own working directory, with stdout, stderr
// and the exit code captured. An exception that escapes is what node would print as an uncaught
// exception (its stack) with exit code 1, and is recorded as such.
//
// Usage: node <bundle of bad-input-driver.ts> <runs.json> <results.json> (jest's global setup builds it)
import * as fs from "fs";
import { exitOnUserError } from "../../src/cli";
import { synthCommand } from "../../src/commands/synth";


/** One synth run: the working directory and the environment variables it sees. */
export interface DriverRun {
  readonly id: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** Runs a command that throws a TypeError instead of synth: a stand-in for a bug, to prove the driver reports one. */
  readonly simulateBug?: boolean;
}

export interface DriverResult {
  readonly id: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runOne(run: DriverRun): DriverResult {
  let stdout = "";
  let stderr = "";
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  const out = { write: (chunk: string) => ((stdout += chunk), true) } as unknown as NodeJS.WritableStream;
  process.chdir(run.cwd);
  process.exitCode = 0;
  const command = run.simulateBug
    ? () => {
        throw new TypeError("a simulated bug");
      }
    : () => synthCommand({ ...run.env }, out);
  try {
    exitOnUserError(command);
  } catch (error) {
    stderr += `${error instanceof Error ? error.stack : String(error)}\n`;
    process.exitCode = 1;
  } finally {
    process.stderr.write = write;
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { id: run.id, exitCode, stdout, stderr };
}

if (require.main === module) {
  const [runsFile, resultsFile] = process.argv.slice(2);
  const runs: DriverRun[] = JSON.parse(fs.readFileSync(runsFile, "utf8"));
  fs.writeFileSync(resultsFile, JSON.stringify(runs.map(runOne)));
}
