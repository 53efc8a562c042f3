// Jest's module runtime, with V8's code cache kept across the test files a worker runs.
//
// Jest gives every test file its own module registry, so cdktf, zod, yaml, the provider classes
// and src/ are compiled again for each file: compiling was about a third of the suite's CPU time.
// Here each module is compiled as a vm.Script (node's classic module wrapper) instead of with
// vm.compileFunction, because a script can hand out its code cache after it ran, with the functions
// the test file called compiled in it: when the next test file starts, the previous file's new
// scripts give their caches, and later compiles of the same source (same file, identical text)
// start from them instead of parsing and compiling again (about 25% less CPU time for a typical
// test file than a cache made at compile time).
//
// Modules are still evaluated afresh in every test file: isolation is unchanged. V8 checks a cache
// against the source and its flags and rejects a stale one (then it compiles from source, as jest
// does). The wrapper has a line of its own, counted as line 0, so stack traces give the module's
// own lines and columns.
const vm = require("vm");
const Runtime = require("jest-runtime").default;

/** filename → the source compiled and its code cache; one worker's lifetime. */
const codeCache = new Map();
/** Scripts compiled from source by the current test file, whose caches the next one collects. */
let compiledFromSource = [];

class CodeCacheRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    for (const { filename, source, script } of compiledFromSource) codeCache.set(filename, { source, data: script.createCachedData() });
    compiledFromSource = [];

    const executor = this.executor;
    const jestCompile = executor.compile.bind(executor);
    // In place of jest-runtime's ModuleExecutor.compile (30.x): the same function, from a script.
    executor.compile = (source, filename) => {
      const vmContext = executor.environment.getVmContext();
      if (vmContext == null) return null;
      const cached = codeCache.get(filename);
      const cachedData = cached !== undefined && cached.source === source ? cached.data : undefined;
      let script;
      try {
        script = new vm.Script(`(function (${executor.injectedModuleParameters.join(", ")}) {\n${source}\n})`, {
          filename,
          lineOffset: -1,
          cachedData,
          importModuleDynamically: (specifier, _script, importAttributes, ...rest) =>
            executor.dynamicImport(specifier, filename, vmContext, importAttributes, rest[0]),
        });
      } catch {
        // A syntax error (or ESM syntax): jest's own compile throws what jest would.
        return jestCompile(source, filename);
      }
      // Rejected although the source is the same: V8's flags changed (a test file called
      // v8.setFlagsFromString), which invalidates every cache made before. Start again.
      if (script.cachedDataRejected === true) codeCache.clear();
      if (cachedData === undefined || script.cachedDataRejected === true) compiledFromSource.push({ filename, source, script });
      return script.runInContext(vmContext);
    };
  }
}

module.exports = CodeCacheRuntime;
