import { ROOT_PREFIX } from "../config/schema/creation-templates";
import { awsPrincipals, parsePolicy } from "../guardrails/policy";
import { awsProvider } from "../guardrails/view";
import type { ResourceBody, SynthesizedStack } from "../synthesized/stack";
import { FEATURE_IDS, awsProviderAlias } from "../naming";
import { encryptionValue, first, lifecycleRulesIn, mutabilityValue, replicationDestination, ruleCount } from "./snapshot";

/**
 * The settings of an environment's stack outside its repositories, read from the synthesized
 * stack like the repository posture, and what a change of each means to a reviewer.
 */

/** One part of a registry-wide setting: `key` names what it is about (a rule's prefix, a destination), `text` says it in a few words. */
export interface SettingItem {
  readonly key: string;
  readonly text: string;
  /** The replica region whose registry the item is about (docs/replication.md); undefined: the environment's own registry. */
  readonly replicaRegion?: string;
}

/** The items of one setting that only the base has, only the head has, or both have with different text. */
export interface ItemChange {
  readonly removed: readonly SettingItem[];
  readonly added: readonly SettingItem[];
  readonly changed: ReadonlyArray<{ readonly base: SettingItem; readonly head: SettingItem }>;
}

/**
 * Why a change deserves a reviewer's second look: `destructive` (Terraform would destroy the
 * repositories with their images), `state moves` (Terraform looks for the stack's state
 * elsewhere), `weakening` (less scanning or notification, ECR's defaults for repositories it
 * creates, or a provider that no longer refuses other accounts), `breaking` (something consumers
 * use goes away).
 */
export interface Concern {
  readonly label: "destructive" | "state moves" | "weakening" | "breaking";
  readonly why: string;
}

interface SettingSpec {
  /** The setting's items in the stack, in a fixed order; empty when the stack does not have it. */
  readonly items: (stack: SynthesizedStack) => SettingItem[];
  readonly concern: (change: ItemChange) => Concern | undefined;
}

/** Registry scan frequencies in words, from the least scanning to the most. */
const FREQUENCY_WORDS: Record<string, string> = { MANUAL: "manual", SCAN_ON_PUSH: "on push", CONTINUOUS_SCAN: "continuous" };

function resources(stack: SynthesizedStack, type: string): ResourceBody[] {
  return Object.values(stack.json.resource?.[type] ?? {});
}

function item(key: string, text: string = key, replicaRegion?: string): SettingItem {
  return replicaRegion ? { key, text, replicaRegion } : { key, text };
}

function code(text: string): string {
  return `\`${text}\``;
}

