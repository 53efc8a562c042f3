// `npm test`: the type check (`tsc -b --noEmit`) and the test suite (`jest`, arguments passed through)
// side by side rather than one after the other. Jest's setup and tsc are mostly single-threaded,
// so on two cores running them together takes about the time of the longer one. tsc's output is
// printed after jest's; the exit code is non-zero when either fails.
//
// tsc's build mode keeps the outcome of the last check in dist/.tsbuildinfo and skips the whole
// check (about 1 s instead of 4-6 s) when no file of the project changed since. It judges that from
// the project's own files only, so when the installed packages change (npm rewrites
// node_modules/.package-lock.json) the check starts over (--force).
import { spawn } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { fileURLToPath } from "url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : undefined);
const buildInfo = mtime(path.join(root, "dist", ".tsbuildinfo"));
const installed = mtime(path.join(root, "node_modules", ".package-lock.json"));
const stale = buildInfo === undefined || installed === undefined || installed > buildInfo;

const typeCheck = new Promise((resolve) => {
  let output = "";
  const tsc = spawn(bin("tsc"), ["-b", "--noEmit", ...(stale ? ["--force"] : [])], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  // Lowest priority: on two cores jest keeps both busy most of the time, and the check takes the
  // time jest leaves (its start-up, the global setup's bundling, the last test file), which
  // finished a run after a source edit 1-1.5 s sooner than sharing the cores evenly.
  try {
    os.setPriority(tsc.pid, 19);
  } catch {
    // Not permitted here: the check then runs at normal priority.
  }
  tsc.stdout.on("data", (chunk) => (output += chunk));
  tsc.stderr.on("data", (chunk) => (output += chunk));
  tsc.on("close", (code) => resolve({ code, output }));
});
// Jest and its workers (which inherit node's flags) collect garbage on their own thread: V8's
// parallel collector helper threads only contend with the other worker on two cores (about 8% less
// CPU time for the suite). They also compile WebAssembly with the baseline compiler only, as the
// hand-off and workflow tests ask (v8.setFlagsFromString, docs/internals.md, "Dependencies"): set from the start,
// the flag is the same for every test file whichever worker runs it, and a flag change mid-worker
// no longer invalidates the code cache of the modules compiled before it (code-cache-runtime.js).
const tests = new Promise((resolve) => {
  const jest = spawn(process.execPath, ["--single-threaded-gc", "--liftoff-only", path.join(root, "node_modules", "jest", "bin", "jest.js"), ...process.argv.slice(2)], {
    cwd: root,
    stdio: "inherit",
  });
  jest.on("close", (code) => resolve(code));
});

const [jestCode, tsc] = await Promise.all([tests, typeCheck]);
if (tsc.code !== 0) process.stderr.write(`\ntsc -b --noEmit failed:\n${tsc.output}`);
else process.stderr.write("tsc -b --noEmit: no type errors\n");
process.exitCode = jestCode !== 0 || tsc.code !== 0 ? 1 : 0;
