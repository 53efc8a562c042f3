import { EcrRepositoryCreationTemplate } from "@cdktf/provider-aws/lib/ecr-repository-creation-template";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { minimalRawConfig, synthEnvironment, synthJson } from "./support/fixtures";
import { problemsOf } from "./support/problems";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function withTemplates(...repositoryCreationTemplates: Array<Record<string, unknown>>): Record<string, any> {
  return { ...minimalRawConfig(), accountId: "123456789012", repositoryCreationTemplates };
}

const pullThroughCache = { prefix: "ecr-public", appliedFor: ["PULL_THROUGH_CACHE"] };

describe("a template's default tag mutability", () => {
  test.each([
    [["PULL_THROUGH_CACHE"], "MUTABLE"],
    [["PULL_THROUGH_CACHE", "REPLICATION"], "MUTABLE"],
    [["REPLICATION"], "IMMUTABLE"],
  ])("is %j: %s", (appliedFor, mutability) => {
    const json = synthJson(withTemplates({ prefix: "base", appliedFor }));
    expect(json.resource.aws_ecr_repository_creation_template.base.image_tag_mutability).toBe(mutability);
  });

  test("gives way to the template's own tagMutability", () => {
    const json = synthJson(withTemplates({ ...pullThroughCache, tagMutability: "IMMUTABLE" }));
    expect(json.resource.aws_ecr_repository_creation_template["ecr-public"].image_tag_mutability).toBe("IMMUTABLE");
  });
});

describe("a creation template with defaults", () => {
  const synthesized = synthEnvironment(withTemplates(pullThroughCache));
  const json = JSON.parse(synthesized);
  const template = json.resource.aws_ecr_repository_creation_template["ecr-public"];

  test("gives cache repositories mutable tags (so ECR can refresh them), the environment's KMS key and the role ECR needs for them", () => {
    expect(synthesized).toHaveResourceWithProperties(EcrRepositoryCreationTemplate, {
      prefix: "ecr-public",
      applied_for: ["PULL_THROUGH_CACHE"],
      image_tag_mutability: "MUTABLE",
      encryption_configuration: [{ encryption_type: "KMS", kms_key: "${aws_kms_key.registry.arn}" }],
      custom_role_arn: "${aws_iam_role.repository_creation_templates.arn}",
      description: "Settings for repositories under ecr-public/ that ECR creates by pull through cache",
    });
  });

  test("gives created repositories the registry's default lifecycle policy as a literal JSON string", () => {
    expect(JSON.parse(template.lifecycle_policy).rules.map((r: any) => [r.rulePriority, r.description])).toEqual([
      [1, "Protect images tagged prod-*: later rules cannot expire them"],
      [2, "Protect images tagged release-*: later rules cannot expire them"],
      [3, "Expire untagged images 14 days after push"],
      [4, "Keep the 30 most recent tagged images"],
    ]);
  });

  test("tags created repositories with Purpose, Project and Environment, but not ManagedBy", () => {
    expect(template.resource_tags).toEqual({ Environment: "dev", Project: "model-registry", Purpose: "AI Model Storage" });
  });

  test("creates the environment's KMS key even when no repository uses it", () => {
    const raw = { ...withTemplates(pullThroughCache), repositories: [{ name: "ab", encryption: { type: "AES256" } }] };
    expect(synthEnvironment(raw)).toHaveResource(KmsKey);
  });

  test("adds the template's namespace to the derived scan-on-push rule when some repository opts out", () => {
    const raw = { ...withTemplates(pullThroughCache), repositories: [{ name: "ab" }, { name: "cd", scanOnPush: false }] };
    expect(synthJson(raw).resource.aws_ecr_registry_scanning_configuration.registry.rule).toEqual([
      {
        scan_frequency: "SCAN_ON_PUSH",
        repository_filter: [
          { filter: "ab", filter_type: "WILDCARD" },
          { filter: "ecr-public/*", filter_type: "WILDCARD" },
        ],
      },
    ]);
  });
});

