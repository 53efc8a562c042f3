// Lets a child `node` process run the TypeScript sources directly (`node -r <this> main.ts`),
// with cdktf as published: bundle.test.ts compares the bundle's output with it.
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
