import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { DEFAULT_CONFIG_PATH } from "../src/config/load";
import { loadConfig } from "../src/checks";
import type { SynthesizedStack } from "../src/synthesized/stack";
import { diffSnapshots } from "../src/review/diff";
import { REGISTRY_SETTINGS, RegistrySetting, itemChange } from "../src/review/registry-settings";
import { renderReview } from "../src/review/render";
import { ReviewSnapshot, identityPolicyAttachments, repositoryPostures, reviewSnapshot } from "../src/review/snapshot";
import { PROJECT_ROOT, minimalRawConfig, validConfig } from "./support/fixtures";

const PUBLISHER = "arn:aws:iam::999999999999:role/publisher";
const READER = "arn:aws:iam::555555555555:role/reader";
const AUDITOR = "arn:aws:iam::666666666666:role/auditor";

/** A base config and a pull request's head with one change of each kind the report labels. */
function basePair(): { base: Record<string, any>; head: Record<string, any> } {
  const base = {
    ...minimalRawConfig(),
    environments: [
      { name: "dev", accountId: "111111111111" },
      { name: "qa", accountId: "222222222222" },
    ],
    consumers: [{ kind: "push", principal: PUBLISHER }],
    repositories: [
      { name: "models/a" },
      { name: "models/b", consumers: [{ kind: "pull", principal: READER }] },
      { name: "models/c", consumers: [{ kind: "push", principal: AUDITOR }] },
      { name: "models/old" },
      { name: "models/retiring" },
      { name: "models/short-name" },
    ],
  };
  const head = {
    ...base,
    environments: [base.environments[0], { name: "staging", accountId: "333333333333" }],
    repositories: [
      { name: "models/a", tagMutability: "MUTABLE", encryption: { type: "AES256" }, tags: { Owner: "ml" } },
      { name: "models/b", consumers: [{ kind: "push", principal: READER }] },
      { name: "models/c", consumers: [{ kind: "pull", principal: AUDITOR }] },
      { name: "models/new", lifecycle: { rules: [{ tagStatus: "untagged", olderThanDays: 3 }] } },
      { name: "models/longer-name", renamedFrom: ["models/short-name"] },
    ],
    retired: ["models/retiring"],
  };
  return { base, head };
}

describe("review report of the default config", () => {
  let snapshot: ReviewSnapshot;
  let report: string;
  beforeAll(() => {
    snapshot = reviewSnapshot(loadConfig(DEFAULT_CONFIG_PATH));
    report = renderReview(snapshot);
  });

  test("has a summary, the posture per environment, the waivers and the access matrix, in that order", () => {
    expect(report.split("\n").filter((l) => l.startsWith("#"))).toEqual([
      "# Registry review: model-registry",
      "## Posture",
      "### dev (model-registry-dev, us-east-1, account 111111111111)",
      "### prod (model-registry-prod, us-west-2, account 222222222222, protected)",
      "## Waivers",
      "## Access",
      "## Identity policies to attach",
    ]);
    expect(report.split("\n")[2]).toBe("2 environments, 4 repositories; guardrails: 118 checks, 2 waived, 0 violations.");
  });

  test("the checklist shows each setting as synthesized, with the guardrail verdict and waivers", () => {
    expect(report).toContain(
      [
        "| Repository | Region | Scan | Tag mutability | Encryption | Lifecycle | Replication | Waivers |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        "| `ai-model-repository` | us-west-2 | ✅ on push | ⚠️ waived: MUTABLE | ✅ KMS, environment key | ✅ 4 rules | — | ecr-tag-immutability |",
        "| `ai-models/embeddings` | us-west-2 | ✅ on push | ✅ IMMUTABLE_WITH_EXCLUSION (dev-*, latest) | ✅ KMS, environment key | ✅ 4 rules | eu-west-1 (222222222222) | — |",
        "| `ai-models/embeddings` | eu-west-1 (replica) | ✅ on push | ✅ IMMUTABLE_WITH_EXCLUSION (dev-*, latest) | ✅ KMS, environment key | ✅ 4 rules | — | — |",
        "| `ai-models/llm-inference` | us-west-2 | ✅ on push | ✅ IMMUTABLE | ✅ KMS, environment key | ✅ 5 rules | eu-west-1 (222222222222) | — |",
        "| `ai-models/llm-inference` | eu-west-1 (replica) | ✅ on push | ✅ IMMUTABLE | ✅ KMS, environment key | ✅ 5 rules | — | — |",
      ].join("\n"),
    );
    // dev is not protected: tag mutability is shown but no guardrail judges it.
    expect(report).toContain("| `ai-model-repository` | us-east-1 | ✅ on push | MUTABLE | ✅ KMS, environment key | ✅ 4 rules | — | — |");
    expect(report).toContain("| `ai-models/vision-classifier` | us-east-1 | ✅ on push | IMMUTABLE | ⚠️ waived: AES256 | ✅ 1 rule | — | ecr-kms-encryption |");
  });

  test("posture items carry lifecycle rules in priority order and tags as synthesized", () => {
    const llm = repositoryPostures(snapshot).find((p) => p.environment === "prod" && p.repository === "ai-models/llm-inference")!;
    expect(llm.lifecycleRules).toEqual([
      "tagged prod-*: protected",
      "tagged release-*: protected",
      "untagged: expire after 7 days",
      "tagged v*: keep the last 50",
      "tagged *: expire after 30 days",
    ]);
    expect(llm.tags).toEqual({ ModelFamily: "llm", Purpose: "AI Model Storage" });
  });

  test("lists every waiver with its config path, scope and reason", () => {
    const waivers = report.split("## Waivers\n\n")[1].split("\n\n## Access")[0].split("\n\n");
    expect(waivers).toHaveLength(2);
    expect(waivers[0]).toMatch(/^- `guardrails\.waivers\[0\]` ecr-tag-immutability, repository ai-model-repository in prod \(1 check\): The seed repository keeps/);
    expect(waivers[1]).toMatch(/^- `guardrails\.waivers\[1\]` ecr-kms-encryption, repository ai-models\/vision-classifier in dev \(1 check\): A dev-only/);
  });

  test("the access matrix has one row per grantee, repository, region and level, per environment", () => {
    const access = report.split("## Access\n\n")[1];
    expect(access).toMatch(/<details><summary>dev: 8 grants<\/summary>/);
    expect(access).toMatch(/<details><summary>prod: 12 grants<\/summary>/);
    const prod = access.split("<summary>prod: 12 grants</summary>")[1];
    const rows = prod.split("\n").filter((l) => l.startsWith("| `"));
    expect(rows).toHaveLength(12);
    expect(rows).toContain("| `arn:aws:iam::999999999999:role/github-actions/model-image-publisher` | `ai-models/llm-inference` | us-west-2 | push |");
    expect(rows).toContain("| `arn:aws:iam::222222222222:role/service-role/AmazonSageMaker-ExecutionRole-llm-serving` | `ai-models/llm-inference` | us-west-2 | pull |");
    expect(rows).toContain("| `organization o-a1b2c3d4e5 (o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*)` | `ai-models/embeddings` | us-west-2 | pull |");
    // The inference-region consumer pulls from the replicas there.
    expect(rows).toContain("| `arn:aws:iam::222222222222:role/ecs/model-serving-task-execution` | `ai-models/llm-inference` | eu-west-1 (replica) | pull |");
  });

  test("shows a guardrail violation as a failed item", () => {
    const raw = parse(fs.readFileSync(DEFAULT_CONFIG_PATH, "utf8"));
    raw.guardrails.waivers = raw.guardrails.waivers.slice(1);
    const violating = renderReview(reviewSnapshot(validConfig(raw)));
    expect(violating).toContain("| `ai-model-repository` | us-west-2 | ✅ on push | ❌ MUTABLE |");
    expect(violating.split("\n")[2]).toBe("2 environments, 4 repositories; guardrails: 118 checks, 1 waived, 1 violation.");
  });
});

