import { changedStacks } from "./changed-stacks";
import { AccessGrant, compare, granteeLabel } from "../access/matrix";
import { retiredIn } from "../config/schema/data-safety";
import type { ResolvedEnvironment } from "../plan/environments";
import type { AccessLevel } from "../access/actions";
import { Concern, REGISTRY_SETTINGS, RegistrySetting, itemChange } from "./registry-settings";
import { describeWaiver, WaiverUse } from "../guardrails/evaluate";
import { repositoryId } from "../naming";
import {
  Adoption,
  IdentityPolicyAttachment,
  RepositoryPosture,
  ReviewSnapshot,
  awsNameField,
  environmentStack,
  identityPolicyAttachments,
  repositoryPostures,
} from "./snapshot";

/**
 * The difference between the base of a pull request and its head, as a reviewer needs it:
 * what appears and disappears (and whether a disappearance destroys images), which settings
 * change (of repositories and of the registry), and who gains or loses access. Repositories are
 * matched by name, or through the head's `renamedFrom` when they were renamed.
 */
export interface ReviewDiff {
  readonly environments: ReadonlyArray<{ readonly environment: string; readonly change: "added" | "removed" }>;
  readonly repositories: readonly RepositoryChange[];
  readonly settings: readonly SettingChange[];
  readonly registry: readonly RegistrySettingChange[];
  readonly access: readonly AccessChange[];
  readonly waivers: readonly WaiverChange[];
  readonly outputs: readonly OutputChange[];
  /** Identity policies the head needs attached that the base did not. */
  readonly identityPolicies: readonly IdentityPolicyAttachment[];
  /** The environment stacks whose Terraform differs from the base's, in deploy order: what CI plans (`changedStacks`). */
  readonly stacks: readonly string[];
}

/**
 * A guardrail waiver that appears, disappears or changes. An added waiver turns a check off
 * (weakening), a removed one turns it back on (tightening); a changed one (same rule, another
 * scope or reason) is weakening when it now covers more checks, tightening when fewer.
 */
export interface WaiverChange {
  readonly change: "added" | "removed" | "changed";
  readonly rule: string;
  /** The waiver's scope and count as the report says it (`describeWaiver`), base and head. */
  readonly base?: { readonly scope: string; readonly reason: string };
  readonly head?: { readonly scope: string; readonly reason: string };
  readonly direction: "weakening" | "tightening" | "reworded";
}

/**
 * A stack output that the head no longer has under its base name: anything reading it
 * (`terraform_remote_state`, `cdktf output`) breaks. Renamed when the repository it belongs to
 * was renamed and the head has the output under the new name.
 */
export interface OutputChange {
  readonly environment: string;
  readonly output: string;
  readonly change: "removed" | "renamed";
  readonly to?: string;
}

export interface RepositoryChange {
  readonly environment: string;
  readonly repository: string;
  /** The replica's region, for a replica (docs/replication.md); undefined for the repository itself. */
  readonly replicaRegion?: string;
  /** The repository's name in AWS, when it differs from `repository`. */
  readonly awsName?: string;
  /** `adopted`: the head imports an existing repository (new in the head, or newly adopted), instead of creating it. */
  readonly change: "added" | "adopted" | "removed" | "retired" | "renamed";
  /** The base name of a renamed repository. */
  readonly from?: string;
  /** Of an adopted repository: which of its policies in AWS the apply replaces. */
  readonly adoption?: Adoption;
  /** A removal Terraform would carry out by destroying the repository and its images. */
  readonly destructive: boolean;
}

export interface SettingChange {
  readonly environment: string;
  readonly repository: string;
  /** The replica's region, for a replica's setting. */
  readonly replicaRegion?: string;
  /** Replication is not here: ECR configures it for the whole registry, so its change is one registry-wide row, not one row per matching repository. */
  readonly setting: "scan" | "tag mutability" | "encryption" | "lifecycle" | "tags";
  readonly base: string;
  readonly head: string;
  /** Encryption cannot change in place: the provider replaces the repository. */
  readonly destructive: boolean;
}

/** A change of a registry-wide setting of one environment, as the items only one side has (or that changed). */
export interface RegistrySettingChange {
  readonly environment: string;
  readonly setting: RegistrySetting;
  /** The replica region whose registry the change is about; undefined: the environment's own registry. */
  readonly replicaRegion?: string;
  /** The base's items that the head removed or changed, in a few words each. */
  readonly base: readonly string[];
  /** The head's items that are new or changed. */
  readonly head: readonly string[];
  /** Why a reviewer should look twice, when they should. */
  readonly concern?: Concern;
}

