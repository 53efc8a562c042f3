import { diffSnapshots } from "../src/review/diff";
import { renderReview } from "../src/review/render";
import { repositoryPostures, reviewSnapshot } from "../src/review/snapshot";
import { accessMatrix } from "../src/access/matrix";
import { repositoryPolicyOf, synthJson, validConfig } from "./support/fixtures";
import { guardrailsOf, resource } from "./support/guardrail-app";
import { problemsOf, twoAccountConfig } from "./support/problems";
import { PULL } from "./support/ecr-actions";

const SERVING = "arn:aws:iam::222222222222:role/ecs/serving";
const CI = "arn:aws:iam::999999999999:role/ci";
const EU_KEY = "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const REPLICA = "ai-models__llm__eu-west-1";

/**
 * dev (111111111111, us-east-1) and prod (222222222222, us-west-2, protected); prod replicates
 * ai-models/ to eu-west-1 in its own account. `ai-models/llm` is replicated, `base-images` is not.
 */
function replicated(extra: Record<string, any> = {}, destination: Record<string, unknown> = {}): Record<string, any> {
  return twoAccountConfig({
    repositories: [
      {
        name: "ai-models/llm",
        tagMutability: "IMMUTABLE_WITH_EXCLUSION",
        mutabilityExclusions: ["latest"],
        tags: { ModelFamily: "llm" },
        lifecycle: { rules: [{ tagStatus: "untagged", olderThanDays: 3 }] },
      },
      { name: "base-images" },
    ],
    consumers: [
      { kind: "push", principal: CI },
      { kind: "pull", principal: SERVING, environments: ["prod"], regions: ["us-west-2", "eu-west-1"] },
    ],
    replication: { rules: [{ environments: ["prod"], repositoryPrefixes: ["ai-models/"], destinations: [{ region: "eu-west-1", ...destination }] }] },
    ...extra,
  });
}

/** `replicated()` with manageReplicas: false, and the consumer pulling at home only (no governed replica to pull from). */
function ungoverned(): Record<string, any> {
  const raw = replicated({}, { manageReplicas: false });
  raw.consumers[1].regions = ["us-west-2"];
  return raw;
}


