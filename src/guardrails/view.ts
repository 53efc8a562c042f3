import { ROOT_PREFIX } from "../config/schema/creation-templates";
import { prefixOf } from "../config/schema/pull-through-cache";
import type { RegistryConfig } from "../config/schema";
import { repositoryNameFromId, stateStackName, awsProviderAlias, splitReplicaId } from "../naming";
import type { ResourceBody, SynthesizedStack, TerraformJson } from "../synthesized/stack";
import { repositoryGrants } from "../access/matrix";
import { resolveEnvironments } from "../plan/environments";
import { environmentStackPlans } from "../plan/stack-groups";
import { ParsedStatement, parsePolicy } from "./policy";

/**
 * What the guardrails look at: each stack's Terraform JSON exactly as synth writes it
 * (`cdk.tf.json`), plus the little they need from the config to name environments and point
 * at the config field behind a setting. Nothing here reads the YAML's settings themselves.
 */

/** The stack's AWS provider block (`region`, `allowed_account_ids`): the stacks declare one. */
export function awsProvider(json: TerraformJson): Record<string, unknown> {
  return json.provider?.aws?.[0] ?? {};
}

/** What kind of stack it is, from the config. */
export interface StackInfo {
  /** `environment`: a registry stack; `state`: the state bootstrap stack. */
  readonly kind: "environment" | "state";
  /** The environment's name (environment stacks only). */
  readonly environment?: string;
  /** Whether the environment is protected (`protected`, or named prod/production). */
  readonly protected: boolean;
}

/** One resource of one stack. */
export interface ResourceView {
  readonly stack: StackView;
  readonly type: string;
  readonly id: string;
  /** `type.id`, the Terraform address within the stack. */
  readonly address: string;
  readonly body: ResourceBody;
}

export class StackView {
  readonly name: string;
  readonly info: StackInfo;
  readonly json: TerraformJson;
  private readonly byType = new Map<string, ResourceView[]>();
  private readonly referrers = new Map<string, Map<string, ResourceView[]>>();

  constructor(stack: SynthesizedStack, info: StackInfo) {
    this.name = stack.name;
    this.info = info;
    this.json = stack.json;
  }

  /** Every resource of a type, sorted by logical id. */
  resources(type: string): ResourceView[] {
    let list = this.byType.get(type);
    if (!list) {
      const byId = this.json.resource?.[type] ?? {};
      list = Object.keys(byId)
        .sort()
        .map((id) => ({ stack: this, type, id, address: `${type}.${id}`, body: byId[id] }));
      this.byType.set(type, list);
    }
    return list;
  }

  /**
   * The resources of `type` whose `argument` points at `target`: a `${target.address.<attribute>}`
   * reference, or the literal value of the target's `attribute`. Indexed once per type and argument.
   */
  resourcesReferring(type: string, argument: string, target: ResourceView, attribute: string): ResourceView[] {
    const key = `${type} ${argument}`;
    let index = this.referrers.get(key);
    if (!index) {
      index = new Map();
      for (const resource of this.resources(type)) {
        const value = resource.body[argument];
        const at = referencedAddress(value) ?? (typeof value === "string" ? `literal:${value}` : undefined);
        if (at === undefined) continue;
        const list = index.get(at);
        if (list) list.push(resource);
        else index.set(at, [resource]);
      }
      this.referrers.set(key, index);
    }
    const literal = target.body[attribute];
    return [...(index.get(target.address) ?? []), ...(typeof literal === "string" ? (index.get(`literal:${literal}`) ?? []) : [])];
  }


  /**
   * The registry (account and region) the stack deploys into, from its AWS provider: ECR's
   * registry-wide settings apply to every stack with the same key. An unknown account is "".
   */
  get registryKey(): string {
    return providerRegistryKey(awsProvider(this.json));
  }

  /**
   * The registry a resource is in: that of its aliased provider (`provider = "aws.<alias>"`, as
   * replicas in other regions have), else the stack's.
   */
  registryKeyOf(body: ResourceBody): string {
    const alias = awsProviderAlias(body.provider);
    if (alias === undefined) return this.registryKey;
    const provider = (this.json.provider?.aws ?? []).find((p) => p.alias === alias);
    return provider ? providerRegistryKey(provider) : this.registryKey;
  }
}

function providerRegistryKey(provider: Record<string, unknown>): string {
  const accounts = provider.allowed_account_ids as string[] | undefined;
  return `${String(provider.region ?? "")}|${accounts?.[0] ?? ""}`;
}

/** Whose setting a check is about: what a waiver can name. */
export type Subject =
  | { readonly kind: "repository"; readonly name: string }
  | { readonly kind: "creationTemplate"; readonly prefix: string }
  | { readonly kind: "environment" }
  | { readonly kind: "state" };

/** Every stack with the config facts the rules need, and the config paths behind settings. */
export class GuardrailView {
  readonly stacks: readonly StackView[];
  private readonly config: RegistryConfig;
  private readonly repositoryIndex: Map<string, number>;
  private readonly templateIndex: Map<string, number>;
  private readonly parsedPolicies = new Map<string, ParsedStatement[] | undefined>();
  private readonly repositoryNames = new Map<string, string>();

