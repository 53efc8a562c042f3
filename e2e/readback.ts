import * as fs from "fs";
import * as https from "https";
import { isDeepStrictEqual } from "util";
import {
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  Repository,
} from "@aws-sdk/client-ecr";
import { GetPolicyCommand, GetPolicyVersionCommand, IAMClient } from "@aws-sdk/client-iam";
import { DescribeKeyCommand, GetKeyRotationStatusCommand, KMSClient } from "@aws-sdk/client-kms";
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { EMULATOR_CREDENTIALS, StackJson } from "./adaptations";

/** SDK client settings for one emulator and region; the emulator's certificate is trusted, nothing else. */
export function clientConfig(url: string, region: string, caFile: string) {
  return {
    endpoint: url,
    region,
    credentials: { accessKeyId: EMULATOR_CREDENTIALS.access_key, secretAccessKey: EMULATOR_CREDENTIALS.secret_key },
    requestHandler: { httpsAgent: new https.Agent({ ca: fs.readFileSync(caFile) }) },
  };
}

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

/** Collects checks; a failed one does not stop the others, so a run reports everything wrong at once. */
export class Checks {
  readonly all: Check[] = [];

  expect(name: string, ok: boolean, detail?: string): void {
    this.all.push({ name, ok, ...(ok ? {} : { detail }) });
  }