describe("replica repositories in the source's own account", () => {
  const json = synthJson(replicated(), "prod");

  test("an aliased provider per replica region has the stack's account, role and default tags", () => {
    const [own, replica] = json.provider.aws;
    expect(replica).toEqual({ ...own, alias: "eu-west-1", region: "eu-west-1" });
  });

  test("only repositories the rule's filters match get a replica", () => {
    expect(Object.keys(json.resource.aws_ecr_repository).sort()).toEqual(["ai-models__llm", REPLICA, "base-images"]);
  });

  test("the replica has the source's name, mutability with exclusions, scan on push, tags and force_delete off, in its region", () => {
    const source = json.resource.aws_ecr_repository["ai-models__llm"];
    const replica = json.resource.aws_ecr_repository[REPLICA];
    expect(replica.provider).toBe("aws.eu-west-1");
    for (const field of ["name", "image_tag_mutability", "image_tag_mutability_exclusion_filter", "image_scanning_configuration", "tags", "force_delete"])
      expect([field, replica[field]]).toEqual([field, source[field]]);
  });

  test("the replica is encrypted with a managed key in its region, with rotation on", () => {
    expect(json.resource.aws_ecr_repository[REPLICA].encryption_configuration).toEqual([{ encryption_type: "KMS", kms_key: "${aws_kms_key.registry__eu-west-1.arn}" }]);
    expect(json.resource.aws_kms_key["registry__eu-west-1"]).toMatchObject({ provider: "aws.eu-west-1", enable_key_rotation: true });
    expect(json.resource.aws_kms_alias["registry__eu-west-1"]).toMatchObject({ provider: "aws.eu-west-1", name: "alias/model-registry-prod-ecr" });
  });

  test("the replica's lifecycle policy is the source's", () => {
    const policies = json.resource.aws_ecr_lifecycle_policy;
    expect(policies[REPLICA].policy).toBe(policies["ai-models__llm"].policy);
    expect(policies[REPLICA]).toMatchObject({ provider: "aws.eu-west-1", repository: `\${aws_ecr_repository.${REPLICA}.name}` });
  });

  test("a protected environment's replicas and their key get prevent_destroy", () => {
    expect(json.resource.aws_ecr_repository[REPLICA].lifecycle).toEqual({ prevent_destroy: true });
    expect(json.resource.aws_kms_key["registry__eu-west-1"].lifecycle).toEqual({ prevent_destroy: true });
  });

  test("the replica's policy lets only the consumers that list its region pull, never push", () => {
    expect(repositoryPolicyOf(json, REPLICA)).toEqual({ Version: "2012-10-17", Statement: [{ Sid: "Pull", Effect: "Allow", Principal: { AWS: [SERVING] }, Action: PULL }] });
    expect(json.resource.aws_ecr_repository_policy[REPLICA].provider).toBe("aws.eu-west-1");
    expect(repositoryPolicyOf(json, "ai-models__llm").Statement.map((s: any) => s.Sid)).toEqual(["Push", "Pull"]);
  });

  test("the replica region gets the registry scanning configuration and the AWS_NATIVE basic scanner", () => {
    expect(json.resource.aws_ecr_registry_scanning_configuration["registry__eu-west-1"]).toMatchObject({
      provider: "aws.eu-west-1",
      scan_type: "BASIC",
      rule: [{ scan_frequency: "SCAN_ON_PUSH", repository_filter: [{ filter: "*", filter_type: "WILDCARD" }] }],
    });
    expect(json.resource.aws_ecr_account_setting).toEqual({
      basic_scan_type_version: expect.objectContaining({ name: "BASIC_SCAN_TYPE_VERSION", value: "AWS_NATIVE" }),
      "basic_scan_type_version__eu-west-1": expect.objectContaining({ name: "BASIC_SCAN_TYPE_VERSION", value: "AWS_NATIVE", provider: "aws.eu-west-1" }),
    });
  });

  test("the replica has its own url and arn outputs", () => {
    expect(json.output["ai-models__llm_eu-west-1_repository_url"].value).toBe(`\${aws_ecr_repository.${REPLICA}.repository_url}`);
    expect(json.output["ai-models__llm_eu-west-1_repository_arn"].value).toBe(`\${aws_ecr_repository.${REPLICA}.arn}`);
  });

  test("the replication configuration waits for the replicas, so ECR finds them instead of creating them", () => {
    expect(json.resource.aws_ecr_replication_configuration.registry.depends_on).toEqual([`aws_ecr_repository.${REPLICA}`]);
  });

  test("the environment that does not replicate declares no replicas and no aliased provider", () => {
    const dev = synthJson(replicated(), "dev");
    expect(dev.provider.aws).toHaveLength(1);
    expect(Object.keys(dev.resource.aws_ecr_repository).sort()).toEqual(["ai-models__llm", "base-images"]);
  });
});

