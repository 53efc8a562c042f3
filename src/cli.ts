import { ConfigError } from "./config/errors";

/**
 * Runs a command's body and turns a user mistake (`ConfigError`) into its message on stderr and
 * exit code 1, without a stack trace. Anything else is a bug and keeps its stack.
 */
export function exitOnUserError(body: () => void): void {
  try {
    body();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
