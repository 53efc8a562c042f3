import { exitOnUserError } from "../src/cli";
import { configPathFromEnv, loadConfig } from "../src/config/load";
import { environmentStackNames } from "../src/environment-stacks";

// Prints the environment stacks as a JSON array, for the CI workflow's matrix.
exitOnUserError(() => {
  process.stdout.write(`${JSON.stringify(environmentStackNames(loadConfig(configPathFromEnv())))}\n`);
});
