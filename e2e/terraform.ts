import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** How to run Terraform in one stack's working folder; every run's output goes to a log file. */
export interface TerraformRunner {
  readonly terraform: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logDir: string;
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

let runCount = 0;

/**
 * Runs `terraform <args>` in `dir`. `onStart` receives the child (to kill it mid-run); `watch` sees
 * stdout as it arrives. Never throws for a non-zero exit: callers decide what a failure means.
 */
export function terraform(
  runner: TerraformRunner,
  dir: string,
  args: readonly string[],
  options: { onStart?: (child: ChildProcess) => void; watch?: (chunk: string) => void } = {},
): Promise<RunResult> {
  const started = Date.now();
  const log = path.join(runner.logDir, `${String(++runCount).padStart(3, "0")}-${path.basename(dir)}-${args[0]}.log`);
  return new Promise((resolve, reject) => {
    const child = spawn(runner.terraform, ["-chdir=" + dir, ...args], { env: runner.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      stdout += text;
      options.watch?.(text);
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      fs.writeFileSync(log, `$ terraform ${args.join(" ")}  (in ${dir})\n${stdout}\n--- stderr ---\n${stderr}`);
      resolve({ code, signal, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
    options.onStart?.(child);
  });
}

/** Like `terraform`, but a non-zero exit is an error that quotes Terraform's own words. */
export async function terraformOk(runner: TerraformRunner, dir: string, args: readonly string[]): Promise<RunResult> {
  const result = await terraform(runner, dir, args);
  if (result.code !== 0) throw new Error(`terraform ${args.join(" ")} failed in ${dir} (exit ${result.code}):\n${tail(result.stderr || result.stdout)}`);
  return result;
}

export function tail(text: string, lines = 30): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** One entry of `terraform show -json <plan>`'s resource_changes. */
export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly previous_address?: string;
  readonly change: {
    readonly actions: string[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
    readonly importing?: { readonly id: string };
  };
}

export interface Plan {
  readonly resourceChanges: ResourceChange[];
  /** `terraform plan -detailed-exitcode`: 0 no changes, 2 changes. */
  readonly exitCode: number;
  readonly text: string;
}

/** `terraform plan -detailed-exitcode -out`, then the saved plan as JSON. */
export async function plan(runner: TerraformRunner, dir: string, extra: readonly string[] = []): Promise<Plan> {
  const planned = await terraform(runner, dir, ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=e2e.tfplan", ...extra]);
  if (planned.code !== 0 && planned.code !== 2) throw new Error(`terraform plan failed in ${dir} (exit ${planned.code}):\n${tail(planned.stderr || planned.stdout)}`);
  const shown = await terraformOk(runner, dir, ["show", "-json", "e2e.tfplan"]);
  const json = JSON.parse(shown.stdout) as { resource_changes?: ResourceChange[] };
  return { resourceChanges: json.resource_changes ?? [], exitCode: planned.code, text: planned.stdout };
}

/** The top-level attributes whose values differ between `before` and `after`. */
export function changedAttributes(change: ResourceChange["change"]): string[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => k in after && JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

/** The changes that do something (not `no-op` or `read`). */
export function effectiveChanges(p: Plan): ResourceChange[] {
  return p.resourceChanges.filter((c) => !(c.change.actions.length === 1 && (c.change.actions[0] === "no-op" || c.change.actions[0] === "read")) || c.change.importing || (c.previous_address && c.previous_address !== c.address));
}