describe("review report against a base", () => {
  const { base, head } = basePair();
  let baseSnapshot: ReviewSnapshot;
  let headSnapshot: ReviewSnapshot;
  beforeAll(() => {
    baseSnapshot = reviewSnapshot(validConfig(base));
    headSnapshot = reviewSnapshot(validConfig(head));
  });

  test("environments added and removed", () => {
    expect(diffSnapshots(baseSnapshot, headSnapshot).environments).toEqual([
      { environment: "qa", change: "removed" },
      { environment: "staging", change: "added" },
    ]);
  });

  test("a repository removed without retiring it is destructive; retired and renamed ones are not", () => {
    expect(diffSnapshots(baseSnapshot, headSnapshot).repositories.filter((r) => r.environment === "dev")).toEqual([
      { environment: "dev", repository: "models/longer-name", awsName: "models/short-name", change: "renamed", from: "models/short-name", destructive: false },
      { environment: "dev", repository: "models/new", change: "added", destructive: false },
      { environment: "dev", repository: "models/old", change: "removed", destructive: true },
      { environment: "dev", repository: "models/retiring", change: "retired", destructive: false },
    ]);
  });

  test("the repositories of an environment new to the base are listed as added", () => {
    const report = renderReview(headSnapshot, { label: "origin/main", diff: diffSnapshots(baseSnapshot, headSnapshot) });
    const rows = report.split("### Repositories\n\n")[1].split("\n\n")[0].split("\n");
    expect(rows.filter((row) => row.startsWith("| staging "))).toEqual(
      ["`models/a`", "`models/b`", "`models/c`", "`models/longer-name` (AWS: `models/short-name`)", "`models/new`"].map((repository) => `| staging | ${repository} | added |`),
    );
  });

  test("settings changes, with an encryption change marked destructive", () => {
    expect(diffSnapshots(baseSnapshot, headSnapshot).settings).toEqual([
      { environment: "dev", repository: "models/a", setting: "tag mutability", base: "IMMUTABLE", head: "MUTABLE", destructive: false },
      { environment: "dev", repository: "models/a", setting: "encryption", base: "KMS, environment key", head: "AES256", destructive: true },
      { environment: "dev", repository: "models/a", setting: "tags", base: "Purpose=AI Model Storage", head: "Owner=ml; Purpose=AI Model Storage", destructive: false },
    ]);
  });

  test("access gained or raised is widening, lost or lowered is narrowing; a rename keeps its grants; grants left in AWS are unmanaged", () => {
    const changes = diffSnapshots(baseSnapshot, headSnapshot).access.map((a) => [a.environment, a.repository, a.grantee, a.base, a.head, a.direction]);
    expect(changes).toEqual([
      ["dev", "models/b", READER, "pull", "push", "widening"],
      ["dev", "models/c", AUDITOR, "push", "pull", "narrowing"],
      ["dev", "models/new", PUBLISHER, undefined, "push", "widening"],
      ["dev", "models/old", PUBLISHER, "push", undefined, "narrowing"],
      // Retired: Terraform forgets the repository policy, which stays in AWS with the grant in it.
      ["dev", "models/retiring", PUBLISHER, "push", undefined, "unmanaged"],
      // In qa, which the head removes (its stack, policies included, stays in AWS), the renamed repository is known by its head name.
      ...["models/a", "models/b", "models/c", "models/longer-name", "models/old", "models/retiring"].flatMap((repo) => [
        ...(repo === "models/b" ? [["qa", repo, READER, "pull", undefined, "unmanaged"]] : []),
        ...(repo === "models/c" ? [["qa", repo, AUDITOR, "push", undefined, "unmanaged"]] : []),
        ["qa", repo, PUBLISHER, "push", undefined, "unmanaged"],
      ]),
      ...["models/a", "models/b", "models/c", "models/longer-name", "models/new"].flatMap((repo) => [
        ...(repo === "models/b" ? [["staging", repo, READER, undefined, "push", "widening"]] : []),
        ...(repo === "models/c" ? [["staging", repo, AUDITOR, undefined, "pull", "widening"]] : []),
        ["staging", repo, PUBLISHER, undefined, "push", "widening"],
      ]),
    ]);
  });

  test("a lifecycle change lists the rules that went and came", () => {
    const edited = { ...head, repositories: head.repositories.map((r: any) => (r.name === "models/new" ? { ...r, lifecycle: { rules: [{ tagStatus: "untagged", olderThanDays: 5 }] } } : r)) };
    const settings = diffSnapshots(headSnapshot, reviewSnapshot(validConfig(edited))).settings;
    expect(settings).toEqual([
      { environment: "dev", repository: "models/new", setting: "lifecycle", base: "untagged: expire after 3 days", head: "untagged: expire after 5 days", destructive: false },
      { environment: "staging", repository: "models/new", setting: "lifecycle", base: "untagged: expire after 3 days", head: "untagged: expire after 5 days", destructive: false },
    ]);
  });

  test("the report labels destructive, widening and narrowing changes in its tables and summary", () => {
    const report = renderReview(headSnapshot, { label: "origin/main", diff: diffSnapshots(baseSnapshot, headSnapshot) });
    expect(report.split("\n")[2]).toBe(
      "2 environments, 5 repositories; guardrails: 72 checks, 0 waived, 2 violations; changes: **2 destructive changes**, **9 breaking output changes**, **9 widening**, 2 narrowing and 9 unmanaged access changes.",
    );
    expect(report).toContain("## Changes against `origin/main`");
    expect(report).toContain("- Environment `qa` removed: its stack is no longer synthesized or planned; what it deployed stays in AWS until destroyed by hand.");
    expect(report).toContain("- Environment `staging` added.");
    expect(report).toContain(
      "| dev | `models/old` | **destructive**: removed, so Terraform destroys it (AWS refuses while it holds images); retire it instead |",
    );
    expect(report).toContain("| dev | `models/retiring` | retired: unmanaged, left in AWS with its images and its policy (Terraform forgets it) |");
    expect(report).toContain(
      "| dev | `models/longer-name` (AWS: `models/short-name`) | renamed from `models/short-name` (moved in Terraform; keeps its name in AWS) |",
    );
    expect(report).toContain(`| dev | \`models/retiring\` | \`${PUBLISHER}\` | push | — | unmanaged, left in AWS with its policy |`);
    expect(report).toContain("| dev | `models/a` | encryption (**destructive**: the provider replaces the repository) | KMS, environment key | AES256 |");
    expect(report).toContain(`| dev | \`models/b\` | \`${READER}\` | pull | push | **widening** |`);
    expect(report).toContain(`| dev | \`models/c\` | \`${AUDITOR}\` | push | pull | **narrowing** |`);
  });

  describe("an existing environment in another region or account", () => {
    let report: string;
    beforeAll(() => {
      const moved = { ...head, environments: [{ ...head.environments[0], region: "eu-west-1" }, { ...head.environments[1], accountId: "444444444444" }] };
      const movedSnapshot = reviewSnapshot(validConfig(moved));
      report = renderReview(movedSnapshot, { label: "origin/main", diff: diffSnapshots(headSnapshot, movedSnapshot) });
    });

    test("a new region is destructive: terraform replaces the repositories in the new region", () => {
      expect(report).toContain(
        "| dev | region | us-east-1 | eu-west-1 | **destructive**: the stack's regional resources move to eu-west-1, which Terraform does by replacing them: it destroys the repositories in us-east-1 with their images (refused by AWS while they hold images, and by prevent_destroy in a protected environment) and creates them empty in eu-west-1; add an environment in the new region instead |",
      );
    });

    test("a new account is breaking: the repositories there start empty and image uris change", () => {
      expect(report).toContain(
        "| staging | account | 333333333333 | 444444444444 | **breaking**: the provider works in account 444444444444 only, where Terraform creates this stack's repositories empty; those in 333333333333 keep their images outside Terraform, and image URIs, which name the account, change for every consumer |",
      );
    });

    test("the summary counts a new region as destructive and a new account as flagged", () => {
      expect(report.split("\n")[2]).toMatch(/; changes: \*\*1 destructive change\*\*, \*\*1 flagged registry-wide change\*\*, 0 widening and 0 narrowing access changes\.$/);
    });
  });

  test("outputs removed or renamed are breaking for whatever reads them", () => {
    const outputs = diffSnapshots(baseSnapshot, headSnapshot).outputs.filter((o) => o.environment === "dev");
    expect(outputs).toEqual([
      { environment: "dev", output: "models__old_registry_id", change: "removed" },
      { environment: "dev", output: "models__old_repository_arn", change: "removed" },
      { environment: "dev", output: "models__old_repository_url", change: "removed" },
      { environment: "dev", output: "models__retiring_registry_id", change: "removed" },
      { environment: "dev", output: "models__retiring_repository_arn", change: "removed" },
      { environment: "dev", output: "models__retiring_repository_url", change: "removed" },
      { environment: "dev", output: "models__short-name_registry_id", change: "renamed", to: "models__longer-name_registry_id" },
      { environment: "dev", output: "models__short-name_repository_arn", change: "renamed", to: "models__longer-name_repository_arn" },
      { environment: "dev", output: "models__short-name_repository_url", change: "renamed", to: "models__longer-name_repository_url" },
    ]);
    const report = renderReview(headSnapshot, { label: "origin/main", diff: diffSnapshots(baseSnapshot, headSnapshot) });
    expect(report).toContain(
      "| dev | `models__short-name_repository_url` | **breaking**: renamed to `models__longer-name_repository_url`; whatever reads it (`terraform_remote_state`, `cdktf output`) breaks |",
    );
    expect(report).toContain("| dev | `models__old_repository_url` | **breaking**: removed; whatever reads it (`terraform_remote_state`, `cdktf output`) breaks |");
  });

  test("the posture shows a renamed repository's AWS name beside its config name", () => {
    const renamed = repositoryPostures(headSnapshot).find((p) => p.environment === "dev" && p.repository === "models/longer-name")!;
    expect(renamed.awsName).toBe("models/short-name");
    expect(repositoryPostures(headSnapshot).find((p) => p.environment === "dev" && p.repository === "models/a")!.awsName).toBeUndefined();
    expect(renderReview(headSnapshot)).toContain("| `models/longer-name` (AWS: `models/short-name`) | us-east-1 | ✅ on push |");
  });

  test("the same configs give the same bytes", () => {
    const again = renderReview(reviewSnapshot(validConfig(head)), { label: "origin/main", diff: diffSnapshots(reviewSnapshot(validConfig(base)), headSnapshot) });
    expect(again).toBe(renderReview(headSnapshot, { label: "origin/main", diff: diffSnapshots(baseSnapshot, headSnapshot) }));
  });

  test("no changes against an identical base", () => {
    const report = renderReview(headSnapshot, { label: "main", diff: diffSnapshots(headSnapshot, headSnapshot) });
    expect(report).toContain("## Changes against `main`\n\nNo stack's Terraform changes: CI plans nothing.\n\nNo environment, repository, setting, waiver, output or access changes.\n");
    expect(report.split("\n")[2]).toMatch(/; changes: nothing destructive, 0 widening and 0 narrowing access changes\.$/);
  });
});

