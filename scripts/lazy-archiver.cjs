// Stands in for the `archiver` package inside the bundle (see bundle.mjs): the real package, which
// cdktf bundles in its own node_modules, is loaded only if something actually creates an archive.
// The names are variables so the bundler leaves these requires to run time.
const path = require("path");
const cdktf = "cdktf/package.json";
const archiver = "archiver";
module.exports = function lazyArchiver(...args) {
  const real = require.resolve(archiver, { paths: [path.dirname(require.resolve(cdktf))] });
  return require(real)(...args);
};
