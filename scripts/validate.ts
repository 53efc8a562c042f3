import { exitOnUserError } from "../src/cli";
import { validateCommand } from "../src/commands/validate";

exitOnUserError(() => validateCommand());