export interface AccessChange {
  readonly environment: string;
  readonly repository: string;
  /** The replica's region, for access to a replica. */
  readonly replicaRegion?: string;
  readonly grantee: string;
  /** Undefined when the grantee had no access in the base (or has none in the head). */
  readonly base?: AccessLevel;
  readonly head?: AccessLevel;
  /**
   * Widening: a grantee gains a repository or a higher level; narrowing: the reverse. Unmanaged: the
   * grant's repository was retired (or its environment dropped), so Terraform forgets the
   * repository policy, which stays in AWS with the grant in it.
   */
  readonly direction: "widening" | "narrowing" | "unmanaged";
}

const LEVEL_RANK: Record<AccessLevel, number> = { pull: 1, push: 2 };

/** `base` is undefined when the base has no registry (no config file): then everything in the head is new. */
export function diffSnapshots(base: ReviewSnapshot | undefined, head: ReviewSnapshot): ReviewDiff {
  // Base names of repositories the head renamed, mapped to their head names.
  const renamed = new Map<string, string>();
  for (const repo of head.config.repositories) for (const previous of repo.renamedFrom ?? []) renamed.set(previous, repo.name);
  const headName = (baseName: string) => (head.config.repositories.some((r) => r.name === baseName) ? baseName : (renamed.get(baseName) ?? baseName));

  const baseEnvironments = new Set((base?.environments ?? []).map((e) => e.name));
  const headEnvironments = new Set(head.environments.map((e) => e.name));
  const environments = [
    ...[...headEnvironments].filter((e) => !baseEnvironments.has(e)).map((environment) => ({ environment, change: "added" as const })),
    ...[...baseEnvironments].filter((e) => !headEnvironments.has(e)).map((environment) => ({ environment, change: "removed" as const })),
  ].sort((a, b) => compare(a.environment, b.environment));

  // A replica is its repository in another region: matched by environment, repository and region.
  const key = (p: RepositoryPosture, name: string) => `${p.environment}\u0000${name}\u0000${p.replica ? p.region : ""}`;
  const basePostures = new Map((base ? repositoryPostures(base) : []).map((p) => [key(p, headName(p.repository)), p]));
  const headPostures = new Map(repositoryPostures(head).map((p) => [key(p, p.repository), p]));
  const where = (p: RepositoryPosture) => ({ environment: p.environment, repository: p.repository, ...(p.replica ? { replicaRegion: p.region } : {}) });

  const repositories: RepositoryChange[] = [];
  const settings: SettingChange[] = [];
  for (const [k, p] of headPostures) {
    const before = basePostures.get(k);
    const aws = awsNameField(head.config, p.repository);
    const adopted = { ...where(p), ...aws, change: "adopted" as const, adoption: p.adoption, destructive: false };
    if (!before) {
      repositories.push(p.adoption ? adopted : { ...where(p), ...aws, change: "added", destructive: false });
      continue;
    }
    if (before.repository !== p.repository) repositories.push({ ...where(p), ...aws, change: "renamed", from: before.repository, destructive: false });
    if (p.adoption && !before.adoption) repositories.push(adopted);
    settings.push(...settingChanges(before, p));
  }
  for (const [k, p] of basePostures) {
    if (headPostures.has(k) || !headEnvironments.has(p.environment)) continue;
    // A replica is forgotten when its repository is retired or its region is in replication.retiredRegions.
    const retired =
      retiredIn(head.config, p.environment).includes(p.repository) || (p.replica && (head.config.replication?.retiredRegions ?? []).includes(p.region));
    repositories.push({ ...where(p), ...(p.awsName ? { awsName: p.awsName } : {}), change: retired ? "retired" : "removed", destructive: !retired });
  }

  // Grants Terraform stops managing without deleting them: the policies of retired repositories and of dropped environments stay in AWS.
  const unmanaged = (environment: string, repository: string) => !headEnvironments.has(environment) || retiredIn(head.config, environment).includes(repository);
  const headAttachments = identityPolicyAttachments(head);
  const baseAttachmentKeys = new Set((base ? identityPolicyAttachments(base) : []).map((a) => attachmentKey({ ...a, repository: headName(a.repository) })));

  return {
    environments,
    repositories: repositories.sort(
      (a, b) => compare(a.environment, b.environment) || compare(a.repository, b.repository) || compare(a.replicaRegion ?? "", b.replicaRegion ?? ""),
    ),
    settings,
    registry: registryChanges(base, head),
    access: accessChanges(base, head, headName, unmanaged),
    // Without a base registry nothing was enforced before: the waivers are in the report's Waivers section.
    waivers: base ? waiverChanges(base.guardrails.waivers, head.guardrails.waivers) : [],
    outputs: base ? outputChanges(base, head, renamed) : [],
    identityPolicies: headAttachments.filter((a) => !baseAttachmentKeys.has(attachmentKey(a))),
    stacks: changedStacks(head.config, head.stacks, base?.stacks),
  };
}

