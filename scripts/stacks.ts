import { exitOnUserError } from "../src/cli";
import { configPathFromEnv } from "../src/config/load";
import { loadConfig } from "../src/checks";
import { environmentStackNames } from "../src/environment-stacks";

// Prints the environment stacks as a JSON array, for the CI workflow's matrix.
exitOnUserError(() => {
  process.stdout.write(`${JSON.stringify(environmentStackNames(loadConfig(configPathFromEnv())))}\n`);
});