/**
 * The default config with ENHANCED scanning as the base, and a head that turns it off, moves the
 * state bucket, replicates prod elsewhere, drops the pull-through cache, notifies another address
 * and adds signing in dev.
 */
function registryPair(): { base: Record<string, any>; head: Record<string, any> } {
  const raw = parse(fs.readFileSync(DEFAULT_CONFIG_PATH, "utf8"));
  const { pullThroughCache: _dropped, ...withoutCache } = raw;
  return {
    base: { ...raw, scanning: { type: "ENHANCED" } },
    head: {
      ...withoutCache,
      state: { ...raw.state, bucket: "acme-registry-state-2" },
      replication: { rules: [{ ...raw.replication.rules[0], destinations: [{ region: "eu-central-1" }] }] },
      // The consumer pulling from the eu-west-1 replicas follows them to eu-central-1.
      consumers: raw.consumers.map((c: any) => (c.regions ? { ...c, regions: [c.regions[0], "eu-central-1"] } : c)),
      notifications: { subscriptions: [{ protocol: "email", endpoint: "ml-oncall@example.com" }] },
      signing: { environments: ["dev", "prod"] },
    },
  };
}

describe("registry-wide settings against a base", () => {
  let report: string;
  let rows: string[];
  beforeAll(() => {
    const { base, head } = registryPair();
    const headSnapshot = reviewSnapshot(validConfig(head));
    report = renderReview(headSnapshot, { label: "origin/main", diff: diffSnapshots(reviewSnapshot(validConfig(base)), headSnapshot) });
    rows = report.split("### Registry-wide settings\n\n")[1].split("\n\n")[0].split("\n");
  });

  test("a new state bucket or key is flagged: terraform looks for the state elsewhere", () => {
    expect(rows).toContain(
      "| prod | state backend | s3://acme-model-registry-tfstate/model-registry/prod/terraform.tfstate (us-east-1) | s3://acme-registry-state-2/model-registry/prod/terraform.tfstate (us-east-1) | **state moves**: Terraform reads and writes this stack's state at the new location, where a plan finds no state and would create every resource again; move the state there before applying |",
    );
  });

  test("turning enhanced scanning off is weakening", () => {
    expect(rows).toContain("| prod | scanning | ENHANCED scanning | BASIC scanning | **weakening**: Amazon Inspector stops scanning (no continuous scans, no findings in language packages) |");
  });

  const replicationRow =
    "| prod | replication | ai-models/* → eu-west-1 (222222222222) | ai-models/* → eu-central-1 (222222222222) | **breaking**: images pushed from now on no longer reach eu-west-1 (222222222222); replicas already there stay |";

  test("a replication destination removed is breaking", () => {
    expect(rows).toContain(replicationRow);
  });

  test("a replication change is one registry-wide row; the replicas it moves have their own repository, registry and access rows", () => {
    const changes = report.slice(0, report.indexOf("\n## Posture")).split("\n");
    expect(changes.filter((line) => line.includes("eu-central-1") || line.includes("eu-west-1"))).toEqual([
      "| prod | `ai-models/embeddings` (replica in eu-central-1) | added |",
      "| prod | `ai-models/embeddings` (replica in eu-west-1) | **destructive**: replica region removed, so Terraform destroys the replica and its images; list eu-west-1 in replication.retiredRegions (or retire the repository) instead |",
      "| prod | `ai-models/llm-inference` (replica in eu-central-1) | added |",
      "| prod | `ai-models/llm-inference` (replica in eu-west-1) | **destructive**: replica region removed, so Terraform destroys the replica and its images; list eu-west-1 in replication.retiredRegions (or retire the repository) instead |",
      "| prod | scanning (replica registry in eu-central-1) | — | BASIC scanning; *: on push | — |",
      "| prod | scanning (replica registry in eu-west-1) | ENHANCED scanning; *: on push | — | **weakening**: Amazon Inspector stops scanning (no continuous scans, no findings in language packages); repositories matching `*` are scanned less or not at all |",
      replicationRow,
      "| prod | `ai-models__embeddings_eu-west-1_repository_arn` | **breaking**: removed; whatever reads it (`terraform_remote_state`, `cdktf output`) breaks |",
      "| prod | `ai-models__embeddings_eu-west-1_repository_url` | **breaking**: removed; whatever reads it (`terraform_remote_state`, `cdktf output`) breaks |",
      "| prod | `ai-models__llm-inference_eu-west-1_repository_arn` | **breaking**: removed; whatever reads it (`terraform_remote_state`, `cdktf output`) breaks |",
      "| prod | `ai-models__llm-inference_eu-west-1_repository_url` | **breaking**: removed; whatever reads it (`terraform_remote_state`, `cdktf output`) breaks |",
      "| prod | `ai-models/embeddings` (replica in eu-central-1) | `arn:aws:iam::222222222222:role/ecs/model-serving-task-execution` | — | pull | **widening** |",
      "| prod | `ai-models/embeddings` (replica in eu-west-1) | `arn:aws:iam::222222222222:role/ecs/model-serving-task-execution` | pull | — | **narrowing** |",
      "| prod | `ai-models/llm-inference` (replica in eu-central-1) | `arn:aws:iam::222222222222:role/ecs/model-serving-task-execution` | — | pull | **widening** |",
      "| prod | `ai-models/llm-inference` (replica in eu-west-1) | `arn:aws:iam::222222222222:role/ecs/model-serving-task-execution` | pull | — | **narrowing** |",
    ]);
  });

  test("a pull-through cache rule removed is breaking", () => {
    expect(rows).toContain(
      "| dev | pull-through cache | ecr-public/ from public.ecr.aws; arn:aws:iam::999999999999:role/github-actions/model-image-publisher may pull through ecr-public/ | — | **breaking**: pulls through `ecr-public/` stop working; the repositories the cache created keep their images; `arn:aws:iam::999999999999:role/github-actions/model-image-publisher` can no longer pull images the cache has not imported yet |",
    );
  });

  test("a notification subscription removed is weakening", () => {
    expect(rows).toContain(
      "| dev | notifications | to email ml-platform-security@example.com | to email ml-oncall@example.com | **weakening**: findings no longer go to `email ml-platform-security@example.com` |",
    );
  });

  test("a registry feature added is listed without a label", () => {
    expect(rows).toContain("| dev | signing | — | profile model_registry_dev, signatures valid 135 months; arn:aws:iam::999999999999:role/github-actions/model-image-publisher may SignPayload (cross-account) | — |");
  });

  test("the table has one row per environment and changed setting, and the summary counts the flagged ones", () => {
    expect(rows.slice(2).map((r) => r.split(" | ").slice(0, 2).join(" | "))).toEqual([
      ...["state backend", "scanning", "pull-through cache", "notifications", "signing"].map((setting) => `| dev | ${setting}`),
      ...[
        "state backend",
        "scanning",
        "scanning (replica registry in eu-central-1)",
        "scanning (replica registry in eu-west-1)",
        "replication",
        "pull-through cache",
        "notifications",
      ].map((setting) => `| prod | ${setting}`),
    ]);
    expect(report.split("\n")[2]).toBe(
      "2 environments, 4 repositories; guardrails: 108 checks, 2 waived, 0 violations; changes: **2 destructive changes**, **10 flagged registry-wide changes**, **6 breaking output changes**, **2 widening** and 2 narrowing access changes.",
    );
  });
});

