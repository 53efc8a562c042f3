import { ECR_AUTHORIZATION_ACTION, ECR_CACHE_IMPORT_ACTIONS, SIGN_PAYLOAD_ACTION } from "../access/actions";
import { AccessGrant, compare, granteeLabel } from "../access/matrix";
import { describeWaiver } from "../guardrails/evaluate";
import { code, table } from "../handoff/markdown";
import { stackName } from "../naming";
import { GRAPH_OPEN_MAX_EDGES, accessGraph } from "./access-graph";
import { ReviewDiff } from "./diff";
import { Adoption, AttachmentLevel, CheckStatus, IdentityPolicyAttachment, PostureItem, ReviewSnapshot, identityPolicyAttachments, repositoryPostures } from "./snapshot";

/** What the base of a comparison was, as the report names it (a git ref or a folder relative to the working directory). */
export interface ReviewBase {
  readonly label: string;
  readonly diff: ReviewDiff;
  /** The config file the base does not have (it has no registry yet), as the report names it. @default - the base has it */
  readonly missingConfig?: string;
}

const MARK: Record<CheckStatus, string> = { pass: "✅ ", waived: "⚠️ waived: ", violation: "❌ ", unchecked: "" };

function item(posture: PostureItem): string {
  return `${MARK[posture.status]}${posture.value}`;
}

/**
 * The review report in GitHub-flavoured Markdown, for a pull request comment or
 * `$GITHUB_STEP_SUMMARY`: the changes against the base (when given), the posture checklist per
 * environment, the waivers with their reasons and the access matrix (a graph and a table per
 * environment). Everything is sorted and nothing depends on the time or on where the files are,
 * so the same configs give the same bytes.
 */
