/**
 * Where one synth spends its time, phase by phase, in one process: `npm run bench:phases -- <config file>`
 * (default: registry.yaml). It runs the same steps as `npm run synth` (bundled like dist/main.js,
 * so with the bundle's cdktf changes) into a scratch folder and prints milliseconds per phase:
 * start-up (loading the bundle), YAML parse, schema validation, config checks, building the
 * construct tree, cdktf's preparing pass, its synthesis (resolve, JSON, files), the guardrails
 * and writing guardrails.json.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { buildApp } from "../src/stacks/app";
import { CONFIG_CHECKS } from "../src/checks";
import { registryConfigSchema } from "../src/config/schema";
import { parseYaml } from "../src/config/load";
import { enforceGuardrails } from "../src/guardrails/enforce";
import { synthesizedStacks } from "../src/stacks/project-stack";
import { guardrailsJson } from "../src/guardrails/evaluate";

const startup = process.uptime() * 1000;
const startupCpu = cpuMs(process.cpuUsage());
const file = path.resolve(process.argv[2] ?? "registry.yaml");
/** Name, wall ms, CPU ms (user + system, all threads: GC runs beside the main thread). */
const timings: Array<[string, number, number]> = [["start-up (load the bundle)", startup, startupCpu]];
function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}
function phase<T>(name: string, body: () => T): T {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = body();
  timings.push([name, performance.now() - start, cpuMs(process.cpuUsage(cpu))]);
  return result;
}

const text = phase("read + YAML parse", () => parseYaml(fs.readFileSync(file, "utf8"), file));
const config = phase("schema validation (zod)", () => registryConfigSchema.parse(text));
phase("config checks", () => CONFIG_CHECKS.flatMap((c) => c.check(config)));
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "ecr-model-registry-phases-"));
const app: App = phase("build the construct tree", () => buildApp(config, { outdir }));

// App.synth() is prepareStack() for every stack, then each stack's synthesizer; timed separately.
const stacks = app.node.findAll().filter(TerraformStack.isStack);
let prepare = 0;
let prepareCpu = 0;
for (const stack of stacks) {
  const original = stack.prepareStack.bind(stack);
  stack.prepareStack = () => {
    const start = performance.now();
    const cpu = process.cpuUsage();
    original();
    prepare += performance.now() - start;
    prepareCpu += cpuMs(process.cpuUsage(cpu));
  };
}
phase("cdktf synth", () => app.synth());
const [, total, totalCpu] = timings.pop()!;
timings.push(
  ["cdktf preparing pass (prepareStack)", prepare, prepareCpu],
  ["cdktf synthesis (resolve, JSON, files)", total - prepare, totalCpu - prepareCpu],
);
const report = phase("guardrails (evaluate the synthesized stacks)", () => enforceGuardrails(synthesizedStacks(app), config, file));
phase("write guardrails.json", () => fs.writeFileSync(path.join(outdir, "guardrails.json"), guardrailsJson(report)));
fs.rmSync(outdir, { recursive: true, force: true });

const width = Math.max(...timings.map(([name]) => name.length));
const row = (name: string, wall: number, cpu: number) => `  ${name.padEnd(width)}  ${wall.toFixed(0).padStart(6)}  ${cpu.toFixed(0).padStart(6)}`;
process.stdout.write(
  [
    `${path.relative(process.cwd(), file) || file}: ${config.repositories.length} repositories, ${stacks.length} stacks; load average ${os.loadavg()[0].toFixed(2)}`,
    `  ${"phase".padEnd(width)}  wall ms  CPU ms`,
    ...timings.map(([name, wall, cpu]) => row(name, wall, cpu)),
    row("total", timings.reduce((a, t) => a + t[1], 0), timings.reduce((a, t) => a + t[2], 0)),
    `  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    "",
  ].join("\n"),
);