describe("registry-wide setting concerns", () => {
  /** A stack holding only the given resources, as synth writes them. */
  const stack = (resource: Record<string, Record<string, any>>): SynthesizedStack => ({ name: "model-registry-dev", json: { resource } });
  const concernOf = (setting: RegistrySetting, base: SynthesizedStack, head: SynthesizedStack) =>
    REGISTRY_SETTINGS[setting].concern(itemChange(REGISTRY_SETTINGS[setting].items(base), REGISTRY_SETTINGS[setting].items(head))!);
  const scanning = (frequency: string) =>
    stack({ aws_ecr_registry_scanning_configuration: { registry: { scan_type: "ENHANCED", rule: [{ scan_frequency: frequency, repository_filter: [{ filter: "ai-models/*" }] }] } } });

  test("a scanning rule lowered from continuous to on push is weakening; raised, it is not", () => {
    expect(concernOf("scanning", scanning("CONTINUOUS_SCAN"), scanning("SCAN_ON_PUSH"))).toEqual({
      label: "weakening",
      why: "repositories matching `ai-models/*` are scanned less or not at all",
    });
    expect(concernOf("scanning", scanning("SCAN_ON_PUSH"), scanning("CONTINUOUS_SCAN"))).toBeUndefined();
  });

  test("a creation template removed is weakening: ECR's defaults apply again", () => {
    const template = stack({
      aws_ecr_repository_creation_template: {
        "ecr-public": { prefix: "ecr-public", applied_for: ["PULL_THROUGH_CACHE"], image_tag_mutability: "IMMUTABLE", encryption_configuration: [{ encryption_type: "AES256" }] },
      },
    });
    expect(REGISTRY_SETTINGS["creation templates"].items(template)).toEqual([
      { key: "ecr-public", text: "ecr-public: PULL_THROUGH_CACHE; IMMUTABLE; AES256; lifecycle none" },
    ]);
    expect(concernOf("creation templates", template, stack({}))).toEqual({
      label: "weakening",
      why: "repositories ECR creates under `ecr-public/` get ECR's defaults (mutable tags, AES256, no lifecycle policy)",
    });
  });

  test("another HCP Terraform workspace moves the state", () => {
    const hcp = (name: string): SynthesizedStack => ({ name: "model-registry-dev", json: { terraform: { cloud: { organization: "acme-ml", workspaces: { name } } } } });
    expect(REGISTRY_SETTINGS["state backend"].items(hcp("model-registry-dev"))).toEqual([
      { key: "location", text: "HCP Terraform app.terraform.io, organization acme-ml, workspace model-registry-dev" },
    ]);
    expect(concernOf("state backend", hcp("model-registry-dev"), hcp("ecr-dev"))?.label).toBe("state moves");
  });

  test("an account no longer named is weakening: the provider accepts any account", () => {
    const provider = (aws: Record<string, unknown>): SynthesizedStack => ({ name: "model-registry-dev", json: { provider: { aws: [aws] } } });
    expect(concernOf("account", provider({ region: "us-east-1", allowed_account_ids: ["111111111111"] }), provider({ region: "us-east-1" }))).toEqual({
      label: "weakening",
      why: "the provider no longer refuses credentials of another account",
    });
  });

  test("a signing profile removed is breaking", () => {
    const signing = stack({ aws_signer_signing_profile: { model_images: { name: "model_registry_dev", signature_validity_period: { type: "MONTHS", value: 135 } } } });
    expect(concernOf("signing", signing, stack({}))).toEqual({
      label: "breaking",
      why: "Terraform cancels the signing profile, so CI can no longer sign model images with it",
    });
  });
});