export function renderReview(head: ReviewSnapshot, base?: ReviewBase): string {
  const sections = [`# Registry review: ${head.config.project}`, summaryLine(head, base?.diff)];
  if (base) sections.push(renderDiff(base));
  sections.push(renderPosture(head), renderWaivers(head), renderAccess(head), renderIdentityPolicies(head));
  return `${sections.filter(Boolean).join("\n\n")}\n`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function summaryLine(head: ReviewSnapshot, diff?: ReviewDiff): string {
  const repositories = new Set(head.environments.flatMap((e) => e.repositories.map((r) => r.name))).size;
  const g = head.guardrails;
  const parts = [
    `${plural(head.environments.length, "environment")}, ${plural(repositories, "repository", "repositories")}`,
    `guardrails: ${plural(g.results.length, "check")}, ${g.waived.length} waived, ${plural(g.violations.length, "violation")}`,
  ];
  if (diff) {
    const destructiveRegistry = diff.registry.filter((r) => r.concern?.label === "destructive").length;
    const destructive = diff.repositories.filter((r) => r.destructive).length + diff.settings.filter((s) => s.destructive).length + destructiveRegistry;
    const flagged = diff.registry.filter((r) => r.concern).length - destructiveRegistry;
    const widening = diff.access.filter((a) => a.direction === "widening").length;
    const narrowing = diff.access.filter((a) => a.direction === "narrowing").length;
    const unmanaged = diff.access.filter((a) => a.direction === "unmanaged").length;
    const weakeningWaivers = diff.waivers.filter((w) => w.direction === "weakening").length;
    const others = [
      flagged > 0 ? `**${plural(flagged, "flagged registry-wide change")}**` : "",
      weakeningWaivers > 0 ? `**${plural(weakeningWaivers, "weakening waiver change")}**` : "",
      diff.outputs.length > 0 ? `**${plural(diff.outputs.length, "breaking output change")}**` : "",
    ].filter(Boolean);
    const access = [widening > 0 ? `**${widening} widening**` : "0 widening", `${narrowing} narrowing`, ...(unmanaged > 0 ? [`${unmanaged} unmanaged`] : [])];
    const accessCount = widening + narrowing + unmanaged;
    parts.push(
      `changes: ${destructive > 0 ? `**${plural(destructive, "destructive change")}**` : "nothing destructive"}, ${others.map((o) => `${o}, `).join("")}${access
        .slice(0, -1)
        .join(", ")} and ${access[access.length - 1]} access ${accessCount === 1 ? "change" : "changes"}`,
    );
  }
  return `${parts.join("; ")}.`;
}

function renderDiff({ label, diff, missingConfig }: ReviewBase): string {
  const lines = [`## Changes against ${code(label)}`];
  if (missingConfig !== undefined)
    lines.push(`${code(label)} has no ${code(missingConfig)}, so it has no registry: every environment, repository, registry-wide setting and grant below is new.`);
  lines.push(
    diff.stacks.length > 0
      ? `Stacks this change touches (CI plans these, in deploy order): ${diff.stacks.map(code).join(", ")}.`
      : "No stack's Terraform changes: CI plans nothing.",
  );
  const empty =
    diff.environments.length +
      diff.repositories.length +
      diff.settings.length +
      diff.registry.length +
      diff.access.length +
      diff.waivers.length +
      diff.outputs.length +
      diff.identityPolicies.length ===
    0;
  if (empty) {
    lines.push("No environment, repository, setting, waiver, output or access changes.");
    return lines.join("\n\n");
  }
  for (const e of diff.environments) {
    lines.push(
      e.change === "added"
        ? `- Environment ${code(e.environment)} added.`
        : `- Environment ${code(e.environment)} removed: its stack is no longer synthesized or planned; what it deployed stays in AWS until destroyed by hand.`,
    );
  }
  if (diff.repositories.length > 0) {
    const change = (r: ReviewDiff["repositories"][number]) => {
      switch (r.change) {
        case "added":
          return "added";
        case "adopted":
          return adoptedText(r.adoption!);
        case "renamed":
          return `renamed from ${code(r.from!)} (moved in Terraform; keeps its name in AWS)`;
        case "retired":
          return "retired: unmanaged, left in AWS with its images and its policy (Terraform forgets it)";
        case "removed":
          return "**destructive**: removed, so Terraform destroys it (AWS refuses while it holds images); retire it instead";
      }
    };
    const replicaChange = (r: ReviewDiff["repositories"][number]) => {
      switch (r.change) {
        case "removed":
          return `**destructive**: replica region removed, so Terraform destroys the replica and its images; list ${r.replicaRegion} in replication.retiredRegions (or retire the repository) instead`;
        case "retired":
          return "retired: Terraform forgets the replica, which stays in AWS with its images";
        default:
          return change(r);
      }
    };
    lines.push(
      "### Repositories",
      table(
        ["Environment", "Repository", "Change"],
        diff.repositories.map((r) => [r.environment, changedRepositoryCell(r), r.replicaRegion ? replicaChange(r) : change(r)]),
      ),
    );
  }
  if (diff.settings.length > 0) {
    lines.push(
      "### Settings",
      table(
        ["Environment", "Repository", "Setting", "Base", "Head"],
        diff.settings.map((s) => [
          s.environment,
          changedRepositoryCell(s),
          s.destructive ? `${s.setting} (**destructive**: the provider replaces the repository)` : s.setting,
          s.base,
          s.head,
        ]),
      ),
    );
  }
  if (diff.registry.length > 0) {
    const list = (items: readonly string[]) => (items.length > 0 ? items.join("; ") : "—");
    lines.push(
      "### Registry-wide settings",
      table(
        ["Environment", "Setting", "Base", "Head", "Change"],
        diff.registry.map((r) => [
          r.environment,
          r.replicaRegion ? `${r.setting} (replica registry in ${r.replicaRegion})` : r.setting,
          list(r.base),
          list(r.head),
          r.concern ? `**${r.concern.label}**: ${r.concern.why}` : "—",
        ]),
      ),
    );
  }
  if (diff.waivers.length > 0) {
    const side = (w?: { scope: string; reason: string }) => (w ? `${w.scope}: ${w.reason}` : "—");
    const effect: Record<WaiverDirection, string> = {
      weakening: "**weakening**: the rule's checks are waived where they were enforced",
      tightening: "tightening: the rule's checks are enforced again",
      reworded: "reason or scope reworded; it covers as many checks as before",
    };
    lines.push(
      "### Guardrail waivers",
      table(
        ["Rule", "Change", "Base", "Head", "Effect"],
        diff.waivers.map((w) => [code(w.rule), w.change, side(w.base), side(w.head), effect[w.direction]]),
      ),
    );
  }
  if (diff.outputs.length > 0) {
    lines.push(
      "### Outputs",
      table(
        ["Environment", "Output", "Change"],
        diff.outputs.map((o) => [
          o.environment,
          code(o.output),
          `**breaking**: ${o.change === "renamed" ? `renamed to ${code(o.to!)}` : "removed"}; whatever reads it (\`terraform_remote_state\`, \`cdktf output\`) breaks`,
        ]),
      ),
    );
  }
  if (diff.access.length > 0) {
    const direction = (d: ReviewDiff["access"][number]["direction"]) => (d === "unmanaged" ? "unmanaged, left in AWS with its policy" : `**${d}**`);
    lines.push(
      "### Access",
      table(
        ["Environment", "Repository", "Grantee", "Base", "Head", "Change"],
        diff.access.map((a) => [a.environment, changedRepositoryCell(a), code(a.grantee), a.base ?? "—", a.head ?? "—", direction(a.direction)]),
      ),
    );
  }
  if (diff.identityPolicies.length > 0) {
    lines.push("### Identity policies to attach", "New grants that work only once someone attaches an identity policy:", attachmentTable(diff.identityPolicies));
  }
  return lines.join("\n\n");
}

/**
 * An adopted repository's row: imported, not created, and what the apply does to the policies it
 * already has. ECR keeps one repository policy and one lifecycle policy per repository, so the
 * stack's replace them; a reviewer must see that before apply.
 */
export function adoptedText(adoption: Adoption): string {
  const replaced = [adoption.replacesRepositoryPolicy && "repository policy", adoption.replacesLifecyclePolicy && "lifecycle policy"].filter(Boolean);
  const kept = [!adoption.replacesRepositoryPolicy && "repository policy", !adoption.replacesLifecyclePolicy && "lifecycle policy"].filter(Boolean);
  const parts = ["adopted (imported): Terraform imports the existing repository instead of creating it"];
  if (replaced.length > 0)
    parts.push(`on apply its ${replaced.join(" and ")} in AWS ${replaced.length > 1 ? "are" : "is"} **replaced** by this config's (ECR keeps one of each per repository)`);
  if (kept.length > 0) parts.push(`its ${kept.join(" and ")} in AWS ${kept.length > 1 ? "are" : "is"} left as ${kept.length > 1 ? "they are" : "it is"} (this config declares none)`);
  return parts.join("; ");
}

type WaiverDirection = ReviewDiff["waivers"][number]["direction"];

/** A repository as the report names it: its config name, and its AWS name beside it where they differ. */
function repositoryCell(repository: string, awsName?: string): string {
  return awsName ? `${code(repository)} (AWS: ${code(awsName)})` : code(repository);
}

/** What a policy written by hand must allow, per level: the same grants as the stack's own policies. */
const HAND_WRITTEN_GRANTS: Record<AttachmentLevel, string> = {
  push: `${code(ECR_AUTHORIZATION_ACTION)} and the push actions on the repository`,
  pull: `${code(ECR_AUTHORIZATION_ACTION)} and the pull actions on the repository`,
  "pull-through": `${code(ECR_AUTHORIZATION_ACTION)}, the pull actions, ${ECR_CACHE_IMPORT_ACTIONS.map(code).join(" and ")} on the cache's repositories`,
  sign: `${code(SIGN_PAYLOAD_ACTION)} on the signing profile`,
};

function attachmentTable(rows: readonly IdentityPolicyAttachment[]): string {
  const what = (a: IdentityPolicyAttachment) =>
    a.policy
      ? `attach ${code(a.policy.name)} (its ARN is the output ${code(a.policy.output)})`
      : `an identity policy${a.account ? ` in account ${a.account}` : ""} allowing ${HAND_WRITTEN_GRANTS[a.level]}`;
  return table(["Environment", "Role or user", "Repository, cache or profile", "Level", "To attach"], rows.map((a) => [a.environment, code(a.principal), code(a.repository), a.level, what(a)]));
}

/**
 * Every identity policy someone must attach by hand: the registry login cannot come from a
 * repository policy, so each role or user granted push or pull needs one (docs/consumers.md,
 * "Identity policies for same-account roles").
 */
function renderIdentityPolicies(head: ReviewSnapshot): string {
  const rows = identityPolicyAttachments(head);
  if (rows.length === 0) return "";
  return [
    "## Identity policies to attach",
    [
      `<details><summary>${plural(rows.length, "attachment")}: each role or user below needs its identity policy before it can log in to ECR or sign</summary>`,
      "",
      attachmentTable(rows),
      "",
      "</details>",
    ].join("\n"),
  ].join("\n\n");
}

function renderPosture(head: ReviewSnapshot): string {
  const postures = repositoryPostures(head);
  const lines = ["## Posture"];
  for (const environment of [...head.environments].sort((a, b) => compare(a.name, b.name))) {
    const rows = postures.filter((p) => p.environment === environment.name);
    const about = [stackName(head.config.project, environment.name), environment.region, environment.accountId ? `account ${environment.accountId}` : "", environment.protected ? "protected" : ""]
      .filter(Boolean)
      .join(", ");
    lines.push(`### ${environment.name} (${about})`);
    if (rows.length === 0) {
      lines.push("No repositories.");
      continue;
    }
    const ownStack = stackName(head.config.project, environment.name);
    const region = (p: (typeof rows)[number]) =>
      !p.replica ? p.region : p.stack === ownStack ? `${p.region} (replica)` : `${p.region} (replica, in ${code(p.stack)})`;
    lines.push(
      table(
        ["Repository", "Region", "Scan", "Tag mutability", "Encryption", "Lifecycle", "Replication", "Waivers"],
        rows.map((p) => [
          repositoryCell(p.repository, p.awsName),
          region(p),
          item(p.scan),
          item(p.immutability),
          item(p.encryption),
          item(p.lifecycle),
          p.replication.length > 0 ? p.replication.join(", ") : "—",
          p.waivers.length > 0 ? p.waivers.map((w) => w.rule).join(", ") : "—",
        ]),
      ),
    );
  }
  return lines.join("\n\n");
}

/** A repository in a diff table: its name (and AWS name), and for a replica the region. */
function changedRepositoryCell(at: { repository: string; awsName?: string; replicaRegion?: string }): string {
  const cell = repositoryCell(at.repository, at.awsName);
  return at.replicaRegion ? `${cell} (replica in ${at.replicaRegion})` : cell;
}

function renderWaivers(head: ReviewSnapshot): string {
  const waivers = head.guardrails.waivers;
  if (waivers.length === 0) return "";
  return [
    "## Waivers",
    ...waivers.map((w) => `- ${code(w.configPath)} ${describeWaiver(w)}: ${w.reason.trim().replace(/\s+/g, " ")}`),
  ].join("\n\n");
}

function renderAccess(head: ReviewSnapshot): string {
  const lines = ["## Access"];
  for (const environment of [...head.environments].sort((a, b) => compare(a.name, b.name))) {
    const grants = head.access.filter((g) => g.environment === environment.name);
    const rows = grants
      .map((g) => [code(granteeLabel(g.grantee)), code(g.repository), g.region === environment.region ? g.region : `${g.region} (replica)`, g.level])
      .sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]) || compare(a[2], b[2]));
    if (grants.length > 0) lines.push(graphOf(environment.name, environment.region, grants));
    lines.push(
      [
        `<details><summary>${environment.name}: ${plural(grants.length, "grant")}</summary>`,
        "",
        rows.length > 0 ? table(["Grantee", "Repository", "Region", "Level"], rows) : "No grants.",
        "",
        "</details>",
      ].join("\n"),
    );
  }
  return lines.join("\n\n");
}

/** An environment's access graph (access-graph.ts), open while small enough to read at a glance. */
function graphOf(environment: string, region: string, grants: readonly AccessGrant[]): string {
  const caption = `${environment}: who can do what (${plural(grants.length, "grant")})`;
  const graph = accessGraph(grants, region);
  if (grants.length <= GRAPH_OPEN_MAX_EDGES) return `${caption}:\n\n${graph}`;
  return [`<details><summary>${caption} as a graph</summary>`, "", graph, "", "</details>"].join("\n");
}
