/**
 * `npm run bench:patches`: what each of the bundle's speed-ups saves. It builds the app bundle once
 * with every patch (scripts/cdktf/patches.cjs) and the project's caches (src/cache), and once
 * without each, and runs them round-robin
 * (BENCH_REPS, default 7; each round starts one case later) on the default config and on 1,000 generated repositories
 * (bench/generate.ts), with the bundle's code-cache launcher and, for the full bundle, without
 * it (`node main.bundle.js`). Beside them runs the speed check (bench/speed-check.cjs), so a run
 * records how fast the shared machine was. It prints, per speed-up, the median CPU and wall time
 * with and without it and what it saves; a speed-up stays in the project when it saves at least
 * 10% of the 1,000-repository synth or 40 ms on the default config (docs/performance.md).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { generateConfig } from "./generate";
import { Case, ROOT, Result, runCases } from "./measure";

const REPETITIONS = Number(process.env.BENCH_REPS ?? 7);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const patches = require(path.join(ROOT, "scripts", "cdktf", "patches.cjs")) as { BY_PATH: Array<{ id: string }> };

/** Every id bundle.mjs's BUNDLE_SKIP_PATCHES accepts: the patches in their order, then the project's caches (src/cache). */
function patchIds(): string[] {
  return [...patches.BY_PATH.map((p) => p.id), "caches"];
}

function bundle(outdir: string, skip: string[]): void {
  const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "bundle.mjs"), "main.ts"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, BUNDLE_OUTDIR: outdir, BUNDLE_SKIP_PATCHES: skip.join(",") },
  });
  if (run.status !== 0) throw new Error(`bundling without ${skip.join(", ")} failed:\n${run.stderr}`);
}

function main(): void {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ecr-model-registry-bench-patches-"));
  const config1000 = path.join(scratch, "registry-1000.yaml");
  fs.writeFileSync(config1000, stringify(generateConfig(1000)));
  const configs = [
    { id: "default", file: path.join(ROOT, "registry.yaml") },
    { id: "1000", file: config1000 },
  ];
  const node = process.execPath;
  const variants = [
    { id: "all", label: "every speed-up", command: (dir: string) => [node, path.join(dir, "main.js")] },
    { id: "code-cache", label: "without the code-cache launcher", command: (dir: string) => [node, path.join(dir, "main.bundle.js")], dir: "all" },
    ...patchIds().map((id) => ({ id, label: `without ${id}`, command: (dir: string) => [node, path.join(dir, "main.js")] })),
  ];
  for (const variant of variants) {
    if (variant.id === "code-cache") continue;
    process.stderr.write(`bundling ${variant.label}\n`);
    bundle(path.join(scratch, `bundle-${variant.id}`), variant.id === "all" ? [] : [variant.id]);
  }
  const cases: Case[] = [
    ...configs.flatMap((config) =>
      variants.map((variant) => ({
        id: `${variant.id}@${config.id}`,
        label: `${variant.label}, ${config.id}`,
        command: variant.command(path.join(scratch, `bundle-${"dir" in variant ? variant.dir : variant.id}`)),
        config: config.file,
      })),
    ),
    { id: "speed-check", label: "speed check", command: [node, path.join(ROOT, "bench", "speed-check.cjs")], config: configs[0].file },
  ];
  const results = new Map<string, Result>(runCases(cases, scratch, REPETITIONS).map((r) => [r.id, r]));
  fs.rmSync(scratch, { recursive: true, force: true });

  // CPU time (user + system) decides: on the shared two-core machine the wall time of identical
  // runs varied threefold with other engineers' load, their CPU time by about a tenth.
  const ms = (seconds: number) => (seconds * 1000).toFixed(0);
  const lines = [
    "| speed-up | default config: CPU ms without / with | saves | wall ms without / with | 1,000 repositories: CPU s without / with | saves | wall s without / with | kept? |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  const get = (variant: string, config: string) => results.get(`${variant}@${config}`)!;
  for (const variant of variants.filter((v) => v.id !== "all")) {
    const savedDefault = get(variant.id, "default").medianCpuSeconds - get("all", "default").medianCpuSeconds;
    const saved1000 = get(variant.id, "1000").medianCpuSeconds - get("all", "1000").medianCpuSeconds;
    const share = saved1000 / get(variant.id, "1000").medianCpuSeconds;
    const kept = share >= 0.1 || savedDefault >= 0.04;
    lines.push(
      `| ${variant.id} | ${ms(get(variant.id, "default").medianCpuSeconds)} / ${ms(get("all", "default").medianCpuSeconds)} | ${ms(savedDefault)} ms | ` +
        `${ms(get(variant.id, "default").medianSeconds)} / ${ms(get("all", "default").medianSeconds)} | ` +
        `${get(variant.id, "1000").medianCpuSeconds.toFixed(2)} / ${get("all", "1000").medianCpuSeconds.toFixed(2)} | ${(share * 100).toFixed(0)}% | ` +
        `${get(variant.id, "1000").medianSeconds.toFixed(2)} / ${get("all", "1000").medianSeconds.toFixed(2)} | ${kept ? "yes" : "no"} |`,
    );
  }
  const speed = results.get("speed-check")!;
  lines.push("", `medians of ${REPETITIONS} round-robin runs; speed check ${speed.minSeconds.toFixed(2)}–${speed.medianSeconds.toFixed(2)} s (min–median), load average ${speed.loadAverage.min.toFixed(1)}–${speed.loadAverage.max.toFixed(1)} on ${os.cpus().length} cores`);
  process.stdout.write(lines.join("\n") + "\n");
  fs.writeFileSync(path.join(scratch + ".json"), JSON.stringify([...results.values()], null, 2));
  process.stderr.write(`samples: ${scratch}.json\n`);
}

main();
