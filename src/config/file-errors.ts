/**
 * File system errors the user can fix (a path through a file, no permission, a full disk), as
 * opposed to bugs: reported in words with their code, without a stack trace.
 */

/** Whether `error` came from the file system (it carries a code such as `EACCES` and a syscall). */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  // Not `instanceof Error`: under jest, node's errors come from another realm.
  if (typeof error !== "object" || error === null) return false;
  const { code, syscall } = error as NodeJS.ErrnoException;
  return typeof code === "string" && typeof syscall === "string";
}

/** What a file system error code means for the path it names; undefined for a code without words here. */
export function fileSystemProblem(code: string): string | undefined {
  return PROBLEMS[code];
}

const PROBLEMS: Readonly<Record<string, string>> = {
  ENOTDIR: "a part of its path is a file, not a folder",
  EEXIST: "a part of its path is a file, not a folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ELOOP: "its path has a loop of symbolic links",
  ENAMETOOLONG: "its path is too long",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is used up",
};
