import * as path from "path";
import * as v8 from "v8";
import { exitOnUserError } from "../src/cli";
import { configPathFromEnv } from "../src/config/load";
import { loadConfig } from "../src/checks";
import { handoffOutdirFromEnv, prepareHandoff, writeHandoff } from "../src/handoff/handoff";

// The HCL formatter is a Go program compiled to WebAssembly and run a few times: V8's baseline
// compiler alone starts it about a second sooner than optimizing all of it first.
v8.setFlagsFromString("--liftoff-only");

exitOnUserError(() => {
  const stacks = prepareHandoff(loadConfig(configPathFromEnv()));
  void writeHandoff(stacks, handoffOutdirFromEnv()).then((folders) => {
    for (const folder of folders) process.stdout.write(`${path.relative(process.cwd(), folder) || folder}/\n`);
  });
});