describe("replica settings", () => {
  test("a per-region kmsKeyArn encrypts the replicas and no managed key is made there", () => {
    const json = synthJson(replicated({}, { kmsKeyArn: EU_KEY }), "prod");
    expect(json.resource.aws_ecr_repository[REPLICA].encryption_configuration).toEqual([{ encryption_type: "KMS", kms_key: EU_KEY }]);
    expect(Object.keys(json.resource.aws_kms_key)).toEqual(["registry"]);
  });

  test("a source with its own key gets the managed key of the replica region (the source's key is in another region)", () => {
    const raw = replicated();
    raw.repositories[0].encryption = { type: "KMS", kmsKeyArn: "arn:aws:kms:us-west-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab" };
    const json = synthJson(raw, "prod");
    expect(json.resource.aws_ecr_repository[REPLICA].encryption_configuration[0].kms_key).toBe("${aws_kms_key.registry__eu-west-1.arn}");
  });

  test("an AES256 source gets an AES256 replica and no key in the replica region", () => {
    const raw = replicated();
    raw.repositories[0].encryption = { type: "AES256" };
    const json = synthJson(raw, "prod");
    expect(json.resource.aws_ecr_repository[REPLICA].encryption_configuration).toEqual([{ encryption_type: "AES256" }]);
    expect(json.resource.aws_kms_key["registry__eu-west-1"]).toBeUndefined();
  });

  test("a replica of an unprotected environment has no prevent_destroy", () => {
    const raw = replicated();
    raw.replication.rules[0].environments = ["dev"];
    raw.consumers[1].environments = ["dev"];
    raw.consumers[1].regions = ["us-east-1", "eu-west-1"];
    expect(synthJson(raw, "dev").resource.aws_ecr_repository[REPLICA].lifecycle).toBeUndefined();
  });

  test("a replica without consumers in its region has no repository policy", () => {
    const raw = replicated();
    raw.consumers[1].regions = ["us-west-2"];
    expect(synthJson(raw, "prod").resource.aws_ecr_repository_policy[REPLICA]).toBeUndefined();
  });

  test("a lambda consumer with only sourceAccount is limited to the functions of the replica's region there", () => {
    const raw = replicated();
    raw.consumers[1] = { kind: "lambda", sourceAccount: "444444444444", environments: ["prod"], regions: ["eu-west-1"] };
    const json = synthJson(raw, "prod");
    expect(repositoryPolicyOf(json, REPLICA).Statement[0].Condition).toEqual({ ArnLike: { "aws:SourceArn": ["arn:aws:lambda:eu-west-1:444444444444:function:*"] } });
    expect(json.resource.aws_ecr_repository_policy["ai-models__llm"].policy).not.toContain("lambda");
  });

  test("a lambda consumer whose functions are in the replica region pulls from the replica", () => {
    const raw = replicated();
    raw.consumers[1] = { kind: "lambda", sourceArn: "arn:aws:lambda:eu-west-1:444444444444:function:embed-*", environments: ["prod"], regions: ["eu-west-1"] };
    expect(repositoryPolicyOf(synthJson(raw, "prod"), REPLICA).Statement[0].Condition).toEqual({
      ArnLike: { "aws:SourceArn": ["arn:aws:lambda:eu-west-1:444444444444:function:embed-*"] },
    });
  });

  test("scanOnPush: false on the source is kept by the replica and by the replica region's scanning rule", () => {
    const raw = replicated();
    raw.repositories.push({ name: "ai-models/raw", scanOnPush: false });
    const json = synthJson(raw, "prod");
    expect(json.resource.aws_ecr_repository["ai-models__raw__eu-west-1"].image_scanning_configuration).toEqual({ scan_on_push: false });
    expect(json.resource.aws_ecr_registry_scanning_configuration["registry__eu-west-1"].rule[0].repository_filter.map((f: any) => f.filter)).toEqual(["ai-models/llm"]);
  });

  test("basicScanTypeVersion: unmanaged leaves the account setting alone in every region", () => {
    const json = synthJson(replicated({ scanning: { basicScanTypeVersion: "unmanaged" } }), "prod");
    expect(json.resource.aws_ecr_account_setting).toBeUndefined();
  });

  test("creationTemplates adds a REPLICATION template per rule namespace in the replica region, with the region's key", () => {
    const raw = replicated();
    raw.replication.creationTemplates = true;
    const json = synthJson(raw, "prod");
    expect(json.resource.aws_ecr_repository_creation_template["ai-models__eu-west-1"]).toMatchObject({
      provider: "aws.eu-west-1",
      prefix: "ai-models",
      applied_for: ["REPLICATION"],
      image_tag_mutability: "IMMUTABLE",
      encryption_configuration: [{ encryption_type: "KMS", kms_key: "${aws_kms_key.registry__eu-west-1.arn}" }],
      custom_role_arn: "${aws_iam_role.repository_creation_templates__eu-west-1.arn}",
    });
    expect(json.resource.aws_ecr_registry_scanning_configuration["registry__eu-west-1"].rule[0].repository_filter.map((f: any) => f.filter)).toEqual(["*"]);
  });

  test("manageReplicas: false declares nothing in the destination region", () => {
    const json = synthJson(ungoverned(), "prod");
    expect(json.provider.aws).toHaveLength(1);
    expect(json.resource.aws_ecr_repository[REPLICA]).toBeUndefined();
  });
});