describe("guardrail waivers against a base", () => {
  const reason = "Publishers re-push the latest tag until the pipeline is fixed.";
  const waiver = { rule: "ecr-scan-on-push", repositories: ["models/a"], reason };
  const config = (waivers: unknown[]) =>
    validConfig({
      ...minimalRawConfig(),
      environments: [{ name: "dev", accountId: "111111111111" }],
      repositories: [{ name: "models/a", scanOnPush: false }, { name: "models/b", scanOnPush: false }],
      guardrails: { waivers },
    });
  let none: ReviewSnapshot;
  let one: ReviewSnapshot;
  let both: ReviewSnapshot;
  let reworded: ReviewSnapshot;
  beforeAll(() => {
    none = reviewSnapshot(validConfig({ ...minimalRawConfig(), environments: [{ name: "dev", accountId: "111111111111" }], repositories: [{ name: "models/a" }, { name: "models/b" }] }));
    one = reviewSnapshot(config([waiver, { ...waiver, repositories: ["models/b"] }]));
    both = reviewSnapshot(config([{ ...waiver, repositories: ["models/a", "models/b"] }, { ...waiver, repositories: ["models/b"] }]));
    reworded = reviewSnapshot(config([{ ...waiver, reason: `${reason} Tracked in ML-42.` }, { ...waiver, repositories: ["models/b"] }]));
  });

  test("a waiver added is weakening, with its rule, scope and reason", () => {
    const changes = diffSnapshots(none, one).waivers;
    expect(changes).toEqual([
      { change: "added", rule: "ecr-scan-on-push", head: { scope: "ecr-scan-on-push, repository models/a everywhere (1 check)", reason }, direction: "weakening" },
      { change: "added", rule: "ecr-scan-on-push", head: { scope: "ecr-scan-on-push, repository models/b everywhere (1 check)", reason }, direction: "weakening" },
    ]);
    const report = renderReview(one, { label: "origin/main", diff: diffSnapshots(none, one) });
    expect(report).toContain(
      `| \`ecr-scan-on-push\` | added | — | ecr-scan-on-push, repository models/a everywhere (1 check): ${reason} | **weakening**: the rule's checks are waived where they were enforced |`,
    );
    expect(report.split("\n")[2]).toContain("**2 weakening waiver changes**");
  });

  test("a waiver removed is tightening: the rule applies again", () => {
    const [removed] = diffSnapshots(one, none).waivers;
    expect(removed).toEqual({ change: "removed", rule: "ecr-scan-on-push", base: { scope: "ecr-scan-on-push, repository models/a everywhere (1 check)", reason }, direction: "tightening" });
    expect(renderReview(none, { label: "origin/main", diff: diffSnapshots(one, none) })).toContain("| tightening: the rule's checks are enforced again |");
  });

  test("a waiver that covers more checks is a weakening change; a new reason alone is reworded", () => {
    expect(diffSnapshots(one, both).waivers.map((w) => [w.change, w.direction, w.base?.scope, w.head?.scope])).toEqual([
      ["changed", "weakening", "ecr-scan-on-push, repository models/a everywhere (1 check)", "ecr-scan-on-push, repositories models/a, models/b everywhere (2 checks)"],
    ]);
    expect(diffSnapshots(both, one).waivers.map((w) => [w.change, w.direction])).toEqual([["changed", "tightening"]]);
    expect(diffSnapshots(one, reworded).waivers).toEqual([
      {
        change: "changed",
        rule: "ecr-scan-on-push",
        base: { scope: "ecr-scan-on-push, repository models/a everywhere (1 check)", reason },
        head: { scope: "ecr-scan-on-push, repository models/a everywhere (1 check)", reason: `${reason} Tracked in ML-42.` },
        direction: "reworded",
      },
    ]);
  });
});