describe("the role ECR assumes for creation templates", () => {
  test("trusts only the ECR service", () => {
    const json = synthJson(withTemplates(pullThroughCache));
    expect(JSON.parse(json.resource.aws_iam_role.repository_creation_templates.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ecr.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
  });

  // A fixed name: an apply killed after creating the role finds it next time instead of adding another.
  test("is named for the project and environment", () => {
    expect(synthEnvironment(withTemplates(pullThroughCache))).toHaveResourceWithProperties(IamRole, { name: "model-registry-dev-ecr-templates" });
  });

  test("may create and tag repositories only under the templates' prefixes, and use only their keys", () => {
    const json = synthJson(withTemplates(pullThroughCache, { prefix: "base/quay", appliedFor: ["PULL_THROUGH_CACHE"], encryption: { kmsKeyArn: KEY_ARN } }));
    const policy = json.resource.aws_iam_role_policy.repository_creation_templates;
    expect(policy.role).toBe("${aws_iam_role.repository_creation_templates.id}");
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "CreateRepositoriesUnderTemplatePrefixes",
          Effect: "Allow",
          Action: ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"],
          Resource: ["arn:aws:ecr:us-east-1:123456789012:repository/base/quay/*", "arn:aws:ecr:us-east-1:123456789012:repository/ecr-public/*"],
        },
        {
          Sid: "EncryptWithRegistryKey",
          Effect: "Allow",
          Action: ["kms:CreateGrant", "kms:DescribeKey", "kms:RetireGrant"],
          Resource: "arn:aws:kms:us-east-1:123456789012:key/*",
          Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/model-registry-dev-ecr" } },
        },
        {
          Sid: "EncryptWithTemplateKeys",
          Effect: "Allow",
          Action: ["kms:CreateGrant", "kms:DescribeKey", "kms:RetireGrant"],
          Resource: [KEY_ARN],
        },
      ],
    });
  });

  test("covers every repository of the registry for ROOT", () => {
    const raw = withTemplates({ prefix: "ROOT", appliedFor: ["REPLICATION"], encryption: { type: "AES256" } });
    expect(JSON.parse(synthJson(raw).resource.aws_iam_role_policy.repository_creation_templates.policy).Statement).toEqual([
      {
        Sid: "CreateRepositoriesUnderTemplatePrefixes",
        Effect: "Allow",
        Action: ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"],
        Resource: ["arn:aws:ecr:us-east-1:123456789012:repository/*"],
      },
    ]);
  });

  test("needs the account of the environment that manages the registry, so the policy names its own registry", () => {
    const raw = { ...minimalRawConfig(), repositoryCreationTemplates: [{ prefix: "ROOT", appliedFor: ["REPLICATION"], encryption: { type: "AES256" } }] };
    expect(problemsOf(raw)).toEqual([
      "environments[0].accountId: is required with repositoryCreationTemplates: the role ECR assumes to apply them may create repositories only in this registry, which its policy names by account",
    ]);
  });
});

describe("creation template settings", () => {
  test("a ROOT template for both features with AES256, mutable exclusions, its own lifecycle and tags", () => {
    const json = synthJson(
      withTemplates({
        prefix: "ROOT",
        appliedFor: ["REPLICATION", "PULL_THROUGH_CACHE"],
        description: "Everything else",
        tagMutability: "IMMUTABLE_WITH_EXCLUSION",
        mutabilityExclusions: ["latest"],
        encryption: { type: "AES256" },
        lifecycle: { protectedTags: [], rules: [{ tagStatus: "any", olderThanDays: 90 }] },
        tags: { Source: "upstream" },
      }),
    );
    const template = json.resource.aws_ecr_repository_creation_template.ROOT;
    expect(template).toMatchObject({
      prefix: "ROOT",
      applied_for: ["PULL_THROUGH_CACHE", "REPLICATION"],
      description: "Everything else",
      image_tag_mutability: "IMMUTABLE_WITH_EXCLUSION",
      image_tag_mutability_exclusion_filter: [{ filter: "latest", filter_type: "WILDCARD" }],
      encryption_configuration: [{ encryption_type: "AES256" }],
      resource_tags: { Environment: "dev", Project: "model-registry", Purpose: "AI Model Storage", Source: "upstream" },
    });
    expect(JSON.parse(template.lifecycle_policy)).toEqual({
      rules: [{ rulePriority: 1, selection: { tagStatus: "any", countType: "sinceImagePushed", countUnit: "days", countNumber: 90 }, action: { type: "expire" } }],
    });
  });

  test("a template with enabled: false lifecycle has no lifecycle policy", () => {
    const json = synthJson(withTemplates({ ...pullThroughCache, lifecycle: { enabled: false } }));
    expect(json.resource.aws_ecr_repository_creation_template["ecr-public"].lifecycle_policy).toBeUndefined();
  });

  test("templates exist only in environments that manage registry settings", () => {
    const raw = {
      ...withTemplates(pullThroughCache),
      environments: [{ name: "dev" }, { name: "staging", manageRegistrySettings: false }],
    };
    expect(synthJson(raw, "dev").resource.aws_ecr_repository_creation_template).toBeDefined();
    expect(synthJson(raw, "staging").resource.aws_ecr_repository_creation_template).toBeUndefined();
    expect(synthJson(raw, "staging").resource.aws_iam_role).toBeUndefined();
  });

  test("no templates means no template resources and no role", () => {
    const json = synthJson(minimalRawConfig());
    expect(json.resource.aws_ecr_repository_creation_template).toBeUndefined();
    expect(json.resource.aws_iam_role).toBeUndefined();
  });
});