describe("replicas in other accounts of this config", () => {
  /** dev replicates to prod's account: once in eu-west-1 (no environment there), once into prod's own registry. */
  function crossAccount(region: string): Record<string, any> {
    const raw = replicated();
    raw.repositories.push({ name: "ai-models/prod-only", environments: ["prod"] });
    raw.replication.rules = [{ environments: ["dev"], repositoryPrefixes: ["ai-models/"], destinations: [{ region, accountId: "222222222222" }] }];
    raw.consumers[1] = { kind: "pull", principal: SERVING, environments: ["dev"], ...(region === "eu-west-1" ? { regions: [region] } : {}) };
    return raw;
  }

  test("the destination account's environment declares the replicas in their region, with its registry policy there", () => {
    const prod = synthJson(crossAccount("eu-west-1"), "prod");
    expect(prod.resource.aws_ecr_repository[REPLICA]).toMatchObject({ name: "ai-models/llm", provider: "aws.eu-west-1" });
    expect(repositoryPolicyOf(prod, REPLICA).Statement[0].Principal).toEqual({ AWS: [SERVING] });
    expect(JSON.parse(prod.resource.aws_ecr_registry_policy["registry__eu-west-1"].policy).Statement).toEqual([
      expect.objectContaining({ Principal: { AWS: "arn:aws:iam::111111111111:root" }, Resource: ["arn:aws:ecr:eu-west-1:222222222222:repository/*"] }),
    ]);
    expect(synthJson(crossAccount("eu-west-1"), "dev").resource.aws_ecr_repository[REPLICA]).toBeUndefined();
  });

  test("replicating into another environment's own registry declares only the repositories that environment does not", () => {
    const prod = synthJson(crossAccount("us-west-2"), "prod");
    expect(prod.provider.aws).toHaveLength(1);
    expect(Object.keys(prod.resource.aws_ecr_repository).sort()).toEqual(["ai-models__llm", "ai-models__prod-only", "base-images"]);
  });
});

describe("replicas in accounts outside this config", () => {
  const raw = replicated({}, { accountId: "333333333333" });
  raw.consumers[1].regions = ["us-west-2"];
  const json = synthJson(raw, "prod");

  test("are not declared; the source keeps the registry policy output", () => {
    expect(json.resource.aws_ecr_repository[REPLICA]).toBeUndefined();
    expect(json.output["replication_registry_policy_333333333333_eu-west-1"]).toBeDefined();
  });

  test("a second output gives the destination team each replica's settings and a creation template per namespace", () => {
    const settings = JSON.parse(json.output["replica_settings_333333333333_eu-west-1"].value);
    expect(settings.repositories).toEqual([
      {
        repositoryName: "ai-models/llm",
        imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: [{ filter: "latest", filterType: "WILDCARD" }],
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: "KMS" },
        lifecyclePolicyText: json.resource.aws_ecr_lifecycle_policy["ai-models__llm"].policy,
      },
    ]);
    expect(settings.creationTemplates).toEqual([
      expect.objectContaining({ prefix: "ai-models", appliedFor: ["REPLICATION"], imageTagMutability: "IMMUTABLE", encryptionConfiguration: { encryptionType: "KMS" } }),
    ]);
  });

  test("a consumer cannot list the region: no replica there is governed by this config", () => {
    const bad = replicated({}, { accountId: "333333333333" });
    expect(problemsOf(bad)).toEqual([expect.stringMatching(/^consumers\[1\]\.regions\[1\]: no repository this consumer applies to has a replica in eu-west-1/)]);
  });

  test("a per-region key is refused: the outside team chooses it", () => {
    const bad = replicated({}, { accountId: "333333333333", kmsKeyArn: EU_KEY.replace("222222222222", "333333333333") });
    bad.consumers[1].regions = ["us-west-2"];
    expect(problemsOf(bad)).toEqual([expect.stringMatching(/^replication\.rules\[0\]\.destinations\[0\]\.kmsKeyArn: account 333333333333 is outside this config/)]);
  });
});

