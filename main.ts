import { exitOnUserError } from "./src/cli";
import { synthCommand } from "./src/commands/synth";

exitOnUserError(() => synthCommand());
