// Jest resolves cdktf's own requires through scripts/cdktf/patches.cjs, as the bundle does, so the
// tests run the cdktf that `npm run synth` runs. Requires from anywhere else (the patches
// themselves, __tests__/cdktf-patches.test.ts loading the originals to compare) are left alone.
const patches = require("../../scripts/cdktf/patches.cjs");

module.exports = (request, options) => {
  const fromCdktf = patches.isCdktfLib(`${options.basedir}/`);
  const resolved = options.defaultResolver(request, options);
  if (!fromCdktf) return resolved;
  const swapped = patches.BY_PATH.find(({ file }) => file.test(resolved));
  return swapped ? swapped.replacement : resolved;
};