describe("replica state", () => {
  test("a renamed repository's replica resources move with it", () => {
    const raw = replicated();
    raw.repositories[0].name = "ai-models/llm-v2";
    raw.repositories[0].renamedFrom = ["ai-models/llm"];
    const moved = synthJson(raw, "prod").moved;
    expect(moved).toEqual(
      expect.arrayContaining([
        { from: `aws_ecr_repository.${REPLICA}`, to: "aws_ecr_repository.ai-models__llm-v2__eu-west-1" },
        { from: `aws_ecr_lifecycle_policy.${REPLICA}`, to: "aws_ecr_lifecycle_policy.ai-models__llm-v2__eu-west-1" },
        { from: `aws_ecr_repository_policy.${REPLICA}`, to: "aws_ecr_repository_policy.ai-models__llm-v2__eu-west-1" },
      ]),
    );
    expect(synthJson(raw, "prod").resource.aws_ecr_repository["ai-models__llm-v2__eu-west-1"].name).toBe("ai-models/llm");
  });

  test("a retired repository's replica is forgotten with it", () => {
    const raw = replicated();
    raw.repositories.push({ name: "ai-models/old", environments: ["dev"] });
    raw.retired = ["ai-models/gone"];
    const removed = synthJson(raw, "prod").removed.map((b: any) => b.from);
    expect(removed).toEqual(expect.arrayContaining(["aws_ecr_repository.ai-models__gone", "aws_ecr_repository.ai-models__gone__eu-west-1"]));
  });

  test("a region in retiredRegions that the stack no longer replicates to is forgotten, key included", () => {
    const raw = replicated();
    raw.replication.rules[0].destinations = [{ region: "eu-central-1" }];
    raw.replication.retiredRegions = ["eu-west-1"];
    raw.consumers[1].regions = ["us-west-2", "eu-central-1"];
    const removed = synthJson(raw, "prod").removed.map((b: any) => b.from);
    expect(removed).toEqual(
      expect.arrayContaining([`aws_ecr_repository.${REPLICA}`, `aws_ecr_lifecycle_policy.${REPLICA}`, "aws_kms_key.registry__eu-west-1", "aws_kms_alias.registry__eu-west-1"]),
    );
    expect(removed.filter((from: string) => from.endsWith("eu-central-1"))).toEqual([]);
  });

  test("a repository named like another's replica is refused", () => {
    const raw = replicated();
    raw.repositories.push({ name: "ai-models/llm/eu-west-1", environments: ["prod"] });
    expect(problemsOf(raw)).toContain(
      "repositories[2].name: has the Terraform name of the replica of ai-models/llm in eu-west-1 in environment prod's stack (ai-models__llm__eu-west-1); rename one of them",
    );
  });
});