describe("identity policies a human must attach", () => {
  const OWN = "arn:aws:iam::111111111111:role/trainer";
  const raw = (identityPolicies: boolean, consumers: unknown[]) => ({
    ...minimalRawConfig(),
    identityPolicies,
    environments: [{ name: "dev", accountId: "111111111111" }],
    repositories: [{ name: "models/a", consumers }],
  });

  test("lists each role with the policy the stack creates for it, or what its own account must grant", () => {
    const snapshot = reviewSnapshot(validConfig(raw(true, [{ kind: "push", principal: OWN }, { kind: "pull", principal: READER }])));
    expect(identityPolicyAttachments(snapshot)).toEqual([
      {
        environment: "dev",
        principal: OWN,
        repository: "models/a",
        level: "push",
        account: "111111111111",
        policy: { name: "model-registry-dev-models__a-push", output: "models__a_push_policy_arn" },
      },
      { environment: "dev", principal: READER, repository: "models/a", level: "pull", account: "555555555555" },
    ]);
    const report = renderReview(snapshot);
    expect(report).toContain(
      `| dev | \`${OWN}\` | \`models/a\` | push | attach \`model-registry-dev-models__a-push\` (its ARN is the output \`models__a_push_policy_arn\`) |`,
    );
    expect(report).toContain(
      `| dev | \`${READER}\` | \`models/a\` | pull | an identity policy in account 555555555555 allowing \`ecr:GetAuthorizationToken\` and the pull actions on the repository |`,
    );
  });

  test("lists the consumers of a pull-through cache with the cache's policy, or what their own account must grant", () => {
    const config = { ...raw(true, [{ kind: "pull", principal: READER }]), pullThroughCache: { rules: [{ upstream: "ecr-public", consumers: [{ principal: OWN }, { principal: READER }] }] } };
    const snapshot = reviewSnapshot(validConfig(config));
    expect(identityPolicyAttachments(snapshot).filter((a) => a.level === "pull-through")).toEqual([
      {
        environment: "dev",
        principal: OWN,
        repository: "ecr-public/*",
        level: "pull-through",
        account: "111111111111",
        policy: { name: "model-registry-dev-pull-through-cache-ecr-public", output: "pull_through_cache_ecr-public_policy_arn" },
      },
      { environment: "dev", principal: READER, repository: "ecr-public/*", level: "pull-through", account: "555555555555" },
    ]);
    expect(renderReview(snapshot)).toContain(
      `| dev | \`${READER}\` | \`ecr-public/*\` | pull-through | an identity policy in account 555555555555 allowing \`ecr:GetAuthorizationToken\`, the pull actions, \`ecr:BatchImportUpstreamImage\` and \`ecr:CreateRepository\` on the cache's repositories |`,
    );
  });

  test("lists the signers with the signing policy, and a signer of another account with what its own account must grant", () => {
    const config = { ...raw(true, [{ kind: "pull", principal: READER }]), signing: { signers: [{ principal: OWN }, { principal: READER }] } };
    const snapshot = reviewSnapshot(validConfig(config));
    expect(identityPolicyAttachments(snapshot).filter((a) => a.level === "sign")).toEqual([
      {
        environment: "dev",
        principal: OWN,
        repository: "model_registry_dev",
        level: "sign",
        account: "111111111111",
        policy: { name: "model-registry-dev-signing", output: "signing_policy_arn" },
      },
      { environment: "dev", principal: READER, repository: "model_registry_dev", level: "sign", account: "555555555555" },
    ]);
    expect(renderReview(snapshot)).toContain(
      `| dev | \`${READER}\` | \`model_registry_dev\` | sign | an identity policy in account 555555555555 allowing \`signer:SignPayload\` on the signing profile |`,
    );
  });

  test("without identityPolicies a same-account signer is told what to write", () => {
    const config = { ...raw(false, [{ kind: "pull", principal: READER }]), signing: { signers: [{ principal: OWN }] } };
    const rows = identityPolicyAttachments(reviewSnapshot(validConfig(config))).filter((a) => a.level === "sign");
    expect(rows).toEqual([{ environment: "dev", principal: OWN, repository: "model_registry_dev", level: "sign", account: "111111111111" }]);
  });

  test("a new grant's identity policy is listed among the changes", () => {
    const base = reviewSnapshot(validConfig(raw(true, [{ kind: "pull", principal: READER }])));
    const head = reviewSnapshot(validConfig(raw(true, [{ kind: "pull", principal: READER }, { kind: "push", principal: OWN }])));
    const diff = diffSnapshots(base, head);
    expect(diff.identityPolicies.map((a) => [a.principal, a.policy?.name])).toEqual([[OWN, "model-registry-dev-models__a-push"]]);
    expect(renderReview(head, { label: "origin/main", diff })).toContain("### Identity policies to attach\n\nNew grants that work only once someone attaches an identity policy:");
  });
});