/** Every registry-wide setting the review compares, in report order. */
export const REGISTRY_SETTINGS = {
  region: {
    items: (stack) => {
      const region = awsProvider(stack.json).region;
      return region ? [item("region", String(region))] : [];
    },
    concern: ({ changed }) =>
      changed.length > 0
        ? {
            label: "destructive",
            why: `the stack's regional resources move to ${changed[0].head.text}, which Terraform does by replacing them: it destroys the repositories in ${changed[0].base.text} with their images (refused by AWS while they hold images, and by prevent_destroy in a protected environment) and creates them empty in ${changed[0].head.text}; add an environment in the new region instead`,
          }
        : undefined,
  },
  account: {
    items: (stack) => {
      const accounts = (awsProvider(stack.json).allowed_account_ids ?? []) as string[];
      return accounts.length > 0 ? [item("account", accounts.join(", "))] : [];
    },
    concern: ({ removed, changed }) => {
      if (changed.length > 0)
        return {
          label: "breaking",
          why: `the provider works in account ${changed[0].head.text} only, where Terraform creates this stack's repositories empty; those in ${changed[0].base.text} keep their images outside Terraform, and image URIs, which name the account, change for every consumer`,
        };
      return removed.length > 0 ? { label: "weakening", why: "the provider no longer refuses credentials of another account" } : undefined;
    },
  },
  "state backend": {
    items: (stack) => {
      const cloud = stack.json.terraform?.cloud as Record<string, any> | undefined;
      if (cloud) {
        const workspaces = cloud.workspaces ?? {};
        const workspace = workspaces.name ? `workspace ${workspaces.name}` : `workspaces tagged ${(workspaces.tags ?? []).join(", ")}`;
        return [item("location", `HCP Terraform ${cloud.hostname ?? "app.terraform.io"}, organization ${cloud.organization}, ${workspace}`)];
      }
      const s3 = stack.json.terraform?.backend?.s3 as Record<string, any> | undefined;
      if (!s3) return [];
      const locks = [s3.use_lockfile ? "lock file" : "", s3.dynamodb_table ? `DynamoDB table ${s3.dynamodb_table}` : ""].filter(Boolean);
      return [
        item("location", `s3://${s3.bucket}/${s3.key} (${s3.region})`),
        item("encryption", s3.kms_key_id ? `SSE-KMS ${s3.kms_key_id}` : "SSE-S3"),
        item("locking", locks.length > 0 ? `locked by ${locks.join(" and ")}` : "not locked"),
        ...(s3.assume_role?.role_arn ? [item("role", `through ${s3.assume_role.role_arn}`)] : []),
      ];
    },
    concern: ({ removed, changed }) =>
      [...removed, ...changed.map((c) => c.base)].some((i) => i.key === "location")
        ? {
            label: "state moves",
            why: "Terraform reads and writes this stack's state at the new location, where a plan finds no state and would create every resource again; move the state there before applying",
          }
        : undefined,
  },
  scanning: {
    items: (stack) =>
      resources(stack, "aws_ecr_registry_scanning_configuration").flatMap((body) => {
        const region = awsProviderAlias(body.provider);
        return [
          item("type", `${body.scan_type} scanning`, region),
          ...((body.rule ?? []) as any[]).flatMap((rule) =>
            ((rule.repository_filter ?? []) as any[]).map((f) => item(`filter ${f.filter}`, `${f.filter}: ${FREQUENCY_WORDS[rule.scan_frequency] ?? rule.scan_frequency}`, region)),
          ),
        ];
      }),
    concern: ({ removed, changed }) => {
      const reasons: string[] = [];
      const scanType = changed.find((c) => c.base.key === "type");
      if (scanType?.base.text.startsWith("ENHANCED") || removed.some((i) => i.key === "type" && i.text.startsWith("ENHANCED")))
        reasons.push("Amazon Inspector stops scanning (no continuous scans, no findings in language packages)");
      const lowered = changed.filter((c) => c.base.key.startsWith("filter ") && rank(c.head) < rank(c.base)).map((c) => c.base);
      const lost = [...removed.filter((i) => i.key.startsWith("filter ")), ...lowered];
      if (lost.length > 0) reasons.push(`repositories matching ${lost.map((i) => code(i.key.slice("filter ".length))).join(", ")} are scanned less or not at all`);
      return reasons.length > 0 ? { label: "weakening", why: reasons.join("; ") } : undefined;
    },
  },
  replication: {
    items: (stack) =>
      resources(stack, "aws_ecr_replication_configuration").flatMap((body) =>
        ((first(body.replication_configuration)?.rule ?? []) as any[]).flatMap((rule) => {
          const prefixes = ((rule.repository_filter ?? []) as any[]).map((f) => `${f.filter}*`);
          const from = prefixes.length > 0 ? prefixes.join(", ") : "every repository";
          return ((rule.destination ?? []) as any[]).map((d) => item(`${from} → ${replicationDestination(d)}`));
        }),
      ),
    concern: ({ removed }) =>
      removed.length > 0
        ? { label: "breaking", why: `images pushed from now on no longer reach ${removed.map((i) => i.key.split(" → ")[1]).join(", ")}; replicas already there stay` }
        : undefined,
  },
  "pull-through cache": {
    items: (stack) => [
      ...resources(stack, "aws_ecr_pull_through_cache_rule").map((body) => {
        const upstream = `${body.upstream_registry_url}${body.upstream_repository_prefix ? `/${body.upstream_repository_prefix}` : ""}`;
        const extras = [body.credential_arn ? `credentials ${body.credential_arn}` : "", body.custom_role_arn ? `role ${body.custom_role_arn}` : ""].filter(Boolean);
        return item(String(body.ecr_repository_prefix), `${body.ecr_repository_prefix}/ from ${upstream}${extras.length > 0 ? ` (${extras.join(", ")})` : ""}`);
      }),
      // Who may import through each cache: the registry policy's cache statements (see RegistryPolicy).
      ...resources(stack, "aws_ecr_registry_policy").flatMap((body) =>
        (parsePolicy(body.policy) ?? [])
          .filter((s) => s.actions.includes("ecr:BatchImportUpstreamImage"))
          .flatMap((s) => {
            const prefix = s.resources.map((r) => /:repository\/(.+)\/\*$/.exec(r)?.[1]).find(Boolean) ?? "?";
            return awsPrincipals(s.principal).map((principal) => item(`consumer ${prefix} ${principal}`, `${principal} may pull through ${prefix}/`));
          }),
      ),
    ],
    concern: ({ removed }) => {
      const rules = removed.filter((i) => !i.key.startsWith("consumer "));
      const consumers = removed.filter((i) => i.key.startsWith("consumer "));
      const reasons = [
        ...(rules.length > 0 ? [`pulls through ${rules.map((i) => code(`${i.key}/`)).join(", ")} stop working; the repositories the cache created keep their images`] : []),
        ...(consumers.length > 0 ? [`${consumers.map((i) => code(i.key.split(" ")[2])).join(", ")} can no longer pull images the cache has not imported yet`] : []),
      ];
      return reasons.length > 0 ? { label: "breaking", why: reasons.join("; ") } : undefined;
    },
  },
  "creation templates": {
    items: (stack) =>
      resources(stack, "aws_ecr_repository_creation_template").map((body) =>
        item(
          String(body.prefix),
          `${body.prefix}: ${[...(body.applied_for ?? [])].join(", ")}; ${mutabilityValue(body)}; ${encryptionValue(body)}; lifecycle ${ruleCount(
            body.lifecycle_policy ? lifecycleRulesIn(body.lifecycle_policy) : [],
          )}`,
          awsProviderAlias(body.provider),
        ),
      ),
    concern: ({ removed }) =>
      removed.length > 0
        ? {
            label: "weakening",
            why: `repositories ECR creates ${removed
              .map((i) => (i.key === ROOT_PREFIX ? "without a matching template" : `under ${code(`${i.key}/`)}`))
              .join(", ")} get ECR's defaults (mutable tags, AES256, no lifecycle policy)`,
          }
        : undefined,
  },
  notifications: {
    items: (stack) => {
      const rule = stack.json.resource?.aws_cloudwatch_event_rule?.[FEATURE_IDS.findings];
      if (!rule) return [];
      return [
        ...patternSeverities(rule.event_pattern).map((severity) => item(`severity ${severity}`, `${severity} findings`)),
        ...resources(stack, "aws_sns_topic_subscription").map((s) => item(`${s.protocol} ${s.endpoint}`, `to ${s.protocol} ${s.endpoint}`)),
      ];
    },
    concern: ({ removed }) => {
      const severities = removed.filter((i) => i.key.startsWith("severity "));
      const subscriptions = removed.filter((i) => !i.key.startsWith("severity "));
      const reasons = [
        ...(severities.length > 0 ? [`findings of severity ${severities.map((i) => i.key.slice("severity ".length)).join(", ")} no longer notify`] : []),
        ...(subscriptions.length > 0 ? [`findings no longer go to ${subscriptions.map((i) => code(i.key)).join(", ")}`] : []),
      ];
      return reasons.length > 0 ? { label: "weakening", why: reasons.join("; ") } : undefined;
    },
  },
  signing: {
    items: (stack) => [
      ...resources(stack, "aws_signer_signing_profile").map((body) => {
        const validity = first(body.signature_validity_period);
        return item(String(body.name), `profile ${body.name}, signatures valid ${validity?.value} ${String(validity?.type).toLowerCase()}`);
      }),
      ...resources(stack, "aws_signer_signing_profile_permission").map((body) => item(`signer ${body.principal}`, `${body.principal} may ${String(body.action).replace(/^signer:/, "")} (cross-account)`)),
    ],
    concern: ({ removed }) => {
      const profiles = removed.filter((i) => !i.key.startsWith("signer "));
      const signers = removed.filter((i) => i.key.startsWith("signer "));
      const reasons = [
        ...(profiles.length > 0 ? ["Terraform cancels the signing profile, so CI can no longer sign model images with it"] : []),
        ...(signers.length > 0 ? [`${signers.map((i) => code(i.key.slice("signer ".length))).join(", ")} can no longer sign`] : []),
      ];
      return reasons.length > 0 ? { label: "breaking", why: reasons.join("; ") } : undefined;
    },
  },
} satisfies Record<string, SettingSpec>;