  equal(name: string, actual: unknown, expected: unknown): void {
    const ok = isDeepStrictEqual(actual, expected);
    this.expect(name, ok, ok ? undefined : `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }

  async attempt(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      this.expect(name, false, String((error as Error).message ?? error));
    }
  }

  get failed(): Check[] {
    return this.all.filter((c) => !c.ok);
  }
}

type Resources = Record<string, Record<string, any>>;

function resourcesOf(stack: StackJson, type: string): Array<[string, Record<string, any>]> {
  return Object.entries((stack.resource as Resources | undefined)?.[type] ?? {});
}

/** The logical id in a `${aws_type.id.attr}` reference, when `value` is one. */
function referencedId(value: unknown, type: string): string | undefined {
  const match = typeof value === "string" ? new RegExp(`^\\$\\{${type}\\.([^.}]+)\\.`).exec(value) : null;
  return match?.[1];
}

/** The AWS provider's default tags of a stack's default (unaliased) provider. */
function defaultTags(stack: StackJson): Record<string, string> {
  const provider = (stack.provider?.aws ?? []).find((p: any) => !p.alias);
  return provider?.default_tags?.[0]?.tags ?? {};
}

/** The region a resource is managed in: its provider alias's region, else the default provider's. */
export function regionOf(stack: StackJson, body: Record<string, any>): string {
  const providers: Array<Record<string, any>> = stack.provider?.aws ?? [];
  const alias = typeof body.provider === "string" ? body.provider.replace(/^aws\./, "") : undefined;
  return (providers.find((p) => (alias ? p.alias === alias : !p.alias)) ?? {}).region;
}

/** The SDK clients of one stack's account in one region. */
export type RegionalClients = (region: string) => { ecr: ECRClient; kms: KMSClient };

/** The ECR and KMS clients of the account whose emulator is at `url`, per region. */
export function accountClients(url: string, caFile: string): RegionalClients {
  return (region) => ({ ecr: new ECRClient(clientConfig(url, region, caFile)), kms: new KMSClient(clientConfig(url, region, caFile)) });
}

/**
 * Reads back every repository of an applied stack from the emulator, in the region its provider
 * manages it in, and compares it with the (adapted) synthesized stack: name, encryption and its
 * key (exists in the repository's region, enabled, rotation on), scan on push, tag mutability,
 * tags, and the repository and lifecycle policies as parsed documents.
 */
export async function checkRepositories(checks: Checks, stackName: string, stack: StackJson, clients: RegionalClients): Promise<string[]> {
  const names: string[] = [];
  // A policy names its repository literally or by reference; replicas share their source's name, so the region is part of the key.
  const repositoryName = (value: string) => {
    const id = referencedId(value, "aws_ecr_repository");
    return id ? (stack.resource.aws_ecr_repository[id]?.name as string) : value;
  };
  const byRepository = (type: string) =>
    new Map(resourcesOf(stack, type).map(([, body]) => [`${regionOf(stack, body)}|${repositoryName(body.repository)}`, body.policy as string]));
  const policies = byRepository("aws_ecr_repository_policy");
  const lifecycles = byRepository("aws_ecr_lifecycle_policy");
  const keys = new Map(resourcesOf(stack, "aws_kms_key"));
  for (const [, body] of resourcesOf(stack, "aws_ecr_repository")) {
    const name: string = body.name;
    const region = regionOf(stack, body);
    const { ecr, kms } = clients(region);
    names.push(`${name} (${region})`);
    const where = `${stackName}: repository ${name} in ${region}`;
    await checks.attempt(`${where} exists`, async () => {
      const found = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
      const repository = found.repositories?.[0] as Repository;
      checks.expect(`${where} exists`, repository?.repositoryName === name);
      checks.equal(`${where} scan on push`, repository.imageScanningConfiguration?.scanOnPush ?? false, body.image_scanning_configuration?.scan_on_push ?? false);
      checks.equal(`${where} tag mutability`, repository.imageTagMutability, body.image_tag_mutability ?? "MUTABLE");
      const encryption = body.encryption_configuration?.[0] ?? { encryption_type: "AES256" };
      checks.equal(`${where} encryption type`, repository.encryptionConfiguration?.encryptionType, encryption.encryption_type);
      const keyId = referencedId(encryption.kms_key, "aws_kms_key");
      if (encryption.encryption_type === "KMS") {
        const keyArn = repository.encryptionConfiguration?.kmsKey;
        checks.expect(`${where} names its KMS key`, Boolean(keyArn), "no kmsKey");
        if (keyArn) {
          checks.equal(`${where} KMS key is in the repository's region`, keyArn.split(":")[3], region);
          const key = await kms.send(new DescribeKeyCommand({ KeyId: keyArn }));
          checks.equal(`${where} KMS key is enabled`, key.KeyMetadata?.KeyState, "Enabled");
          if (keyId && keys.get(keyId)?.enable_key_rotation) {
            const rotation = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }));
            checks.equal(`${where} KMS key rotation`, rotation.KeyRotationEnabled, true);
          }
        }
      }
      const tags = await ecr.send(new ListTagsForResourceCommand({ resourceArn: repository.repositoryArn }));
      const actual = Object.fromEntries((tags.tags ?? []).map((t) => [t.Key, t.Value]));
      checks.equal(`${where} tags`, actual, { ...defaultTags(stack), ...(body.tags ?? {}) });
    });
    const key = `${region}|${name}`;
    const policy = policies.get(key);
    if (policy !== undefined) {
      await checks.attempt(`${where} repository policy`, async () => {
        const got = await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: name }));
        checks.equal(`${where} repository policy`, JSON.parse(got.policyText ?? "{}"), JSON.parse(policy));
      });
    }
    const lifecycle = lifecycles.get(key);
    if (lifecycle !== undefined) {
      await checks.attempt(`${where} lifecycle policy`, async () => {
        const got = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name }));
        checks.equal(`${where} lifecycle policy`, JSON.parse(got.lifecyclePolicyText ?? "{}"), JSON.parse(lifecycle));
      });
    }
  }
  return names;
}

/**
 * Registry-wide settings per region: each scanning configuration (scan type, rules) and the
 * replication configuration (destinations, filters), as synthesized.
 */
