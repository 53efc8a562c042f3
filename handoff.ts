import * as path from "path";
import { exitOnUserError } from "./src/cli";
import { configPathFromEnv, loadConfig } from "./src/config/load";
import { handoffOutdirFromEnv, prepareHandoff, writeHandoff } from "./src/handoff/handoff";

exitOnUserError(() => {
  const stacks = prepareHandoff(loadConfig(configPathFromEnv()));
  void writeHandoff(stacks, handoffOutdirFromEnv()).then((folders) => {
    for (const folder of folders) process.stdout.write(`${path.relative(process.cwd(), folder) || folder}/\n`);
  });
});
