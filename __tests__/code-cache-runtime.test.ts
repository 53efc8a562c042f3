import * as fs from "fs";
import * as path from "path";
import { tempDir } from "./support/fixtures";

// Jest compiles every module through __tests__/support/code-cache-runtime.js; its wrapper must not
// move the positions stack traces give (a plain .js module, which no transform or source map touches).
test("a module's stack traces give its own line and column, on its first line too", () => {
  const file = path.join(tempDir(), "throws.js");
  fs.writeFileSync(file, 'exports.first = () => { throw new Error("first"); };\nexports.second = () => {\n  throw new Error("second");\n};\n');
  const thrower = require(file) as { first: () => void; second: () => void };
  expect(() => thrower.first()).toThrow(expect.objectContaining({ stack: expect.stringContaining(`${file}:1:31`) }));
  expect(() => thrower.second()).toThrow(expect.objectContaining({ stack: expect.stringContaining(`${file}:3:9`) }));
});
