/**
 * Timed, round-robin runs of commands for the benchmarks (bench/run.ts, bench/patches.ts): wall
 * time, CPU time and peak RSS under GNU time, min and median per case.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The project root (the benchmarks run bundled, from dist/bench/). */
export const ROOT = path.resolve(__dirname, "..", "..");
const TIME = "/usr/bin/time";

export interface Case {
  readonly id: string;
  readonly label: string;
  readonly command: string[];
  readonly config: string;
  readonly repetitions?: number;
}

export interface Sample {
  readonly seconds: number;
  /** User + system CPU seconds of the process and its children: less sensitive to other load than wall time. */
  readonly cpuSeconds: number;
  readonly maxRssMb: number;
  /** One-minute load average when the run started. */
  readonly loadAverage: number;
}

export interface Result {
  readonly id: string;
  readonly label: string;
  /** One-minute load average over the case's runs: other work on the machine slows every run. */
  readonly loadAverage: { readonly min: number; readonly max: number };
  readonly samples: Sample[];
  readonly minSeconds: number;
  readonly medianSeconds: number;
  readonly medianCpuSeconds: number;
  readonly minRssMb: number;
  readonly medianRssMb: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One timed run under GNU time: wall and CPU seconds and the peak RSS of the largest process it waited for. */
export function measure(command: string[], config: string, outdir: string): Sample {
  fs.rmSync(outdir, { recursive: true, force: true });
  const loadAverage = os.loadavg()[0];
  const run = spawnSync(TIME, ["-f", "BENCH %e %U %S %M", ...command], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", REGISTRY_CONFIG: config, CDKTF_OUTDIR: outdir },
  });
  const line = run.stderr.split("\n").find((l) => l.startsWith("BENCH "));
  if (run.status !== 0 || !line) throw new Error(`${command.join(" ")} failed (${run.status}):\n${run.stderr}\n${run.stdout}`);
  const [, seconds, user, system, kb] = line.split(" ");
  return { seconds: Number(seconds), cpuSeconds: Number(user) + Number(system), maxRssMb: Number(kb) / 1024, loadAverage };
}

/**
 * Runs every case once to warm the file cache, then the repetitions round-robin (one run of each
 * case per round), so a burst of other work on the shared machine slows all cases alike instead
 * of whichever ran during it.
 */
export function runCases(cases: Case[], scratch: string, repetitions: number): Result[] {
  const outdirOf = (c: Case) => path.join(scratch, `out-${c.id}`);
  for (const c of cases) measure(c.command, c.config, outdirOf(c));
  const samples = new Map<string, Sample[]>(cases.map((c) => [c.id, []]));
  for (let round = 0; round < repetitions; round++) {
    // Each round starts one case later, so no case always runs right after the same other one.
    const order = [...cases.slice(round % cases.length), ...cases.slice(0, round % cases.length)];
    for (const c of order) if (round < (c.repetitions ?? repetitions)) samples.get(c.id)!.push(measure(c.command, c.config, outdirOf(c)));
    process.stderr.write(`round ${round + 1} of ${repetitions} done\n`);
  }
  return cases.map((c) => {
    const all = samples.get(c.id)!;
    const seconds = all.map((s) => s.seconds);
    const rss = all.map((s) => s.maxRssMb);
    const loads = all.map((s) => s.loadAverage);
    return {
      id: c.id,
      label: c.label,
      loadAverage: { min: Math.min(...loads), max: Math.max(...loads) },
      samples: all,
      minSeconds: Math.min(...seconds),
      medianSeconds: median(seconds),
      medianCpuSeconds: median(all.map((s) => s.cpuSeconds)),
      minRssMb: Math.min(...rss),
      medianRssMb: median(rss),
    };
  });
}

