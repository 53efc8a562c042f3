// After the run: remove the folder global-setup.js made for the run's temporary files.
const fs = require("fs");
const path = require("path");
const { SCRATCH_PREFIX } = require("./paths");

module.exports = () => {
  const scratch = process.env.TMPDIR;
  if (scratch && path.basename(scratch).startsWith(SCRATCH_PREFIX)) fs.rmSync(scratch, { recursive: true, force: true });
};