describe("review report against a base without a registry", () => {
  test("lists every environment, repository, registry-wide setting and grant as new, without labels", () => {
    const head = reviewSnapshot(validConfig(basePair().head));
    const diff = diffSnapshots(undefined, head);
    expect(diff.environments).toEqual([
      { environment: "dev", change: "added" },
      { environment: "staging", change: "added" },
    ]);
    expect(diff.repositories.map((r) => `${r.environment} ${r.repository} ${r.change}`)).toEqual(
      ["dev", "staging"].flatMap((e) => ["models/a", "models/b", "models/c", "models/longer-name", "models/new"].map((r) => `${e} ${r} added`)),
    );
    expect(diff.registry.map((r) => [r.environment, r.setting, r.base, r.concern])).toEqual(
      ["dev", "staging"].flatMap((e) => ["region", "account", "state backend", "scanning"].map((setting) => [e, setting, [], undefined])),
    );
    expect(diff.settings).toEqual([]);
    expect(diff.access.every((a) => a.base === undefined && a.direction === "widening")).toBe(true);
    expect(diff.access).toHaveLength(head.access.length);
    const report = renderReview(head, { label: "origin/main", diff, missingConfig: "registry.yaml" });
    expect(report).toContain(
      "## Changes against `origin/main`\n\n`origin/main` has no `registry.yaml`, so it has no registry: every environment, repository, registry-wide setting and grant below is new.\n\n",
    );
  });
});