function attachmentKey(a: IdentityPolicyAttachment): string {
  return [a.environment, a.principal, a.repository, a.level, a.policy?.name ?? ""].join("\u0000");
}

/** Waivers matched by rule and scope; a waiver of a rule that lost one and gained one is one changed waiver. */
function waiverChanges(base: readonly WaiverUse[], head: readonly WaiverUse[]): WaiverChange[] {
  const key = (w: WaiverUse) => JSON.stringify([w.rule, w.environments ?? null, w.repositories ?? null, w.creationTemplates ?? null]);
  const side = (w: WaiverUse) => ({ scope: describeWaiver(w), reason: w.reason.trim().replace(/\s+/g, " ") });
  const headKeys = new Set(head.map(key));
  const baseByKey = new Map(base.map((w) => [key(w), w]));
  const removed = base.filter((w) => !headKeys.has(key(w)));
  const added = head.filter((w) => !baseByKey.has(key(w)));
  const changes: WaiverChange[] = [];
  for (const w of head) {
    const before = baseByKey.get(key(w));
    if (before && side(before).reason !== side(w).reason) changes.push({ change: "changed", rule: w.rule, base: side(before), head: side(w), direction: "reworded" });
  }
  for (const w of added) {
    const i = removed.findIndex((r) => r.rule === w.rule);
    if (i === -1) {
      changes.push({ change: "added", rule: w.rule, head: side(w), direction: "weakening" });
      continue;
    }
    const [before] = removed.splice(i, 1);
    const direction = w.matched.length > before.matched.length ? "weakening" : w.matched.length < before.matched.length ? "tightening" : "reworded";
    changes.push({ change: "changed", rule: w.rule, base: side(before), head: side(w), direction });
  }
  for (const w of removed) changes.push({ change: "removed", rule: w.rule, base: side(w), direction: "tightening" });
  return changes.sort((a, b) => compare(a.rule, b.rule) || compare(a.change, b.change));
}

/** Outputs of each environment both sides have that the head lost, with the new name of a renamed repository's outputs. */
function outputChanges(base: ReviewSnapshot, head: ReviewSnapshot, renamed: ReadonlyMap<string, string>): OutputChange[] {
  const changes: OutputChange[] = [];
  const renamedIds = [...renamed].map(([from, to]) => [`${repositoryId(from)}_`, `${repositoryId(to)}_`] as const);
  for (const environment of head.environments.map((e) => e.name).sort(compare)) {
    const baseStack = environmentStack(base, environment);
    const headStack = environmentStack(head, environment);
    if (!baseStack || !headStack) continue;
    const headOutputs = new Set(Object.keys(headStack.json.output ?? {}));
    for (const output of Object.keys(baseStack.json.output ?? {}).sort(compare)) {
      if (headOutputs.has(output)) continue;
      const to = renamedIds.filter(([from]) => output.startsWith(from)).map(([from, next]) => `${next}${output.slice(from.length)}`).find((name) => headOutputs.has(name));
      changes.push(to ? { environment, output, change: "renamed", to } : { environment, output, change: "removed" });
    }
  }
  return changes;
}

/** Registry-wide setting changes of every environment both sides have (every head environment when the base has no registry). */
function registryChanges(base: ReviewSnapshot | undefined, head: ReviewSnapshot): RegistrySettingChange[] {
  const changes: RegistrySettingChange[] = [];
  for (const environment of head.environments.map((e) => e.name).sort(compare)) {
    if (base && !base.environments.some((e) => e.name === environment)) continue;
    const baseStack = base && environmentStack(base, environment);
    const headStack = environmentStack(head, environment);
    for (const [setting, spec] of Object.entries(REGISTRY_SETTINGS) as Array<[RegistrySetting, (typeof REGISTRY_SETTINGS)[RegistrySetting]]>) {
      const baseItems = baseStack ? spec.items(baseStack) : [];
      const headItems = headStack ? spec.items(headStack) : [];
      // One row for the environment's own registry, then one per replica region (docs/replication.md).
      const regions = [...new Set([...baseItems, ...headItems].flatMap((i) => (i.replicaRegion ? [i.replicaRegion] : [])))].sort(compare);
      for (const region of [undefined, ...regions]) {
        const change = itemChange(
          baseItems.filter((i) => i.replicaRegion === region),
          headItems.filter((i) => i.replicaRegion === region),
        );
        if (!change) continue;
        changes.push({
          environment,
          setting,
          ...(region ? { replicaRegion: region } : {}),
          base: [...change.removed, ...change.changed.map((c) => c.base)].map((i) => i.text),
          head: [...change.added, ...change.changed.map((c) => c.head)].map((i) => i.text),
          concern: spec.concern(change),
        });
      }
    }
  }
  return changes;
}

