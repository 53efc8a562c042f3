/**
 * What the end-to-end test changes in a copy of each synthesized stack so that Terraform with the
 * machine's AWS provider (5.100.0, a filesystem mirror) can apply it against the moto emulator.
 * The product's output is never changed: the e2e writes an adapted copy. Every adaptation is
 * listed here, once, with its reason, and printed by each run; when the provider mirror or moto
 * catch up, an entry is deleted and the e2e covers more.
 */

/** The AWS provider version of the machine's filesystem mirror; the stacks pin 6.25.0. */
export const MIRROR_PROVIDER_VERSION = "5.100.0";

/** An argument that provider 6.x has and 5.100 does not: removed from every resource of the type. */
export interface DroppedArgument {
  readonly resourceType: string;
  readonly argument: string;
  readonly reason: string;
}

/** A value that 5.100 refuses, replaced by the nearest one it accepts. */
export interface ReplacedValue {
  readonly resourceType: string;
  readonly argument: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

/** A resource type the emulator does not implement: removed, with whatever refers to it. */
export interface DroppedResourceType {
  readonly resourceType: string;
  readonly reason: string;
  /** Only resources for which this holds; every resource of the type when absent. */
  readonly when?: (body: Record<string, any>) => boolean;
}

/** The actions moto accepts in a registry policy (moto/ecr/models.py, _validate_registry_policy_action). */
const MOTO_REGISTRY_POLICY_ACTIONS = new Set(["ecr:CreateRepository", "ecr:ReplicateImage"]);

function policyActions(policy: unknown): string[] {
  const statements = typeof policy === "string" ? (JSON.parse(policy).Statement ?? []) : [];
  return statements.flatMap((s: { Action?: string | string[] }) => (Array.isArray(s.Action) ? s.Action : s.Action ? [s.Action] : []));
}

/** An attribute the emulator reports differently after apply, so a re-plan shows it as a change. */
export interface EmulatorDiff {
  readonly resourceType: string;
  readonly attribute: string;
  readonly reason: string;
}

export const DROPPED_ARGUMENTS: readonly DroppedArgument[] = [
  {
    resourceType: "aws_ecr_repository",
    argument: "image_tag_mutability_exclusion_filter",
    reason: "tag-mutability exclusion filters arrived in AWS provider 6.x; 5.100 has no such argument",
  },
];

export const REPLACED_VALUES: readonly ReplacedValue[] = [
  {
    resourceType: "aws_ecr_repository",
    argument: "image_tag_mutability",
    from: "IMMUTABLE_WITH_EXCLUSION",
    to: "IMMUTABLE",
    reason: "5.100 accepts only MUTABLE and IMMUTABLE (the exclusion filters above are dropped with it)",
  },
];

export const DROPPED_RESOURCE_TYPES: readonly DroppedResourceType[] = [
  {
    resourceType: "aws_ecr_pull_through_cache_rule",
    reason: "moto answers NotImplemented for CreatePullThroughCacheRule",
  },
  {
    resourceType: "aws_ecr_repository_creation_template",
    reason: "moto answers NotImplemented for CreateRepositoryCreationTemplate",
  },
  {
    resourceType: "aws_ecr_account_setting",
    reason: "moto 5.2.1 has no ECR PutAccountSetting/GetAccountSetting (BASIC_SCAN_TYPE_VERSION); provider 5.100 has the resource (added in 5.81)",
  },
  {
    resourceType: "aws_signer_signing_profile_permission",
    reason: "moto has no Signer ListProfilePermissions (it answers 404)",
  },
  {
    resourceType: "aws_ecr_registry_policy",
    reason:
      "moto accepts only ecr:CreateRepository and ecr:ReplicateImage in a registry policy; AWS also accepts ecr:BatchImportUpstreamImage (https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions-create.html)",
    when: (body) => policyActions(body.policy).some((action) => !MOTO_REGISTRY_POLICY_ACTIONS.has(action)),
  },
];

/**
 * Resource types left out of the first applies and applied last, because the emulator would
 * block the rest of the run with them in place.
 */
export const DEFERRED_RESOURCE_TYPES: readonly DroppedResourceType[] = [
  {
    resourceType: "aws_s3_bucket_policy",
    reason:
      "moto treats a Deny statement whose condition does not hold as a Deny (moto/iam/access_control.py, _check_conditions), so the TLS-only policy would refuse every state request, even over TLS; applied and read back at the end",
  },
];

/**
 * Not an adaptation (the resources are applied as synthesized), but where the e2e departs from a
 * user's order to save time: the environment stacks start once the state stack's other resources
 * exist, while these are still settling, because no backend uses them.
 */
export const SETTLING_RESOURCE_TYPES: readonly DroppedResourceType[] = [
  {
    resourceType: "aws_s3_bucket_lifecycle_configuration",
    reason: "against moto, provider 5.100 waits about 55 s for the lifecycle rules to settle (measured); the state backend does not use them",
  },
];

export const EMULATOR_DIFFS: readonly EmulatorDiff[] = [
  {
    resourceType: "aws_sns_topic",
    attribute: "signature_version",
    reason: "moto does not return the SignatureVersion attribute it was given, so every plan shows 0 -> 2",
  },
];

/** A synthesized stack (cdk.tf.json) as parsed JSON. */
export type StackJson = Record<string, any>;

export interface AdaptedStack {
  readonly json: StackJson;
  /** One line per change, for the report. */
  readonly adaptations: string[];
}

/**
 * Applies every adaptation above to a deep copy of `stack`; deferred resource types are dropped too
 * unless `deferred` is `keep`. Resources of a dropped type are removed
 * with every resource, data source and output that refers to them (transitively), so Terraform
 * never sees a reference to a missing address.
 */
export function adaptStack(stack: StackJson, options: { deferred?: "drop" | "keep" } = {}): AdaptedStack {
  const json: StackJson = JSON.parse(JSON.stringify(stack));
  const adaptations: string[] = [];
  const providers = json.terraform?.required_providers ?? {};
  if (providers.aws && providers.aws.version !== MIRROR_PROVIDER_VERSION) {
    adaptations.push(`terraform.required_providers.aws.version: ${providers.aws.version} -> ${MIRROR_PROVIDER_VERSION} (the machine's provider mirror)`);
    providers.aws.version = MIRROR_PROVIDER_VERSION;
  }
  const resources: Record<string, Record<string, any>> = json.resource ?? {};
  for (const { resourceType, argument, reason } of DROPPED_ARGUMENTS) {
    for (const [name, body] of Object.entries(resources[resourceType] ?? {})) {
      if (argument in body) {
        delete body[argument];
        adaptations.push(`${resourceType}.${name}: dropped ${argument} (${reason})`);
      }
    }
  }
  for (const { resourceType, argument, from, to, reason } of REPLACED_VALUES) {
    for (const [name, body] of Object.entries(resources[resourceType] ?? {})) {
      if (body[argument] === from) {
        body[argument] = to;
        adaptations.push(`${resourceType}.${name}: ${argument} ${from} -> ${to} (${reason})`);
      }
    }
  }
  const dropped = new Set<string>();
  const droppedTypes = [...DROPPED_RESOURCE_TYPES, ...(options.deferred === "keep" ? [] : DEFERRED_RESOURCE_TYPES)];
  for (const { resourceType, reason, when } of droppedTypes) {
    for (const [name, body] of Object.entries(resources[resourceType] ?? {})) {
      if (when && !when(body)) continue;
      dropped.add(`${resourceType}.${name}`);
      adaptations.push(`${resourceType}.${name}: dropped (${reason})`);
    }
  }
  for (const address of dependentsOf(json, dropped)) {
    if (!dropped.has(address)) adaptations.push(`${address}: dropped (refers to a dropped resource)`);
    dropped.add(address);
  }
  removeAddresses(json, dropped);
  return { json, adaptations };
}

/** Every address (`type.name`, `data.type.name`, `output.name`) that refers to `roots`, transitively, roots included. */
function dependentsOf(json: StackJson, roots: ReadonlySet<string>): Set<string> {
  const found = new Set(roots);
  const entries = addressedEntries(json);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [address, body] of entries) {
      if (found.has(address)) continue;
      const text = JSON.stringify(body);
      if ([...found].some((target) => refersTo(text, target))) {
        found.add(address);
        grew = true;
      }
    }
  }
  return found;
}

