/**
 * `npm run bench`: measures, in one run and side by side, wall time, CPU time and peak RSS of
 *   1. this project's synth of the default config (the bundled app under node, no CLI);
 *   2. the same through `cdktf synth` (so the CLI's overhead shows separately);
 *   3. the naive baseline in bench/baseline (package-index imports);
 *   4. generated configs with 100, 500 and 1000 model repositories (bench/generate.ts), ours, and
 *      the baseline at 1000;
 *   5. a fixed JavaScript workload (bench/speed-check.cjs), to record how fast the shared machine
 *      was during the run;
 * prints a table with min and median over several round-robin repetitions (BENCH_REPS, default 5)
 * and the load average during each case, the ratios, the cost per repository and the targets,
 * checks the 1000-repository output (bench/scale-check.ts), and writes bench/results.json. The npm
 * script bundles main.ts and this file and compiles the baseline first.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { parseConfig } from "../src/checks";
import { generateConfig } from "./generate";
import { Case, ROOT, runCases } from "./measure";
import { scaleProblems } from "./scale-check";

const REPETITIONS = Number(process.env.BENCH_REPS ?? 5);
const TIME = "/usr/bin/time";

function main(): void {
  if (!fs.existsSync(TIME)) {
    process.stderr.write(`${TIME} (GNU time, Debian package "time") is needed to measure peak RSS\n`);
    process.exitCode = 1;
    return;
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ecr-model-registry-bench-"));
  const configFor = (n: number) => {
    const file = path.join(scratch, `registry-${n}.yaml`);
    fs.writeFileSync(file, stringify(generateConfig(n)));
    return file;
  };
  const defaultConfig = path.join(ROOT, "registry.yaml");
  const config100 = configFor(100);
  const config500 = configFor(500);
  const config1000 = configFor(1000);
  const node = process.execPath;
  const ours = [node, "dist/main.js"];
  const baseline = [node, "dist/bench/baseline/main.js"];
  const cli = [path.join(ROOT, "node_modules/.bin/cdktf"), "synth", "--app", `${node} dist/main.js`, "--output"];

  const cases: Case[] = [
    { id: "ours-default", label: "ours, default config (node)", command: ours, config: defaultConfig },
    { id: "cli-default", label: "ours, default config (cdktf synth)", command: cli, config: defaultConfig, repetitions: Math.min(3, REPETITIONS) },
    { id: "baseline-default", label: "naive baseline, default config", command: baseline, config: defaultConfig },
    { id: "ours-100", label: "ours, 100 repositories", command: ours, config: config100 },
    { id: "ours-500", label: "ours, 500 repositories", command: ours, config: config500 },
    { id: "ours-1000", label: "ours, 1000 repositories", command: ours, config: config1000 },
    { id: "baseline-1000", label: "naive baseline, 1000 repositories", command: baseline, config: config1000, repetitions: Math.min(3, REPETITIONS) },
    // Not this project: a fixed workload that shows how fast the shared machine was during the run.
    { id: "speed-check", label: "speed check (fixed JavaScript workload, bench/speed-check.cjs)", command: [node, "bench/speed-check.cjs"], config: defaultConfig },
  ];

  // The CLI takes the output folder as an argument rather than from CDKTF_OUTDIR.
  const results = runCases(
    cases.map((c) => (c.id.startsWith("cli-") ? { ...c, command: [...c.command, path.join(scratch, `out-${c.id}`)] } : c)),
    scratch,
    REPETITIONS,
  );
  // The last 1000-repository run's output: every repository's resources and outputs under names of
  // its own, within Terraform's and AWS's limits (bench/scale-check.ts, as in __tests__/scale.test.ts).
  const scale = (() => {
    const outdir = path.join(scratch, "out-ours-1000");
    const config = parseConfig(fs.readFileSync(config1000, "utf8"), "registry-1000.yaml");
    const stacks = fs.readdirSync(path.join(outdir, "stacks")).map((name) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8")));
    const count = (key: "resource" | "output") =>
      stacks.reduce((n, stack) => n + Object.values<object>(stack[key] ?? {}).reduce((m: number, byId) => m + (key === "output" ? 1 : Object.keys(byId).length), 0), 0);
    return { resources: count("resource"), outputs: count("output"), problems: scaleProblems(config, outdir) };
  })();
  fs.rmSync(scratch, { recursive: true, force: true });

  const byId = Object.fromEntries(results.map((r) => [r.id, r]));
  const ratio = (a: string, b: string, stat: "minSeconds" | "medianSeconds") => byId[a][stat] / byId[b][stat];
  // The marginal cost of a repository between two configs, in ms and MB (median and min runs).
  const perRepository = (from: string, to: string, repositories: number) => ({
    medianMs: ((byId[to].medianSeconds - byId[from].medianSeconds) / repositories) * 1000,
    minMs: ((byId[to].minSeconds - byId[from].minSeconds) / repositories) * 1000,
    medianMb: (byId[to].medianRssMb - byId[from].medianRssMb) / repositories,
  });
  const summary = {
    baselineOverOursDefault: { median: ratio("baseline-default", "ours-default", "medianSeconds"), min: ratio("baseline-default", "ours-default", "minSeconds") },
    baselineOverOurs1000: { median: ratio("baseline-1000", "ours-1000", "medianSeconds"), min: ratio("baseline-1000", "ours-1000", "minSeconds") },
    cliOverheadSeconds: byId["cli-default"].medianSeconds - byId["ours-default"].medianSeconds,
    // The default config has 4 repositories; growth is linear when both increments cost about the same per repository.
    perRepository100: perRepository("ours-default", "ours-100", 96),
    perRepository500: perRepository("ours-100", "ours-500", 400),
    perRepository1000: perRepository("ours-500", "ours-1000", 500),
    scale,
  };
  // A target is met when the median run meets it; "min" when only the fastest run does (the machine is shared).
  const check = (target: string, median: number, min: number, limit: number, atLeast = false) => {
    const ok = (v: number) => (atLeast ? v >= limit : v <= limit);
    return { target, median, min, met: ok(median) ? "median" : ok(min) ? "min" : "no" };
  };
  const def = byId["ours-default"];
  const big = byId["ours-1000"];
  const targets = [
    check("default config ≤ 0.5 s", def.medianSeconds, def.minSeconds, 0.5),
    check("default config ≤ 100 MB", def.medianRssMb, def.minRssMb, 100),
    check("≥ 7× faster than the naive baseline (default config)", summary.baselineOverOursDefault.median, summary.baselineOverOursDefault.min, 7, true),
    check("1000 repositories ≤ 2 s", big.medianSeconds, big.minSeconds, 2),
    check("1000 repositories ≤ 250 MB", big.medianRssMb, big.minRssMb, 250),
  ];
  const loads = results.flatMap((r) => r.samples.map((s) => s.loadAverage));
  const loadAverage = { min: Math.min(...loads), max: Math.max(...loads), mean: loads.reduce((a, b) => a + b, 0) / loads.length };

  const lines = [
    `| case | min s | median s | median CPU s | median peak RSS MB | load average |`,
    `| --- | ---: | ---: | ---: | ---: | ---: |`,
    ...results.map(
      (r) =>
        `| ${r.label} | ${r.minSeconds.toFixed(2)} | ${r.medianSeconds.toFixed(2)} | ${r.medianCpuSeconds.toFixed(2)} | ${r.medianRssMb.toFixed(0)} | ${r.loadAverage.min.toFixed(1)}–${r.loadAverage.max.toFixed(1)} |`,
    ),
    "",
    `baseline / ours, default config: ${summary.baselineOverOursDefault.median.toFixed(1)}× (median), ${summary.baselineOverOursDefault.min.toFixed(1)}× (min)`,
    `baseline / ours, 1000 repositories: ${summary.baselineOverOurs1000.median.toFixed(1)}× (median), ${summary.baselineOverOurs1000.min.toFixed(1)}× (min)`,
    `cdktf CLI overhead: ${summary.cliOverheadSeconds.toFixed(2)} s`,
    `cost per repository, 4 → 100: ${summary.perRepository100.medianMs.toFixed(2)} ms (median), ${summary.perRepository100.minMs.toFixed(2)} ms (min), ${(summary.perRepository100.medianMb * 1024).toFixed(0)} KB`,
    `cost per repository, 100 → 500: ${summary.perRepository500.medianMs.toFixed(2)} ms (median), ${summary.perRepository500.minMs.toFixed(2)} ms (min), ${(summary.perRepository500.medianMb * 1024).toFixed(0)} KB`,
    `cost per repository, 500 → 1000: ${summary.perRepository1000.medianMs.toFixed(2)} ms (median), ${summary.perRepository1000.minMs.toFixed(2)} ms (min), ${(summary.perRepository1000.medianMb * 1024).toFixed(0)} KB`,
    `1000-repository output: ${scale.resources} resources and ${scale.outputs} outputs in 3 stacks; ${scale.problems.length === 0 ? "every name unique and within Terraform's and AWS's limits" : `PROBLEMS: ${scale.problems.slice(0, 5).join("; ")}`}`,
    `load average during the run: ${loadAverage.min.toFixed(1)}–${loadAverage.max.toFixed(1)} (mean ${loadAverage.mean.toFixed(1)}) on ${os.cpus().length} cores`,
    `machine speed during the run: the fixed workload took ${byId["speed-check"].medianSeconds.toFixed(2)} s (median; more means a slower machine, so compare runs by it)`,
    "",
    ...targets.map((t) => `${{ median: "met      ", min: "met (min)", no: "MISSED   " }[t.met]} ${t.target}: median ${t.median.toFixed(2)}, min ${t.min.toFixed(2)}`),
  ];
  process.stdout.write(lines.join("\n") + "\n");

  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version };
  fs.writeFileSync(
    path.join(ROOT, "bench", "results.json"),
    JSON.stringify({ date: new Date().toISOString(), repetitions: REPETITIONS, machine, loadAverage, results, summary, targets }, null, 2) + "\n",
  );
}

main();
