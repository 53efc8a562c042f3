/**
 * A read-only view of one synthesized stack (`cdk.tf.json`), independent of the constructs that
 * produced it: the hand-off generator describes whatever a stack contains, including resources and
 * outputs added by features it does not know about, and the review report diffs two such views.
 */

/** One stack as synth wrote it: its name and its parsed `cdk.tf.json`. Guardrails, the removal guard and the review read it. */
export interface SynthesizedStack {
  /** Stack name, e.g. `model-registry-prod`. */
  readonly name: string;
  readonly json: TerraformJson;
}

/** The parts of a Terraform JSON document the checks on synthesized stacks read. */
export interface TerraformJson {
  readonly terraform?: { readonly backend?: Record<string, Record<string, unknown>>; readonly cloud?: Record<string, unknown> };
  readonly provider?: { readonly aws?: ReadonlyArray<Record<string, unknown>> };
  readonly resource?: Record<string, Record<string, ResourceBody>>;
  readonly output?: Record<string, { readonly value?: unknown; readonly description?: string }>;
  /** Terraform import blocks (adopted repositories). */
  readonly import?: ReadonlyArray<{ readonly to: string; readonly id: string }>;
}

export type ResourceBody = Record<string, any>;

/** A `resource` or `data` block. */
export interface SynthesizedResource {
  /** `managed` for `resource` blocks, `data` for data sources. */
  readonly mode: "managed" | "data";
  /** Provider resource type, e.g. `aws_ecr_repository`. */
  readonly type: string;
  /** Terraform name (the logical id), e.g. `ai-models__llm-inference`. */
  readonly name: string;
  /** Terraform address: `aws_ecr_repository.ai-models__llm-inference` or `data.aws_caller_identity.current`. */
  readonly address: string;
  /** The block's arguments as synthesized (references stay `${...}` strings). */
  readonly config: Readonly<Record<string, unknown>>;
  /** `lifecycle.prevent_destroy` is set. */
  readonly preventDestroy: boolean;
}

export interface SynthesizedOutput {
  readonly name: string;
  /** The output's value expression as synthesized, e.g. `${aws_ecr_repository.x.repository_url}`. */
  readonly value: unknown;
  readonly description?: string;
  /** Terraform redacts it, and `cdktf output --outputs-file` omits it unless asked to include sensitive outputs. */
  readonly sensitive: boolean;
}

/** Where the stack keeps its state: a `terraform.backend.<type>` block, or `terraform.cloud` as type `cloud`. */
export interface SynthesizedBackend {
  readonly type: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface SynthesizedProvider {
  /** Provider local name, e.g. `aws`. */
  readonly name: string;
  readonly alias?: string;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface RequiredProvider {
  readonly name: string;
  readonly source: string;
  readonly version?: string;
}

/** A `moved` block: Terraform moves state from one address to another instead of replacing. */
export interface SynthesizedMove {
  readonly from: string;
  readonly to: string;
}

/** A `removed` block: Terraform forgets the address (its object stays in AWS) when `destroy` is false. */
export interface SynthesizedRemoval {
  readonly from: string;
  readonly destroy: boolean;
}

export interface ParsedStack {
  /** Stack name, e.g. `model-registry-prod`. */
  readonly name: string;
  /** The exact text of `cdk.tf.json`. */
  readonly text: string;
  /** `text`, parsed. */
  readonly json: Readonly<Record<string, any>>;
  /** Managed resources, sorted by address. */
  readonly resources: readonly SynthesizedResource[];
  /** Data sources, sorted by address. */
  readonly dataSources: readonly SynthesizedResource[];
  /** Outputs, sorted by name. */
  readonly outputs: readonly SynthesizedOutput[];
  /** Absent when the stack uses Terraform's default local state. */
  readonly backend?: SynthesizedBackend;
  /** Provider configurations, sorted by name and alias. */
  readonly providers: readonly SynthesizedProvider[];
  /** `terraform.required_providers`, sorted by name. */
  readonly requiredProviders: readonly RequiredProvider[];
  readonly moves: readonly SynthesizedMove[];
  readonly removals: readonly SynthesizedRemoval[];
}

/** Builds the view of one stack from the text of its `cdk.tf.json`. */
export function parseStack(name: string, text: string): ParsedStack {
  const json = JSON.parse(text) as Record<string, any>;
  const terraform: Record<string, any> = json.terraform ?? {};
  return {
    name,
    text,
    json,
    resources: blocks(json.resource, "managed"),
    dataSources: blocks(json.data, "data"),
    outputs: Object.entries<Record<string, any>>(json.output ?? {})
      .map(([outputName, output]) => ({
        name: outputName,
        value: output.value,
        description: typeof output.description === "string" ? output.description : undefined,
        sensitive: output.sensitive === true,
      }))
      .sort(byKey((o) => o.name)),
    backend: backendOf(terraform),
    providers: Object.entries<unknown>(json.provider ?? {})
      .flatMap(([providerName, configs]) =>
        (Array.isArray(configs) ? configs : [configs]).map((config: Record<string, unknown>) => ({
          name: providerName,
          alias: typeof config.alias === "string" ? config.alias : undefined,
          config,
        })),
      )
      .sort(byKey((p) => `${p.name}.${p.alias ?? ""}`)),
    requiredProviders: Object.entries<any>(terraform.required_providers ?? {})
      .map(([providerName, requirement]) => ({
        name: providerName,
        source: typeof requirement === "string" ? providerName : String(requirement.source ?? providerName),
        version: typeof requirement === "string" ? requirement : requirement.version,
      }))
      .sort(byKey((p) => p.name)),
    moves: (Array.isArray(json.moved) ? json.moved : json.moved ? [json.moved] : []).map((m: any) => ({
      from: String(m.from),
      to: String(m.to),
    })),
    removals: (Array.isArray(json.removed) ? json.removed : json.removed ? [json.removed] : []).map((r: any) => ({
      from: String(r.from),
      destroy: (Array.isArray(r.lifecycle) ? r.lifecycle[0] : r.lifecycle)?.destroy !== false,
    })),
  };
}

function blocks(section: unknown, mode: SynthesizedResource["mode"]): SynthesizedResource[] {
  const out: SynthesizedResource[] = [];
  for (const [type, byName] of Object.entries<Record<string, Record<string, any>>>((section ?? {}) as any)) {
    for (const [name, config] of Object.entries(byName)) {
      out.push({
        mode,
        type,
        name,
        address: `${mode === "data" ? "data." : ""}${type}.${name}`,
        config,
        preventDestroy: config.lifecycle?.prevent_destroy === true,
      });
    }
  }
  return out.sort(byKey((r) => r.address));
}

function backendOf(terraform: Record<string, any>): SynthesizedBackend | undefined {
  if (terraform.cloud) return { type: "cloud", settings: terraform.cloud };
  const [entry] = Object.entries<Record<string, unknown>>(terraform.backend ?? {});
  return entry ? { type: entry[0], settings: entry[1] } : undefined;
}

/** A comparator on a string key, independent of locale so output is the same on every machine. */
export function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}
