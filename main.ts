import { buildApp } from "./src/app";
import { exitOnUserError } from "./src/cli";
import { configPathFromEnv, loadConfig } from "./src/config/load";
import { outdirFromEnv, synthesizeAtomically } from "./src/synth";

exitOnUserError(() => {
  const config = loadConfig(configPathFromEnv());
  synthesizeAtomically(outdirFromEnv(), (outdir) => buildApp(config, { outdir }));
});
