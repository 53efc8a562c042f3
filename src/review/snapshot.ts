import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AccessGrant, accessMatrix, compare } from "../access/matrix";
import { buildApp } from "../stacks/app";
import { ResolvedEnvironment, resolveEnvironments } from "../plan/environments";
import type { RegistryConfig } from "../config/schema";
import { GuardrailReport, GuardrailResult, evaluateGuardrails } from "../guardrails/evaluate";
import { readSynthesizedStacks } from "../synthesized/read";
import type { SynthesizedStack } from "../synthesized/stack";
import { awsRepositoryName } from "../config/schema/data-safety";
import { principalAccount } from "../config/schema/consumers";
import { PROTECTED_TAG_KEEP_COUNT } from "../lifecycle/policy";
import {
  FEATURE_IDS,
  FEATURE_OUTPUTS,
  identityPolicyId,
  identityPolicyOutputName,
  pullThroughCachePolicyId,
  pullThroughCachePolicyOutputName,
  replicaId,
  repositoryId,
  repositoryPolicyId,
  stackName,
} from "../naming";
import { pullThroughCacheRulesFor } from "../plan/pull-through-cache";
import { signingProfileFor } from "../plan/signing";
import type { AccessLevel } from "../access/actions";
import { replicaRegistriesFor } from "../plan/replicas";
import { stacksOfEnvironment } from "../plan/stack-groups";

/**
 * What the review report reads of one config: the config, its stacks as synth writes them, the
 * guardrail report on those stacks and the access matrix. Built in-process into a throwaway
 * folder, so the report never depends on (or touches) `cdktf.out`.
 */
export interface ReviewSnapshot {
  readonly config: RegistryConfig;
  readonly environments: readonly ResolvedEnvironment[];
  readonly stacks: readonly SynthesizedStack[];
  readonly guardrails: GuardrailReport;
  readonly access: readonly AccessGrant[];
}

/** Synthesizes a validated config into a temporary folder, evaluates the guardrails (without enforcing them) and removes the folder. */
export function reviewSnapshot(config: RegistryConfig): ReviewSnapshot {
  const stacks = synthesizeInMemory(config);
  return {
    config,
    environments: resolveEnvironments(config),
    stacks,
    guardrails: evaluateGuardrails(stacks, config),
    access: accessMatrix(config),
  };
}