describe("the guardrail ecr-replica-governed", () => {
  test("passes a governed replica", () => {
    const results = guardrailsOf(replicated()).results.filter((r) => r.rule === "ecr-replica-governed");
    expect(results.map((r) => [r.address, r.status])).toEqual([["aws_ecr_repository.ai-models__llm", "pass"]]);
  });

  test("fails a destination in this config's account whose replicas are not declared, naming ECR's defaults", () => {
    const report = guardrailsOf(ungoverned());
    expect(report.violations.map((v) => [v.rule, v.stack, v.address, v.configPath])).toEqual([
      ["ecr-replica-governed", "model-registry-prod", "aws_ecr_repository.ai-models__llm", "replication"],
    ]);
    expect(report.violations[0].detail).toMatch(/no stack of this config declares the replica there, so ECR creates it with AES256/);
  });

  test("is waivable with a reason", () => {
    const raw = ungoverned();
    raw.guardrails = { waivers: [{ rule: "ecr-replica-governed", repositories: ["ai-models/llm"], environments: ["prod"], reason: "The inference team manages these replicas by hand for now." }] };
    expect(guardrailsOf(raw).violations).toEqual([]);
  });

  test("fails a replica weaker than its source", () => {
    const report = guardrailsOf(replicated(), (app) => {
      const replica = resource(app, "model-registry-prod", `aws_ecr_repository.${REPLICA}`);
      replica.addOverride("image_tag_mutability", "MUTABLE");
      replica.addOverride("image_scanning_configuration.scan_on_push", false);
    });
    const violation = report.violations.find((v) => v.rule === "ecr-replica-governed");
    expect(violation?.detail).toBe(
      `the replica in eu-west-1 (account 222222222222) (aws_ecr_repository.${REPLICA} of model-registry-prod) is weaker than the source: scan_on_push is off; image_tag_mutability is MUTABLE (latest), the source's IMMUTABLE_WITH_EXCLUSION (latest)`,
    );
  });

  test("fails a replica without a repository policy while consumers pull in its region", () => {
    const report = guardrailsOf(replicated(), (app) => {
      const policy = resource(app, "model-registry-prod", `aws_ecr_repository_policy.${REPLICA}`);
      const holder = policy.node.scope!;
      holder.node.scope!.node.tryRemoveChild(holder.node.id);
    });
    expect(report.violations.find((v) => v.rule === "ecr-replica-governed")?.detail).toMatch(/is weaker than the source: no repository policy, though a consumer pulls in eu-west-1$/);
  });

  test("passes a destination in an account outside this config", () => {
    const raw = replicated({}, { accountId: "333333333333" });
    raw.consumers[1].regions = ["us-west-2"];
    const results = guardrailsOf(raw).results.filter((r) => r.rule === "ecr-replica-governed");
    expect(results.map((r) => r.status)).toEqual(["pass"]);
    expect(results[0].detail).toMatch(/outside this config/);
  });

  test("the other rules judge the replica as its repository's, so a waiver by repository name covers it", () => {
    const results = guardrailsOf(replicated()).results.filter((r) => r.address === `aws_ecr_repository.${REPLICA}`);
    expect(new Set(results.map((r) => JSON.stringify(r.subject)))).toEqual(new Set([JSON.stringify({ kind: "repository", name: "ai-models/llm" })]));
    expect(results.find((r) => r.rule === "ecr-scan-on-push")?.detail).toMatch(/aws_ecr_registry_scanning_configuration\.registry__eu-west-1/);
  });
});