  constructor(stacks: readonly SynthesizedStack[], config: RegistryConfig) {
    this.config = config;
    this.repositoryIndex = new Map(config.repositories.map((r, i) => [r.name, i]));
    this.templateIndex = new Map(config.repositoryCreationTemplates.map((t, i) => [t.prefix, i]));
    const infos = new Map<string, StackInfo>();
    infos.set(stateStackName(config.project), { kind: "state", protected: true });
    // Every stack of an environment, its repository groups' too (docs/stack-groups.md), is judged as the environment.
    for (const { environment, stack } of environmentStackPlans(config))
      infos.set(stack.name, { kind: "environment", environment: environment.name, protected: environment.protected });
    this.stacks = [...stacks]
      .sort((a, b) => compare(a.name, b.name))
      .map((s) => new StackView(s, infos.get(s.name) ?? { kind: "environment", protected: false }));
  }

  environmentStacks(): StackView[] {
    return this.stacks.filter((s) => s.info.kind === "environment");
  }

  /** The statements of a policy text (`parsePolicy`), parsed once however many rules read them. */
  policyStatements(text: unknown): ParsedStatement[] | undefined {
    if (typeof text !== "string") return undefined;
    if (!this.parsedPolicies.has(text)) this.parsedPolicies.set(text, parsePolicy(text));
    return this.parsedPolicies.get(text);
  }

  /**
   * The config name of the repository a per-repository logical id belongs to (ids derive from
   * names, see naming.ts); remembered, as every rule asks about every repository.
   */
  repositoryOfId(id: string): string {
    let name = this.repositoryNames.get(id);
    // A replica's resources end in `__<region>`; they belong to the repository they replicate.
    if (name === undefined) this.repositoryNames.set(id, (name = repositoryNameFromId(splitReplicaId(id).id)));
    return name;
  }

  /** The subject a stack-level setting belongs to. */
  stackSubject(stack: StackView): Subject {
    return stack.info.kind === "state" ? { kind: "state" } : { kind: "environment" };
  }

  /** `repositories[i].<field>` for a repository declared in config, else undefined. */
  repositoryPath(name: string, field?: string): string | undefined {
    const index = this.repositoryIndex.get(name);
    if (index === undefined) return undefined;
    return field ? `repositories[${index}].${field}` : `repositories[${index}]`;
  }

  /** Where a repository's lifecycle policy comes from: its own `lifecycle`, else the registry-wide one. */
  repositoryLifecyclePath(name: string): string | undefined {
    const repo = this.repository(name);
    if (!repo) return undefined;
    return repo.lifecycle ? this.repositoryPath(name, "lifecycle") : "lifecycle";
  }

  /** Where a repository's consumers (its policy) come from: its own list, else the registry-wide one. */
  repositoryConsumersPath(name: string): string | undefined {
    const repo = this.repository(name);
    if (!repo) return undefined;
    return repo.consumers ? this.repositoryPath(name, "consumers") : "consumers";
  }

  /**
   * How many grantees the config gives access to a repository of an environment in a region
   * (a replica's region: the consumers that list it in `regions`).
   */
  grantsIn(environment: string, repository: string, region: string): number {
    const env = resolveEnvironments(this.config).find((e) => e.name === environment);
    return env ? repositoryGrants(this.config, env, repository, region).length : 0;
  }

  /** `repositoryCreationTemplates[i].<field>` for a declared template prefix, else undefined. */
  templatePath(prefix: string, field?: string): string | undefined {
    const index = this.templateIndex.get(prefix);
    if (index === undefined) return undefined;
    return field ? `repositoryCreationTemplates[${index}].${field}` : `repositoryCreationTemplates[${index}]`;
  }

  private repository(name: string): RegistryConfig["repositories"][number] | undefined {
    const index = this.repositoryIndex.get(name);
    return index === undefined ? undefined : this.config.repositories[index];
  }

  /** `environments[i].<field>` for the environment of a stack, else undefined. */
  environmentPath(stack: StackView, field?: string): string | undefined {
    const index = this.config.environments.findIndex((e) => e.name === stack.info.environment);
    if (index < 0) return undefined;
    return field ? `environments[${index}].${field}` : `environments[${index}]`;
  }

  /** Where a stack's state backend comes from: the environment's own `state`, else the registry's. */
  backendPath(stack: StackView): string {
    const env = this.config.environments.find((e) => e.name === stack.info.environment);
    return env?.state || env?.stateKey ? this.environmentPath(stack, env.state ? "state" : "stateKey")! : "state";
  }

  /** `pullThroughCache.rules[i].consumers` for the stack's rule with this prefix, else `pullThroughCache`. */
  pullThroughCachePath(stack: StackView, prefix: string): string {
    const index = (this.config.pullThroughCache?.rules ?? []).findIndex(
      (r) => prefixOf(r) === prefix && (!r.environments || r.environments.includes(stack.info.environment ?? "")),
    );
    return index < 0 ? "pullThroughCache" : `pullThroughCache.rules[${index}].consumers`;
  }

  /** `scanning.rules` when the config writes the registry scanning rules itself (they decide what ECR scans). */
  scanningRulesPath(): string | undefined {
    return this.config.scanning.rules ? "scanning.rules" : undefined;
  }
}

/** The resource a `${type.id.attribute}` reference points at, as `type.id`; undefined for literals. */
export function referencedAddress(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^\$\{([a-zA-Z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$/.exec(value);
  return match ? `${match[1]}.${match[2]}` : undefined;
}

/** The scope a creation template prefix covers, for messages: `ecr-public/*`, or every repository for ROOT. */
export function templateNamespace(prefix: string): string {
  return prefix === ROOT_PREFIX ? "every repository no other template matches" : `${prefix}/*`;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
