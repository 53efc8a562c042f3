// Jest's module runtime, with V8's code cache kept across the test files a worker runs.
//
// Jest gives every test file its own module registry, so cdktf, zod, yaml, the provider classes
// and src/ are compiled again for each file: about a third of the suite's CPU time was
// vm.compileFunction. Here the first compile of a module in a worker also produces V8's code cache,
// and later compiles of the same source (same file, byte-identical text) start from it, skipping
// the parse. Modules are still evaluated afresh in every test file: isolation is unchanged. V8
// checks the cache against the source and its flags and rejects a stale one (then it compiles from
// source, as jest does).
const vm = require("vm");
const Runtime = require("jest-runtime").default;

/** filename → the source compiled and its code cache; one worker's lifetime. */
const codeCache = new Map();

class CodeCacheRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    const executor = this.executor;
    const jestCompile = executor.compile.bind(executor);
    // jest-runtime's ModuleExecutor.compile (30.x), with cachedData / produceCachedData added.
    executor.compile = (source, filename) => {
      const vmContext = executor.environment.getVmContext();
      if (vmContext == null) return null;
      const cached = codeCache.get(filename);
      const cachedData = cached !== undefined && cached.source === source ? cached.data : undefined;
      let compiled;
      try {
        compiled = vm.compileFunction(source, executor.injectedModuleParameters, {
          filename,
          parsingContext: vmContext,
          cachedData,
          produceCachedData: cachedData === undefined,
          importModuleDynamically: (specifier, _function, importAttributes, ...rest) =>
            executor.dynamicImport(specifier, filename, vmContext, importAttributes, rest[0]),
        });
      } catch {
        // A syntax error (or ESM syntax): jest's own compile throws what jest would.
        return jestCompile(source, filename);
      }
      if (cachedData === undefined && compiled.cachedData !== undefined) codeCache.set(filename, { source, data: compiled.cachedData });
      // Rejected although the source is the same: V8's flags changed (a test file called
      // v8.setFlagsFromString), which invalidates every cache made before. Start again.
      if (compiled.cachedDataRejected === true) codeCache.clear();
      return compiled;
    };
  }
}

module.exports = CodeCacheRuntime;
