import { buildApp } from "./src/app";
import { exitOnUserError } from "./src/cli";
import { configPathFromEnv, loadConfig } from "./src/config/load";
import { baselineFromEnv, checkProtectedRemovals } from "./src/removal-guard";
import { outdirFromEnv, synthesizeAtomically } from "./src/synth";

exitOnUserError(() => {
  const file = configPathFromEnv();
  const config = loadConfig(file);
  const outdir = outdirFromEnv();
  synthesizeAtomically(
    outdir,
    (temp) => buildApp(config, { outdir: temp }),
    (temp) => checkProtectedRemovals(config, file, temp, baselineFromEnv(outdir)),
  );
});