export async function checkRegistrySettings(checks: Checks, stackName: string, stack: StackJson, clients: RegionalClients): Promise<void> {
  for (const [, body] of resourcesOf(stack, "aws_ecr_registry_scanning_configuration")) {
    const region = regionOf(stack, body);
    const where = `${stackName}: registry scanning configuration in ${region}`;
    await checks.attempt(where, async () => {
      const got = await clients(region).ecr.send(new GetRegistryScanningConfigurationCommand({}));
      checks.equal(`${where}: scan type`, got.scanningConfiguration?.scanType, body.scan_type);
      const rules = (got.scanningConfiguration?.rules ?? []).map((r) => ({
        frequency: r.scanFrequency,
        filters: (r.repositoryFilters ?? []).map((f) => `${f.filterType}:${f.filter}`).sort(),
      }));
      const expected = (body.rule ?? []).map((r: any) => ({
        frequency: r.scan_frequency,
        filters: (r.repository_filter ?? []).map((f: any) => `${f.filter_type}:${f.filter}`).sort(),
      }));
      checks.equal(`${where}: rules`, rules, expected);
    });
  }
  for (const [, body] of resourcesOf(stack, "aws_ecr_replication_configuration")) {
    const region = regionOf(stack, body);
    const where = `${stackName}: replication configuration in ${region}`;
    await checks.attempt(where, async () => {
      const got = await clients(region).ecr.send(new DescribeRegistryCommand({}));
      const rules = (got.replicationConfiguration?.rules ?? []).map((r) => ({
        destinations: (r.destinations ?? []).map((d) => `${d.registryId}/${d.region}`).sort(),
        filters: (r.repositoryFilters ?? []).map((f) => `${f.filterType}:${f.filter}`).sort(),
      }));
      const expected = (body.replication_configuration?.rule ?? []).map((r: any) => ({
        destinations: (r.destination ?? []).map((d: any) => `${d.registry_id}/${d.region}`).sort(),
        filters: (r.repository_filter ?? []).map((f: any) => `${f.filter_type}:${f.filter}`).sort(),
      }));
      checks.equal(`${where}: rules`, rules, expected);
    });
  }
}

/** Every IAM policy of the stack (the identity policies someone attaches) exists with the synthesized document. */
export async function checkIamPolicies(checks: Checks, stackName: string, stack: StackJson, accountId: string, iam: IAMClient): Promise<void> {
  for (const [, body] of resourcesOf(stack, "aws_iam_policy")) {
    if (typeof body.policy !== "string" || body.policy.includes("${")) continue;
    const arn = `arn:aws:iam::${accountId}:policy${body.path ?? "/"}${body.name}`;
    await checks.attempt(`${stackName}: IAM policy ${arn}`, async () => {
      const policy = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
      const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy?.DefaultVersionId }));
      checks.equal(`${stackName}: IAM policy ${body.name} document`, JSON.parse(decodeURIComponent(version.PolicyVersion?.Document ?? "{}")), JSON.parse(body.policy));
    });
  }
}

/**
 * The state bucket as the state stack declares it: versioned, KMS-encrypted with the stack's key,
 * every public access block on, and (when `stack` holds it) its bucket policy the synthesized
 * document (TLS only).
 */
export async function checkStateBucket(checks: Checks, stack: StackJson, s3: S3Client): Promise<void> {
  const [, bucketBody] = resourcesOf(stack, "aws_s3_bucket")[0] ?? [];
  if (!bucketBody) return;
  const bucket: string = bucketBody.bucket;
  const where = `state bucket ${bucket}`;
  await checks.attempt(`${where} settings`, async () => {
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    checks.equal(`${where} versioning`, versioning.Status, "Enabled");
    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    const rule = encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
    checks.equal(`${where} default encryption`, rule?.SSEAlgorithm, "aws:kms");
    checks.expect(`${where} encryption key`, Boolean(rule?.KMSMasterKeyID), "no KMS key");
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    checks.equal(`${where} public access block`, block.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const [, policyBody] = resourcesOf(stack, "aws_s3_bucket_policy")[0] ?? [];
    if (!policyBody) return;
    const policy = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    const document = JSON.parse(policy.Policy ?? "{}");
    checks.equal(`${where} bucket policy`, document, JSON.parse(policyBody.policy));
    const tlsOnly = (document.Statement ?? []).some(
      (s: any) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false" && s.Action === "s3:*",
    );
    checks.expect(`${where} denies requests without TLS`, tlsOnly, "no Deny on aws:SecureTransport=false");
  });
}

/** The environment's state object is in the bucket, under the stack's own key. */
export async function checkStateObject(checks: Checks, s3: S3Client, bucket: string, key: string): Promise<void> {
  await checks.attempt(`state object s3://${bucket}/${key}`, async () => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    checks.expect(`state object s3://${bucket}/${key} exists`, (head.ContentLength ?? 0) > 0);
    checks.equal(`state object s3://${bucket}/${key} is KMS-encrypted`, head.ServerSideEncryption, "aws:kms");
  });
}
