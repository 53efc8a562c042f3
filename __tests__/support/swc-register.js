// Lets a child `node` process run the TypeScript sources directly (`node -r <this> main.ts`),
// so end-to-end tests exercise the real entry point without a tsc build first.
const fs = require("fs");
const { transformSync } = require("@swc/core");

require.extensions[".ts"] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, "utf8"), {
    filename,
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    module: { type: "commonjs" },
  });
  module._compile(code, filename);
};
