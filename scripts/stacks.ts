import { exitOnUserError } from "../src/cli";
import { stacksCommand } from "../src/commands/stacks";

// Prints the environment stacks (or, with --changed --base <x>, those a change touches) as a JSON array, for the CI workflow's matrix.
exitOnUserError(() => {
  stacksCommand({ args: process.argv.slice(2) });
});
