/**
 * Imported for its effect: the pinned AWS SDK warns that its releases after January 2027 need
 * Node 22; for a pinned version there is nothing to act on, so that one warning is dropped.
 */
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: any[]) => {
  if (String(warning instanceof Error ? `${warning.name} ${warning.message}` : warning).includes("NodeVersionSupportWarning")) return;
  emitWarning(warning as any, ...rest);
}) as typeof process.emitWarning;