describe("replicas in the review", () => {
  test("the posture lists each replica after its source, with its region", () => {
    const postures = repositoryPostures(reviewSnapshot(validConfig(replicated()))).filter((p) => p.environment === "prod");
    expect(postures.map((p) => [p.repository, p.region, p.replica, p.encryption.value])).toEqual([
      ["ai-models/llm", "us-west-2", false, "KMS, environment key"],
      ["ai-models/llm", "eu-west-1", true, "KMS, environment key"],
      ["base-images", "us-west-2", false, "KMS, environment key"],
    ]);
  });

  test("the access matrix has the replica's grants in its region", () => {
    const grants = accessMatrix(validConfig(replicated())).filter((g) => g.region === "eu-west-1");
    expect(grants.map((g) => [g.environment, g.repository, g.level])).toEqual([["prod", "ai-models/llm", "pull"]]);
  });

  test("a replica region removed is destructive, and listed in retiredRegions it is retired", () => {
    const base = reviewSnapshot(validConfig(replicated()));
    const head = replicated();
    head.replication.rules[0].destinations = [{ region: "eu-central-1" }];
    head.consumers[1].regions = ["us-west-2", "eu-central-1"];
    const diff = diffSnapshots(base, reviewSnapshot(validConfig(head)));
    expect(diff.repositories).toEqual([
      { environment: "prod", repository: "ai-models/llm", replicaRegion: "eu-central-1", change: "added", destructive: false },
      { environment: "prod", repository: "ai-models/llm", replicaRegion: "eu-west-1", change: "removed", destructive: true },
    ]);
    const report = renderReview(reviewSnapshot(validConfig(head)), { label: "main", diff });
    expect(report).toContain(
      "| prod | `ai-models/llm` (replica in eu-west-1) | **destructive**: replica region removed, so Terraform destroys the replica and its images; list eu-west-1 in replication.retiredRegions (or retire the repository) instead |",
    );
    head.replication.retiredRegions = ["eu-west-1"];
    const retired = diffSnapshots(base, reviewSnapshot(validConfig(head))).repositories.find((r) => r.replicaRegion === "eu-west-1");
    expect(retired).toEqual({ environment: "prod", repository: "ai-models/llm", replicaRegion: "eu-west-1", change: "retired", destructive: false });
  });

  test("access to a replica is its own row in the diff", () => {
    const base = replicated();
    base.consumers[1].regions = ["us-west-2"];
    const diff = diffSnapshots(reviewSnapshot(validConfig(base)), reviewSnapshot(validConfig(replicated())));
    expect(diff.access).toEqual([{ environment: "prod", repository: "ai-models/llm", replicaRegion: "eu-west-1", grantee: SERVING, head: "pull", direction: "widening" }]);
  });
});

describe("consumer regions", () => {
  test("a consumer without regions uses only the environment's region", () => {
    const raw = replicated();
    delete raw.consumers[1].regions;
    expect(accessMatrix(validConfig(raw)).filter((g) => g.region === "eu-west-1")).toEqual([]);
  });

  test("a lambda consumer's regions must be its functions' region", () => {
    const raw = replicated();
    raw.consumers[1] = { kind: "lambda", sourceArn: "arn:aws:lambda:us-west-2:444444444444:function:embed", environments: ["prod"], regions: ["us-west-2", "eu-west-1"] };
    expect(problemsOf(raw)).toEqual([
      "consumers[1].regions[1]: is not the region of sourceArn's functions (us-west-2); Lambda pulls images only from its own region, so list only us-west-2",
    ]);
  });

  test("a lambda function in a replica region without regions is pointed at them", () => {
    const raw = replicated();
    raw.consumers[1] = { kind: "lambda", sourceArn: "arn:aws:lambda:eu-west-1:444444444444:function:embed", environments: ["prod"] };
    expect(problemsOf(raw)).toEqual([
      "consumers[1].sourceArn: is a function in eu-west-1 but environment prod is in us-west-2; Lambda pulls images only from its own region; limit the consumer with environments: [...] (or, to pull from a replica in eu-west-1, list regions: [eu-west-1])",
    ]);
  });

  test("the same principal may push at home and pull from a replica when the two entries' regions do not overlap", () => {
    const raw = replicated();
    raw.consumers = [
      { kind: "push", principal: SERVING, environments: ["prod"], regions: ["us-west-2"] },
      { kind: "pull", principal: SERVING, environments: ["prod"], regions: ["eu-west-1"] },
    ];
    const grants = accessMatrix(validConfig(raw)).filter((g) => g.repository === "ai-models/llm" && g.environment === "prod");
    expect(grants.map((g) => [g.region, g.level])).toEqual([
      ["us-west-2", "push"],
      ["eu-west-1", "pull"],
    ]);
  });
});