function settingChanges(base: RepositoryPosture, head: RepositoryPosture): SettingChange[] {
  const at = { environment: head.environment, repository: head.repository, ...(head.replica ? { replicaRegion: head.region } : {}) };
  const list = (items: readonly string[]) => (items.length === 0 ? "none" : items.join("; "));
  const tags = (t: Readonly<Record<string, string>>) => list(Object.entries(t).map(([k, v]) => `${k}=${v}`));
  const pairs: Array<[SettingChange["setting"], string, string]> = [
    ["scan", base.scan.value, head.scan.value],
    ["tag mutability", base.immutability.value, head.immutability.value],
    ["encryption", base.encryption.value, head.encryption.value],
    lifecycleChange(base.lifecycleRules, head.lifecycleRules),
    ["tags", tags(base.tags), tags(head.tags)],
  ];
  return pairs
    .filter(([, before, after]) => before !== after)
    .map(([setting, before, after]) => ({ ...at, setting, base: before, head: after, destructive: setting === "encryption" }));
}

/**
 * A lifecycle change as the rules only one side has (order kept), so a one-rule edit reads as
 * one rule out and one in; a change of order alone shows both lists.
 */
function lifecycleChange(base: readonly string[], head: readonly string[]): ["lifecycle", string, string] {
  const list = (items: readonly string[]) => (items.length === 0 ? "none" : items.join("; "));
  if (list(base) === list(head)) return ["lifecycle", "", ""];
  const removed = base.filter((r) => !head.includes(r));
  const added = head.filter((r) => !base.includes(r));
  if (removed.length === 0 && added.length === 0) return ["lifecycle", list(base), list(head)];
  return ["lifecycle", removed.length > 0 ? list(removed) : "—", added.length > 0 ? list(added) : "—"];
}

function accessChanges(
  base: ReviewSnapshot | undefined,
  head: ReviewSnapshot,
  headName: (name: string) => string,
  unmanaged: (environment: string, repository: string) => boolean,
): AccessChange[] {
  // Grants in a replica's region are the replica's: keyed by region when it is not the environment's own.
  const key = (environment: string, repository: string, replicaRegion: string, grantee: string) => `${environment}\u0000${repository}\u0000${replicaRegion}\u0000${grantee}`;
  const levels = (grants: readonly AccessGrant[], environments: readonly ResolvedEnvironment[], rename: (name: string) => string) => {
    const home = new Map(environments.map((e) => [e.name, e.region]));
    return new Map(
      grants.map((g) => {
        const grantee = granteeLabel(g.grantee);
        const repository = rename(g.repository);
        const replicaRegion = g.region === home.get(g.environment) ? undefined : g.region;
        const at = { environment: g.environment, repository, ...(replicaRegion ? { replicaRegion } : {}), grantee };
        return [key(g.environment, repository, replicaRegion ?? "", grantee), { ...at, level: g.level }];
      }),
    );
  };
  const before = levels(base?.access ?? [], base?.environments ?? [], headName);
  const after = levels(head.access, head.environments, (n) => n);
  const changes: AccessChange[] = [];
  for (const [k, { level, ...at }] of after) {
    const was = before.get(k);
    if (!was) changes.push({ ...at, head: level, direction: "widening" });
    else if (was.level !== level)
      changes.push({ ...at, base: was.level, head: level, direction: LEVEL_RANK[level] > LEVEL_RANK[was.level] ? "widening" : "narrowing" });
  }
  for (const [k, { level, ...at }] of before) {
    if (!after.has(k)) changes.push({ ...at, base: level, direction: unmanaged(at.environment, at.repository) ? "unmanaged" : "narrowing" });
  }
  return changes.sort(
    (a, b) =>
      compare(a.environment, b.environment) ||
      compare(a.repository, b.repository) ||
      compare(a.replicaRegion ?? "", b.replicaRegion ?? "") ||
      compare(a.grantee, b.grantee),
  );
}