/** The stacks of a validated config as synth writes them, synthesized into a temporary folder that is removed again. */
export function synthesizeInMemory(config: RegistryConfig): SynthesizedStack[] {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ecr-model-registry-review-"));
  try {
    buildApp(config, { outdir: scratch }).synth();
    return readSynthesizedStacks(scratch);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** A guardrail's verdict on one setting; `unchecked` where no rule looks at it (e.g. tag mutability outside protected environments). */
export type CheckStatus = "pass" | "waived" | "violation" | "unchecked";

/** One item of the posture checklist: the setting as ECR gets it, and the guardrail verdict. */
export interface PostureItem {
  readonly status: CheckStatus;
  /** The setting in a few words, e.g. `on push`, `KMS, environment key`, `IMMUTABLE`. */
  readonly value: string;
}

/** The posture of one repository in one environment, read from its synthesized stack. */
export interface RepositoryPosture {
  readonly environment: string;
  readonly repository: string;
  /** The repository's name in AWS, when it differs from its name in the config (a renamed repository keeps its first name). */
  readonly awsName?: string;
  /** The region of this copy: the environment's, or a replica's (docs/replication.md). */
  readonly region: string;
  /** Whether this is a replica, declared in `stack` (the source environment's or the destination account's). */
  readonly replica: boolean;
  /** The stack that declares it. */
  readonly stack: string;
  readonly scan: PostureItem;
  readonly immutability: PostureItem;
  readonly encryption: PostureItem;
  readonly lifecycle: PostureItem;
  /** Each lifecycle rule in a few words, in priority order, e.g. `untagged: expire after 14 days`. */
  readonly lifecycleRules: readonly string[];
  /** Replication destinations (`region` or `region (account)`), sorted; empty when not replicated. */
  readonly replication: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  /** The guardrail rules waived for it here, with the index of the waiver in `guardrails.waivers`. */
  readonly waivers: ReadonlyArray<{ readonly rule: string; readonly waiver: number }>;
  /** Set when the stack imports the repository (`adopt`): which of its policies in AWS this stack's replace on apply. */
  readonly adoption?: Adoption;
}

/**
 * What applying an adopting stack does to the existing repository's policies: ECR keeps one
 * repository policy and one lifecycle policy per repository, so the stack's own replace them
 * (and ones it does not declare are left as they are).
 */
export interface Adoption {
  readonly replacesRepositoryPolicy: boolean;
  readonly replacesLifecyclePolicy: boolean;
}

/**
 * Every repository of every environment, then each replica of it this config governs, sorted by
 * environment, repository name and (replicas after their source) region.
 */
export function repositoryPostures(snapshot: ReviewSnapshot): RepositoryPosture[] {
  const postures: RepositoryPosture[] = [];
  const byAddress = new Map<string, GuardrailResult[]>();
  for (const result of snapshot.guardrails.results) {
    const key = `${result.stack} ${result.address}`;
    const list = byAddress.get(key);
    if (list) list.push(result);
    else byAddress.set(key, [result]);
  }
  const posture = (
    stack: SynthesizedStack,
    id: string,
    at: { environment: string; repository: string; region: string; replica: boolean },
  ): RepositoryPosture | undefined => {
    const body = stack.json.resource?.aws_ecr_repository?.[id];
    if (!body) return undefined;
    const results = byAddress.get(`${stack.name} aws_ecr_repository.${id}`) ?? [];
    const verdict = (rule: string): CheckStatus => results.find((r) => r.rule === rule)?.status ?? "unchecked";
    const rules = lifecycleRulesOf(stack, id);
    return {
      ...at,
      stack: stack.name,
      scan: { status: verdict("ecr-scan-on-push"), value: scanValue(body, results.find((r) => r.rule === "ecr-scan-on-push")) },
      immutability: { status: verdict("ecr-tag-immutability"), value: mutabilityValue(body) },
      encryption: { status: verdict("ecr-kms-encryption"), value: encryptionValue(body) },
      lifecycle: { status: verdict("ecr-lifecycle-policy"), value: ruleCount(rules) },
      lifecycleRules: rules,
      replication: at.replica ? [] : replicationOf(stack, String(body.name)),
      tags: Object.fromEntries(Object.entries((body.tags ?? {}) as Record<string, string>).sort(([a], [b]) => compare(a, b))),
      waivers: results.filter((r) => r.status === "waived" && r.waiver !== undefined).map((r) => ({ rule: r.rule, waiver: r.waiver! })),
    };
  };
  // Replicas by source environment and repository, from the stacks that declare them.
  const replicas = new Map<string, RepositoryPosture[]>();
  for (const declarer of snapshot.environments) {
    const stack = environmentStack(snapshot, declarer.name);
    if (!stack) continue;
    for (const plan of replicaRegistriesFor(snapshot.config, declarer)) {
      for (const { repository, source } of plan.repositories) {
        const at = { environment: source.name, repository: repository.name, region: plan.region, replica: true };
        const found = posture(stack, replicaId(repositoryId(repository.name), plan.region), at);
        const key = `${source.name}\0${repository.name}`;
        if (found) replicas.set(key, [...(replicas.get(key) ?? []), { ...found, ...awsNameField(snapshot.config, repository.name) }]);
      }
    }
  }
  for (const environment of [...snapshot.environments].sort((a, b) => compare(a.name, b.name))) {
    const stack = environmentStack(snapshot, environment.name);
    if (!stack) continue;
    for (const name of environment.repositories.map((r) => r.name).sort(compare)) {
      const found = posture(stack, repositoryId(name), { environment: environment.name, repository: name, region: environment.region, replica: false });
      if (found) postures.push({ ...found, ...awsNameField(snapshot.config, name), adoption: adoptionOf(stack, name, found.lifecycleRules.length > 0) });
      postures.push(...(replicas.get(`${environment.name}\0${name}`) ?? []).sort((a, b) => compare(a.region, b.region)));
    }
  }
  return postures;
}

function adoptionOf(stack: SynthesizedStack, name: string, hasLifecyclePolicy: boolean): Adoption | undefined {
  const address = `aws_ecr_repository.${repositoryId(name)}`;
  if (!(stack.json.import ?? []).some((block) => block.to === address)) return undefined;
  return {
    replacesRepositoryPolicy: stack.json.resource?.aws_ecr_repository_policy?.[repositoryPolicyId(name)] !== undefined,
    replacesLifecyclePolicy: hasLifecyclePolicy,
  };
}

/**
 * The synthesized stack of one environment of the snapshot, with the resources, outputs and
 * import blocks of its repository groups' stacks merged in (docs/stack-groups.md): the report is
 * about what the environment holds, whichever of its stacks declares it.
 */
export function environmentStack(snapshot: ReviewSnapshot, environment: string): SynthesizedStack | undefined {
  const own = snapshot.stacks.find((s) => s.name === stackName(snapshot.config.project, environment));
  const resolved = snapshot.environments.find((e) => e.name === environment);
  if (!own || !resolved) return own;
  const names = new Set(stacksOfEnvironment(snapshot.config, resolved).slice(1).map((s) => s.name));
  const groups = snapshot.stacks.filter((s) => names.has(s.name));
  if (groups.length === 0) return own;
  const resource: Record<string, Record<string, any>> = {};
  for (const stack of [own, ...groups]) for (const [type, byId] of Object.entries(stack.json.resource ?? {})) resource[type] = { ...resource[type], ...byId };
  const imports = [own, ...groups].flatMap((s) => s.json.import ?? []);
  return {
    name: own.name,
    json: {
      ...own.json,
      resource,
      output: Object.assign({}, ...[own, ...groups].map((s) => s.json.output ?? {})),
      ...(imports.length > 0 ? { import: imports } : {}),
    },
  };
}

/** A nested block as synthesized: cdktf writes some as one-element lists, others as objects. */
export function first(value: unknown): Record<string, any> | undefined {
  if (Array.isArray(value)) return value[0];
  return value && typeof value === "object" ? (value as Record<string, any>) : undefined;
}

/** How ECR will scan the repository: the guardrail judges the registry's rules, which override the repository's flag. */
function scanValue(body: Record<string, any>, result: GuardrailResult | undefined): string {
  if (first(body.image_scanning_configuration)?.scan_on_push !== true) return "off";
  if (!result) return "on push";
  if (result.status !== "pass") return "no registry rule matches";
  return /\bscanned continuously\b/.test(result.detail) ? "continuous" : "on push";
}

export function mutabilityValue(body: Record<string, any>): string {
  const mutability = String(body.image_tag_mutability ?? "MUTABLE");
  const exclusions = ((body.image_tag_mutability_exclusion_filter ?? []) as Array<{ filter: string }>).map((f) => String(f.filter)).sort(compare);
  return exclusions.length > 0 ? `${mutability} (${exclusions.join(", ")})` : mutability;
}

export function encryptionValue(body: Record<string, any>): string {
  const encryption = first(body.encryption_configuration);
  const type = String(encryption?.encryption_type ?? "AES256");
  if (type !== "KMS") return type;
  const key = encryption?.kms_key;
  if (!key) return "KMS, AWS managed key";
  return /^\$\{aws_kms_key\./.test(String(key)) ? "KMS, environment key" : `KMS, ${String(key)}`;
}

function lifecycleRulesOf(stack: SynthesizedStack, id: string): string[] {
  const reference = `\${aws_ecr_repository.${id}.name}`;
  const policy = Object.values(stack.json.resource?.aws_ecr_lifecycle_policy ?? {}).find((p) => p.repository === reference);
  return policy ? lifecycleRulesIn(policy.policy) : [];
}

/** How many lifecycle rules, in words: `none`, `1 rule`, `4 rules`. */
export function ruleCount(rules: readonly string[]): string {
  return rules.length === 0 ? "none" : rules.length === 1 ? "1 rule" : `${rules.length} rules`;
}

/** Each rule of a lifecycle policy document in a few words, in priority order. */
export function lifecycleRulesIn(policy: unknown): string[] {
  let rules: any[];
  try {
    rules = JSON.parse(String(policy)).rules ?? [];
  } catch {
    return ["(not a JSON lifecycle policy)"];
  }
  return [...rules].sort((a, b) => a.rulePriority - b.rulePriority).map(describeLifecycleRule);
}

/** A lifecycle rule in a few words: what it selects, then what it does. */
export function describeLifecycleRule(rule: { selection: Record<string, any> }): string {
  const s = rule.selection;
  const tags = [...(s.tagPatternList ?? []), ...(s.tagPrefixList ?? []).map((p: string) => `${p}*`)];
  const selected = `${s.tagStatus}${tags.length > 0 ? ` ${tags.join(", ")}` : ""}`;
  if (s.countType === "imageCountMoreThan" && s.countNumber >= PROTECTED_TAG_KEEP_COUNT) return `${selected}: protected`;
  if (s.countType === "imageCountMoreThan") return `${selected}: keep the last ${s.countNumber}`;
  return `${selected}: expire after ${s.countNumber} ${s.countUnit ?? "days"}`;
}

/** Where ECR replicates a repository: the destinations of every rule whose prefix filter matches its name (no filter: every repository). */
export function replicationOf(stack: SynthesizedStack, awsName: string): string[] {
  const destinations = new Set<string>();
  for (const resource of Object.values(stack.json.resource?.aws_ecr_replication_configuration ?? {})) {
    const rules: any[] = first(resource.replication_configuration)?.rule ?? [];
    for (const rule of rules) {
      const filters: any[] = rule.repository_filter ?? [];
      if (filters.length > 0 && !filters.some((f) => awsName.startsWith(String(f.filter)))) continue;
      for (const d of rule.destination ?? []) destinations.add(replicationDestination(d));
    }
  }
  return [...destinations].sort(compare);
}

/** A replication destination as the report names it: `region (account)`, or `region` without an account. */
export function replicationDestination(destination: { region?: unknown; registry_id?: unknown }): string {
  return destination.registry_id ? `${destination.region} (${destination.registry_id})` : String(destination.region);
}

/**
 * `{ awsName }` when the repository's name in AWS differs from its config name, else `{}`. The one
 * place the review asks for the AWS name (`awsRepositoryName`), for the posture and the changes.
 */
export function awsNameField(config: RegistryConfig, repository: string): { awsName?: string } {
  const declared = config.repositories.find((r) => r.name === repository);
  const awsName = declared ? awsRepositoryName(declared) : repository;
  return awsName !== repository ? { awsName } : {};
}

/** What an identity policy lets its role do: push or pull a repository, pull through a cache, or sign. */
export type AttachmentLevel = AccessLevel | "pull-through" | "sign";

/**
 * What someone must attach by hand for a principal's grant to work: ECR's login
 * (`ecr:GetAuthorizationToken`) cannot come from a repository policy, so every role or user that
 * pushes, pulls or pulls through a cache also needs an identity policy; and a principal of another
 * account needs one in its own account for any grant, signing included (IAM's cross-account
 * evaluation; docs/aws-semantics.md). For principals of the environment's own account with
 * `identityPolicies: true`, the stack creates it and the row names it (and its output); the rest
 * need one written in their own account.
 */
export interface IdentityPolicyAttachment {
  readonly environment: string;
  /** The role, user or account root ARN that needs the policy. */
  readonly principal: string;
  /** The repository; for a cache, its repositories (`<prefix>/*`); for signing, the profile's name. */
  readonly repository: string;
  readonly level: AttachmentLevel;
  /** The IAM policy the stack creates for it, with the output carrying its ARN. */
  readonly policy?: { readonly name: string; readonly output: string };
  /** The account it must be attached in, when known. */
  readonly account?: string;
}

/** Every identity policy a human must attach, sorted by environment, principal and repository. */
export function identityPolicyAttachments(snapshot: ReviewSnapshot): IdentityPolicyAttachment[] {
  const rows: IdentityPolicyAttachment[] = [];
  for (const grant of snapshot.access) {
    if (grant.grantee.kind !== "principal") continue;
    const policy = { id: identityPolicyId(grant.repository, grant.level), output: identityPolicyOutputName(grant.repository, grant.level) };
    rows.push(attachment(snapshot, grant.environment, grant.grantee, grant.repository, grant.level, policy));
  }
  // Cache consumers and signers need one too; a signer of another account despite its profile permission.
  for (const environment of snapshot.environments) {
    for (const cache of pullThroughCacheRulesFor(snapshot.config, environment)) {
      const policy = { id: pullThroughCachePolicyId(cache.prefix), output: pullThroughCachePolicyOutputName(cache.prefix) };
      for (const consumer of cache.consumers) rows.push(attachment(snapshot, environment.name, consumer, `${cache.prefix}/*`, "pull-through", policy));
    }
    const signing = signingProfileFor(snapshot.config, environment);
    const policy = { id: FEATURE_IDS.signingProfile, output: FEATURE_OUTPUTS.signingPolicyArn };
    for (const signer of signing?.signers ?? []) rows.push(attachment(snapshot, environment.name, signer, signing!.name, "sign", policy));
  }
  return rows.sort((a, b) => compare(a.environment, b.environment) || compare(a.principal, b.principal) || compare(a.repository, b.repository));
}

/**
 * One principal's attachment: the IAM policy the environment's stacks create under `policy.id`
 * (repository grants: `RepositoryIdentityPolicy`; caches: `PullThroughCacheRule`; signing:
 * `ModelSigningProfile`) with the output holding its ARN, when the principal is of the
 * environment's own account and the stack creates one; else the account to write one in.
 */
function attachment(
  snapshot: ReviewSnapshot,
  environment: string,
  principal: { readonly arn: string; readonly sameAccount?: boolean },
  repository: string,
  level: AttachmentLevel,
  policy: { readonly id: string; readonly output: string },
): IdentityPolicyAttachment {
  const created = principal.sameAccount ? environmentStack(snapshot, environment)?.json.resource?.aws_iam_policy?.[policy.id] : undefined;
  const account = principalAccount(principal.arn);
  return {
    environment,
    principal: principal.arn,
    repository,
    level,
    ...(created ? { policy: { name: String(created.name), output: policy.output } } : {}),
    ...(account ? { account } : {}),
  };
}
