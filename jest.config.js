/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }],
  },
  // cdktf with this project's patches, like the bundle (scripts/cdktf/patches.cjs).
  resolver: "<rootDir>/__tests__/support/cdktf-resolver.js",
  // Keeps V8's code cache across the test files of a worker (see the file).
  runtime: "<rootDir>/__tests__/support/code-cache-runtime.js",
  setupFilesAfterEnv: ["<rootDir>/jest.setup.js"],
  // Bundles main.ts and scripts/validate.ts once for the end-to-end tests' child processes.
  globalSetup: "<rootDir>/__tests__/support/global-setup.js",
  globalTeardown: "<rootDir>/__tests__/support/global-teardown.js",
  // Jest's default on this 2-core machine is one worker; the suite is CPU-bound, so use both.
  maxWorkers: 2,
  // End-to-end tests start node processes; on a loaded two-core machine one took over jest's
  // default 5 s. A hang still fails, after 30 s.
  testTimeout: 30_000,
};