/**
 * The example pull request of docs/review.md against the default config: a batch-evaluation role may pull
 * the LLM images in prod, the LLM repository keeps 100 model versions instead of 50, and the
 * vision experiment is deleted from the config instead of retired.
 */
function readmeExampleHead(): Record<string, any> {
  const raw = parse(fs.readFileSync(DEFAULT_CONFIG_PATH, "utf8"));
  const llm = raw.repositories.find((r: any) => r.name === "ai-models/llm-inference");
  llm.consumers.push({ kind: "pull", principal: "arn:aws:iam::222222222222:role/batch-evaluation", environments: ["prod"] });
  llm.lifecycle.rules[1] = { description: "Keep the 100 most recent model versions", tagPatterns: ["v*"], keepLast: 100 };
  raw.repositories = raw.repositories.filter((r: any) => r.name !== "ai-models/vision-classifier");
  raw.guardrails.waivers = raw.guardrails.waivers.filter((w: any) => w.rule !== "ecr-kms-encryption");
  return raw;
}

describe("the review report example of docs/review.md", () => {
  test("is what the report says about its example pull request, up to the posture section", () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "review.md"), "utf8");
    const section = readme.slice(readme.indexOf("\n## Review report\n"));
    const example = /```markdown\n([\s\S]*?)```/.exec(section)![1];
    const base = reviewSnapshot(loadConfig(DEFAULT_CONFIG_PATH));
    const head = reviewSnapshot(validConfig(readmeExampleHead()));
    const report = renderReview(head, { label: "origin/main", diff: diffSnapshots(base, head) });
    expect(example).toBe(`${report.slice(0, report.indexOf("\n## Posture"))}\n`);
  });
});