function refersTo(text: string, address: string): boolean {
  if (address.startsWith("output.")) return false;
  // `${aws_x.y.arn}`, `${aws_x.y}` and depends_on entries "aws_x.y".
  const escaped = address.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(\\$\\{|")${escaped}(\\.|\\}|\\[|")`).test(text);
}

function addressedEntries(json: StackJson): Array<[string, unknown]> {
  const entries: Array<[string, unknown]> = [];
  for (const [type, byName] of Object.entries<Record<string, unknown>>(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) entries.push([`${type}.${name}`, body]);
  }
  for (const [type, byName] of Object.entries<Record<string, unknown>>(json.data ?? {})) {
    for (const [name, body] of Object.entries(byName)) entries.push([`data.${type}.${name}`, body]);
  }
  for (const [name, body] of Object.entries(json.output ?? {})) entries.push([`output.${name}`, body]);
  return entries;
}

function removeAddresses(json: StackJson, addresses: ReadonlySet<string>): void {
  for (const address of addresses) {
    const parts = address.split(".");
    const [section, type, name] = parts[0] === "output" ? ["output", undefined, parts[1]] : parts[0] === "data" ? ["data", parts[1], parts[2]] : ["resource", parts[0], parts[1]];
    const holder = type === undefined ? json[section] : json[section]?.[type];
    if (!holder) continue;
    delete holder[name];
    if (type !== undefined && Object.keys(holder).length === 0) delete json[section][type];
  }
  for (const section of ["resource", "data", "output"]) {
    if (json[section] && Object.keys(json[section]).length === 0) delete json[section];
  }
}

/** Where one AWS account's emulator listens. */
export interface EmulatorEndpoint {
  readonly accountId: string;
  readonly url: string;
}

/** The AWS services the stacks call; every one is pointed at the emulator. */
export const EMULATED_SERVICES = ["ecr", "events", "iam", "kms", "s3", "signer", "sns", "sts"] as const;

/** Test credentials and switches for an emulator; the same for the provider and the S3 backend. */
export const EMULATOR_CREDENTIALS = {
  access_key: "test",
  secret_key: "test",
  // moto's certificate is made for this run; the emulator is on loopback.
  insecure: true,
  skip_metadata_api_check: true,
} as const;

/** The account a provider block may act in (its `allowed_account_ids`), when it names exactly one. */
export function providerAccount(provider: Record<string, any>): string | undefined {
  const ids: unknown = provider.allowed_account_ids;
  return Array.isArray(ids) && ids.length === 1 ? String(ids[0]) : undefined;
}

/**
 * The override file (`emulator_override.tf.json`) Terraform merges into the adapted stack: every
 * AWS provider block (by alias) gets the endpoints of its account's emulator and test credentials.
 */
export function emulatorOverride(json: StackJson, endpointFor: (accountId: string | undefined) => string): StackJson {
  const providers: Array<Record<string, any>> = json.provider?.aws ?? [];
  return {
    provider: {
      aws: providers.map((p) => {
        const url = endpointFor(providerAccount(p));
        return {
          ...(p.alias ? { alias: p.alias } : {}),
          ...EMULATOR_CREDENTIALS,
          s3_use_path_style: true,
          endpoints: [Object.fromEntries(EMULATED_SERVICES.map((service) => [service, url]))],
        };
      }),
    },
  };
}

/**
 * `-backend-config` lines for `terraform init` of a stack whose S3 backend lives in the emulator at
 * `url`: only the endpoints and test credentials; bucket, key, region, encryption, role and
 * `use_lockfile` stay the stack's own.
 */
export function emulatorBackendConfig(url: string): string {
  return [
    `endpoints = { s3 = "${url}", sts = "${url}", iam = "${url}" }`,
    `access_key = "${EMULATOR_CREDENTIALS.access_key}"`,
    `secret_key = "${EMULATOR_CREDENTIALS.secret_key}"`,
    `insecure = ${EMULATOR_CREDENTIALS.insecure}`,
    `skip_metadata_api_check = ${EMULATOR_CREDENTIALS.skip_metadata_api_check}`,
    "use_path_style = true",
    "",
  ].join("\n");
}

/** The resource addresses in a `terraform plan -json` change list that are allowed to differ, and why. */
export function allowedEmulatorDiff(resourceType: string, changedAttributes: readonly string[]): EmulatorDiff[] | undefined {
  const allowed = EMULATOR_DIFFS.filter((d) => d.resourceType === resourceType);
  if (changedAttributes.length === 0) return undefined;
  const matched = changedAttributes.map((attribute) => allowed.find((d) => d.attribute === attribute));
  return matched.every((d): d is EmulatorDiff => d !== undefined) ? matched : undefined;
}