export type RegistrySetting = keyof typeof REGISTRY_SETTINGS;

/** How much a scanning rule item scans: its frequency's place in `FREQUENCY_WORDS`. */
function rank(scanItem: SettingItem): number {
  return Object.values(FREQUENCY_WORDS).indexOf(scanItem.text.slice(scanItem.text.lastIndexOf(": ") + 2));
}

/** The severities a findings rule's event pattern selects (see `findingsEventPattern`), in its order. */
function patternSeverities(eventPattern: unknown): string[] {
  let pattern: any;
  try {
    pattern = JSON.parse(String(eventPattern));
  } catch {
    return ["(not a JSON event pattern)"];
  }
  const detail = pattern.detail ?? {};
  if (Array.isArray(detail.severity)) return detail.severity.map(String);
  const counts: any[] = detail.$or ?? [detail];
  return counts.flatMap((c) => Object.keys(c["finding-severity-counts"] ?? {}));
}

/** How the items of one setting differ, matched by key; undefined when they do not. */
export function itemChange(base: readonly SettingItem[], head: readonly SettingItem[]): ItemChange | undefined {
  const headByKey = new Map(head.map((i) => [i.key, i]));
  const baseKeys = new Set(base.map((i) => i.key));
  const removed = base.filter((i) => !headByKey.has(i.key));
  const added = head.filter((i) => !baseKeys.has(i.key));
  const changed = base.flatMap((i) => {
    const after = headByKey.get(i.key);
    return after && after.text !== i.text ? [{ base: i, head: after }] : [];
  });
  return removed.length + added.length + changed.length > 0 ? { removed, added, changed } : undefined;
}