describe("creation template validation", () => {
  test("CREATE_ON_PUSH is refused with the reason", () => {
    expect(problemsOf(withTemplates({ prefix: "ROOT", appliedFor: ["CREATE_ON_PUSH"] }))).toEqual([
      "repositoryCreationTemplates[0].appliedFor[0]: CREATE_ON_PUSH is not accepted by the pinned AWS provider 6.25.0 (ECR added it in December 2025, after that release)",
    ]);
  });

  test("an unknown appliedFor value lists the allowed ones", () => {
    expect(problemsOf(withTemplates({ prefix: "ROOT", appliedFor: ["PUSH"] }))).toEqual([
      'repositoryCreationTemplates[0].appliedFor[0]: must be one of "PULL_THROUGH_CACHE", "REPLICATION" (got "PUSH")',
    ]);
  });

  test("appliedFor may not be empty", () => {
    expect(problemsOf(withTemplates({ prefix: "ROOT", appliedFor: [] }))).toEqual([
      "repositoryCreationTemplates[0].appliedFor: name at least one of PULL_THROUGH_CACHE, REPLICATION",
    ]);
  });

  test("appliedFor may not repeat a value", () => {
    expect(problemsOf(withTemplates({ prefix: "ROOT", appliedFor: ["REPLICATION", "REPLICATION"] }))).toEqual([
      "repositoryCreationTemplates[0].appliedFor: lists a value twice",
    ]);
  });

  test.each(["ecr-public/", "ECR", "a//b", "-x"])("the prefix %j is rejected", (prefix) => {
    expect(problemsOf(withTemplates({ prefix, appliedFor: ["REPLICATION"] }))).toEqual([
      "repositoryCreationTemplates[0].prefix: must be ROOT or a repository namespace such as ecr-public or base-images/quay, without a trailing '/' (ECR adds it)",
    ]);
  });

  test("two templates may not share a prefix", () => {
    expect(problemsOf(withTemplates(pullThroughCache, { prefix: "ecr-public", appliedFor: ["REPLICATION"] }))).toEqual([
      'repositoryCreationTemplates[1].prefix: duplicate prefix "ecr-public" (first declared at index 0)',
    ]);
  });

  test("templates need an environment that manages registry settings", () => {
    const raw = { ...withTemplates(pullThroughCache), environments: [{ name: "dev", manageRegistrySettings: false }] };
    expect(problemsOf(raw)).toEqual([
      "repositoryCreationTemplates: creation templates are registry settings, created only in environments with manageRegistrySettings: true, and no environment has it",
    ]);
  });

  test("an exclusion mode needs exclusion filters", () => {
    expect(problemsOf(withTemplates({ ...pullThroughCache, tagMutability: "MUTABLE_WITH_EXCLUSION" }))).toEqual([
      "repositoryCreationTemplates[0].mutabilityExclusions: is required when tagMutability is MUTABLE_WITH_EXCLUSION",
    ]);
  });

  test("a description longer than ECR's 256 characters is rejected", () => {
    expect(problemsOf(withTemplates({ ...pullThroughCache, description: "d".repeat(257) }))).toEqual([
      "repositoryCreationTemplates[0].description: template descriptions must be at most 256 characters",
    ]);
  });

  test("lifecycle problems are reported under the template", () => {
    const lifecycle = { rules: [{ tagStatus: "untagged", olderThanDays: 1 }, { tagStatus: "untagged", keepLast: 2 }] };
    expect(problemsOf(withTemplates({ ...pullThroughCache, lifecycle }))).toEqual([
      "repositoryCreationTemplates[0].lifecycle.rules[1].tagStatus: rules[0] already selects untagged images; ECR allows only one rule with tagStatus untagged",
    ]);
  });

  test("more than 50 tags on created repositories is rejected", () => {
    const tags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`Tag${i}`, "x"]));
    expect(problemsOf(withTemplates({ ...pullThroughCache, tags }))).toEqual([
      "repositoryCreationTemplates[0].tags: created repositories would carry 51 tags with Purpose, Project, Environment and the registry's tags; AWS allows at most 50",
    ]);
  });

  test("a ROOT template cannot be scanned by the derived rule while a repository opts out", () => {
    const raw = { ...withTemplates({ prefix: "ROOT", appliedFor: ["REPLICATION"] }), repositories: [{ name: "ab" }, { name: "cd", scanOnPush: false }] };
    expect(problemsOf(raw)).toEqual([
      'repositoryCreationTemplates[0].prefix: repositories ECR creates from a ROOT template can only be scanned with the filter "*", which also matches "cd" (repositories[1], scanOnPush: false); use a prefix, scan that repository, or write scanning.rules',
    ]);
  });

  test("a template whose namespace holds an opted-out repository is an error", () => {
    const raw = { ...withTemplates(pullThroughCache), repositories: [{ name: "ab" }, { name: "ecr-public/mirror", scanOnPush: false }] };
    expect(problemsOf(raw)).toEqual([
      'repositoryCreationTemplates[0].prefix: repositories ECR creates from this template are scanned with the filter "ecr-public/*", which also matches "ecr-public/mirror" (repositories[1], scanOnPush: false); move that repository out of the prefix, scan it, or write scanning.rules',
    ]);
  });

  test("explicit scanning rules must cover every template's repositories", () => {
    const raw = { ...withTemplates(pullThroughCache), scanning: { rules: [{ frequency: "SCAN_ON_PUSH", filters: ["ai-models/*"] }] }, repositories: [{ name: "ai-models/llm" }] };
    expect(problemsOf(raw)).toEqual([
      'repositoryCreationTemplates[0].prefix: no scanning.rules filter covers every repository ECR creates from this template, so they would not all be scanned; add the filter "ecr-public/*"',
    ]);
  });
});
