import { exitOnUserError } from "../src/cli";
import { reviewCommand } from "../src/commands/review";

exitOnUserError(() => {
  reviewCommand({ args: process.argv.slice(2) });
});
