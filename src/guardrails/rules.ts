import { memoByKey } from "../cache";
import { PROTECTED_RESOURCE_TYPES } from "../config/schema/data-safety";
import type { GuardrailRuleId } from "../config/schema/guardrails";
import { ROOT_PREFIX, cacheTemplateFor } from "../config/schema/creation-templates";
import { scanFilterCoversPrefix, scanFilterMatches } from "../config/schema/scanning";
import { EVENTBRIDGE_PRINCIPAL, EVENTBRIDGE_TOPIC_KEY_ACTIONS } from "../policies/finding-notifications";
import { ECR_CACHE_IMPORT_ACTIONS, ECR_PULL_ACTIONS, SIGN_PAYLOAD_ACTION } from "../access/actions";
import {
  actionCovers,
  allowsActions,
  awsPrincipals,
  conditionKeys,
  deniesInsecureTransport,
  hasOrganizationCondition,
  isWildcardPrincipal,
  servicePrincipals,
  statementName,
  wildcardActions,
} from "./policy";
import { GuardrailView, ResourceView, StackView, Subject, compare, referencedAddress, templateNamespace } from "./view";

/**
 * The guardrail catalogue: every rule the synthesized stacks must pass, in one table. Each rule
 * reads the Terraform JSON that synth writes (never the YAML), so a setting is judged as AWS will
 * get it, whichever config field or construct produced it. The rule table of docs/guardrails.md is generated
 * from this table (`npm run docs`).
 */

/** What a waiver may name for a rule: the repositories, creation templates or environments it checks. */
export type SubjectKind = Subject["kind"];

/** One evaluation of one rule against one resource (or one stack setting). */
export interface GuardrailCheck {
  /** The stack, e.g. `model-registry-prod`. */
  readonly stack: string;
  /** The Terraform address within the stack, e.g. `aws_ecr_repository.ai-models__llm`, or `terraform.backend.s3`. */
  readonly address: string;
  readonly subject: Subject;
  readonly passed: boolean;
  /** What the synthesized setting is, in one sentence. */
  readonly detail: string;
  /** The config field behind the setting, when one is (`repositories[2].tagMutability`). */
  readonly configPath?: string;
}

export interface GuardrailRule {
  /** Stable id: config waivers, reports and the docs name rules by it (`GUARDRAIL_RULE_IDS`). Never rename one. */
  readonly id: GuardrailRuleId;
  /** Why the rule exists, in one line. */
  readonly reason: string;
  /** The public controls it follows (AWS Security Hub, checkov), or where the requirement comes from. */
  readonly controls: readonly string[];
  /** Which resources it checks, in which stacks. */
  readonly scope: string;
  /** How to fix a violation, in one line. */
  readonly fix: string;
  /** What a waiver of this rule may name (`repositories`, `creationTemplates`, `environments`). */
  readonly subjects: readonly SubjectKind[];
  readonly evaluate: (view: GuardrailView) => GuardrailCheck[];
}

const check = (resource: ResourceView, subject: Subject, passed: boolean, detail: string, configPath?: string): GuardrailCheck => ({
  stack: resource.stack.name,
  address: resource.address,
  subject,
  passed,
  detail,
  configPath,
});

const repositorySubject = (view: GuardrailView, resource: ResourceView): Subject => ({ kind: "repository", name: view.repositoryOfId(resource.id) });
const templateSubject = (resource: ResourceView): Subject => ({ kind: "creationTemplate", prefix: String(resource.body.prefix) });

/** A block the provider schema declares as a list is written as a list; tolerate a bare object too. */
function first(value: unknown): Record<string, any> | undefined {
  if (Array.isArray(value)) return value[0];
  return value && typeof value === "object" ? (value as Record<string, any>) : undefined;
}

/** The number of rules in a lifecycle policy's text, remembered: most repositories share the registry-wide default policy. */
function lifecycleRuleCounter(): (policy: unknown) => number {
  const count = memoByKey(lifecycleRuleCount);
  return (policy) => (typeof policy === "string" ? count(policy) : 0);
}

function lifecycleRuleCount(policy: string): number {
  try {
    const rules = JSON.parse(policy)?.rules;
    return Array.isArray(rules) ? rules.length : 0;
  } catch {
    return 0;
  }
}

/** Whether a policy `Resource` covers every repository under `<prefix>/` (the repository part after `repository/`, wildcards allowed). */
function coversNamespace(resource: string, prefix: string): boolean {
  if (resource === "*") return true;
  const at = resource.indexOf(":repository/");
  return at >= 0 && actionCovers(resource.slice(at + ":repository/".length), `${prefix}/*`);
}

/** Whether ECR creates pull-through cache repositories from a creation template. */
function appliesToCache(template: ResourceView): boolean {
  return Array.isArray(template.body.applied_for) && template.body.applied_for.includes("PULL_THROUGH_CACHE");
}

/** The registry scanning configuration of each registry (account and region) that some stack manages. */
function scanningByRegistry(view: GuardrailView): Map<string, ResourceView> {
  const byRegistry = new Map<string, ResourceView>();
  for (const stack of view.stacks) {
    for (const configuration of stack.resources("aws_ecr_registry_scanning_configuration")) {
      const key = stack.registryKeyOf(configuration.body);
      if (!byRegistry.has(key)) byRegistry.set(key, configuration);
    }
  }
  return byRegistry;
}

interface ScanningFilter {
  readonly frequency: string;
  readonly filter: string;
}

function scanningFilters(configuration: ResourceView): ScanningFilter[] {
  const rules: any[] = Array.isArray(configuration.body.rule) ? configuration.body.rule : [];
  return rules.flatMap((rule) =>
    (Array.isArray(rule.repository_filter) ? rule.repository_filter : []).map((f: any) => ({ frequency: String(rule.scan_frequency), filter: String(f.filter) })),
  );
}

function registryName(registryKey: string): string {
  const [region, account] = registryKey.split("|");
  return account ? `account ${account}, ${region}` : `${region} (account not declared)`;
}

/** The policy documents ECR enforces on its own resources: repository policies, the registry policy, templates' repository policies. */
function ecrPolicies(view: GuardrailView): Array<{ resource: ResourceView; subject: Subject; text: unknown; configPath?: string }> {
  return view.stacks.flatMap((stack) => [
    ...stack.resources("aws_ecr_repository_policy").map((r) => {
      const subject = repositorySubject(view, r);
      return { resource: r, subject, text: r.body.policy, configPath: subject.kind === "repository" ? view.repositoryConsumersPath(subject.name) : undefined };
    }),
    ...stack.resources("aws_ecr_registry_policy").map((r) => ({
      resource: r,
      subject: view.stackSubject(stack),
      text: r.body.policy,
      // Replication sources and cache consumers share the registry policy (RegistryPolicy).
      configPath: (view.policyStatements(r.body.policy) ?? []).some((st) => st.actions.includes("ecr:ReplicateImage")) ? "replication" : "pullThroughCache",
    })),
    ...stack
      .resources("aws_ecr_repository_creation_template")
      .filter((r) => r.body.repository_policy !== undefined)
      .map((r) => ({ resource: r, subject: templateSubject(r), text: r.body.repository_policy, configPath: view.templatePath(String(r.body.prefix)) })),
  ]);
}

/** Identity policies: per repository (`<id>_push`, `<id>_pull`) or the stack's own roles. */
function identityPolicies(view: GuardrailView): Array<{ resource: ResourceView; subject: Subject; text: unknown; configPath?: string }> {
  return view.stacks.flatMap((stack) => [
    ...stack.resources("aws_iam_policy").map((r) => {
      const level = /^(.+)_(push|pull)$/.exec(r.id);
      const subject: Subject = level ? { kind: "repository", name: view.repositoryOfId(level[1]) } : view.stackSubject(stack);
      return { resource: r, subject, text: r.body.policy, configPath: subject.kind === "repository" ? view.repositoryConsumersPath(subject.name) : undefined };
    }),
    ...stack.resources("aws_iam_role_policy").map((r) => ({ resource: r, subject: view.stackSubject(stack), text: r.body.policy })),
  ]);
}

/** The resources of `type` in the stack that point at `bucket` through their `bucket` argument. */
function bucketResources(bucket: ResourceView, type: string): ResourceView[] {
  return bucket.stack.resourcesReferring(type, "bucket", bucket, "bucket");
}

function everyBucket(view: GuardrailView): ResourceView[] {
  return view.stacks.flatMap((s) => s.resources("aws_s3_bucket"));
}

export const GUARDRAIL_RULES: readonly GuardrailRule[] = [
  {
    id: "ecr-scan-on-push",
    reason: "Images with known vulnerabilities are found when they are pushed, not when they run.",
    controls: ["AWS Security Hub ECR.1", "checkov CKV_AWS_163"],
    scope:
      "every repository (`scan_on_push` on, and matched by a rule of its registry's scanning configuration, which overrides the repository's flag) and every creation template (its namespace covered by a registry rule)",
    fix: "Set scanOnPush: true (the default) and, with explicit scanning.rules, add a filter that matches the repository or the template's <prefix>/*.",
    subjects: ["repository", "creationTemplate"],
    evaluate(view) {
      const registries = scanningByRegistry(view);
      return view.stacks.flatMap((stack) => {
        const registryOf = (resource: ResourceView) => {
          const key = stack.registryKeyOf(resource.body);
          const configuration = registries.get(key);
          const filters = configuration ? scanningFilters(configuration) : [];
          const where = configuration ? `${configuration.address} of ${configuration.stack.name}` : "";
          return { key, configuration, filters, where };
        };
        const repositories = stack.resources("aws_ecr_repository").map((repo) => {
          const { key, configuration, filters, where } = registryOf(repo);
          const subject = repositorySubject(view, repo);
          const name = String(repo.body.name);
          const path = subject.kind === "repository" ? view.repositoryPath(subject.name, "scanOnPush") : undefined;
          if (first(repo.body.image_scanning_configuration)?.scan_on_push !== true)
            return check(repo, subject, false, "image_scanning_configuration.scan_on_push is not true", path);
          if (!configuration)
            return check(
              repo,
              subject,
              true,
              `scan_on_push is true; no stack of this config manages the scanning configuration of its registry (${registryName(key)}), so that registry's rules are not checked here`,
              path,
            );
          const match = filters.find((f) => scanFilterMatches(f.filter, name));
          return match
            ? check(repo, subject, true, `scanned ${match.frequency === "CONTINUOUS_SCAN" ? "continuously" : "on push"}: the filter "${match.filter}" of ${where} matches "${name}"`, path)
            : check(
                repo,
                subject,
                false,
                `scan_on_push is true, but no rule of ${where} matches "${name}", and the registry's rules override a repository's flag, so ECR does not scan it`,
                view.scanningRulesPath() ?? path,
              );
        });
        const templates = stack.resources("aws_ecr_repository_creation_template").map((template) => {
          const { key, configuration, filters, where } = registryOf(template);
          const prefix = String(template.body.prefix);
          const path = view.templatePath(prefix, "prefix");
          if (!configuration)
            return check(template, templateSubject(template), false, `no scanning configuration of this registry (${registryName(key)}) is in this config, so the repositories ECR creates here are not known to be scanned`, path);
          const match = filters.find((f) => scanFilterCoversPrefix(f.filter, prefix));
          return match
            ? check(template, templateSubject(template), true, `the filter "${match.filter}" of ${where} covers ${templateNamespace(prefix)}`, path)
            : check(template, templateSubject(template), false, `no rule of ${where} covers ${templateNamespace(prefix)}, so the repositories ECR creates from this template are not scanned`, view.scanningRulesPath() ?? path);
        });
        return [...repositories, ...templates];
      });
    },
  },
  {
    id: "ecr-tag-immutability",
    reason: "A released model tag must always mean the same image: mutable tags let a push silently replace what production pulls.",
    controls: ["AWS Security Hub ECR.2", "checkov CKV_AWS_51"],
    scope:
      "repositories and creation templates in protected environments: `IMMUTABLE`, or `IMMUTABLE_WITH_EXCLUSION` with an explicit list of tags that may move. Templates applied for `PULL_THROUGH_CACHE` are exempt: ECR refreshes a cached image under its upstream tag, which immutability prevents (`pull-through-cache-mutable-tags` requires them MUTABLE; pin base images by digest)",
    fix: "Set tagMutability: IMMUTABLE, or IMMUTABLE_WITH_EXCLUSION with mutabilityExclusions naming the few tags that must move (e.g. latest).",
    subjects: ["repository", "creationTemplate"],
    evaluate(view) {
      const judge = (resource: ResourceView, subject: Subject, path?: string): GuardrailCheck => {
        const mutability = String(resource.body.image_tag_mutability ?? "MUTABLE");
        const exclusions: string[] = (resource.body.image_tag_mutability_exclusion_filter ?? []).map((f: any) => String(f.filter));
        const environment = resource.stack.info.environment;
        if (mutability === "IMMUTABLE") return check(resource, subject, true, "image_tag_mutability is IMMUTABLE", path);
        if (mutability === "IMMUTABLE_WITH_EXCLUSION" && exclusions.length > 0)
          return check(resource, subject, true, `image_tag_mutability is IMMUTABLE_WITH_EXCLUSION; only ${exclusions.join(", ")} may move`, path);
        return check(resource, subject, false, `image_tag_mutability is ${mutability} in the protected environment ${environment}`, path);
      };
      return view.environmentStacks()
        .filter((stack) => stack.info.protected)
        .flatMap((stack) => [
          ...stack.resources("aws_ecr_repository").map((repo) => {
            const subject = repositorySubject(view, repo);
            return judge(repo, subject, subject.kind === "repository" ? view.repositoryPath(subject.name, "tagMutability") : undefined);
          }),
          ...stack
            .resources("aws_ecr_repository_creation_template")
            .filter((t) => !appliesToCache(t))
            .map((t) => judge(t, templateSubject(t), view.templatePath(String(t.body.prefix), "tagMutability"))),
        ]);
    },
  },
  {
    id: "ecr-lifecycle-policy",
    reason: "Without a lifecycle policy every pushed image is kept (and billed) forever.",
    controls: ["AWS Security Hub ECR.3"],
    scope: "every repository has an `aws_ecr_lifecycle_policy` with at least one rule; every creation template has a `lifecycle_policy` with at least one rule",
    fix: "Remove lifecycle: {enabled: false} from the repository or template (or from the registry-wide lifecycle), or give it rules.",
    subjects: ["repository", "creationTemplate"],
    evaluate(view) {
      const ruleCount = lifecycleRuleCounter();
      return view.stacks.flatMap((stack) => {
        const repositories = stack.resources("aws_ecr_repository").map((repo) => {
          const subject = repositorySubject(view, repo);
          const path = subject.kind === "repository" ? view.repositoryLifecyclePath(subject.name) : undefined;
          const policy = stack.resourcesReferring("aws_ecr_lifecycle_policy", "repository", repo, "name")[0];
          if (!policy) return check(repo, subject, false, "no aws_ecr_lifecycle_policy applies to it", path);
          const rules = ruleCount(policy.body.policy);
          return rules > 0
            ? check(repo, subject, true, `${policy.address} has ${rules} ${rules === 1 ? "rule" : "rules"}`, path)
            : check(repo, subject, false, `${policy.address} has no rules`, path);
        });
        const templates = stack.resources("aws_ecr_repository_creation_template").map((t) => {
          const rules = ruleCount(t.body.lifecycle_policy);
          const path = view.templatePath(String(t.body.prefix), "lifecycle");
          return rules > 0
            ? check(t, templateSubject(t), true, `lifecycle_policy has ${rules} ${rules === 1 ? "rule" : "rules"}`, path)
            : check(t, templateSubject(t), false, "the template has no lifecycle_policy, so repositories ECR creates from it keep every image", path);
        });
        return [...repositories, ...templates];
      });
    },
  },
  {
    id: "ecr-kms-encryption",
    reason: "A customer managed KMS key puts reading the images under a key policy you control, with every use logged in CloudTrail.",
    controls: ["AWS Security Hub ECR.5", "checkov CKV_AWS_136"],
    scope: "every repository and creation template: `encryption_type = KMS` with a customer managed `kms_key` (not AES256, not the AWS managed `aws/ecr` key)",
    fix: "Set encryption: {type: KMS} (the default: the environment's managed key), or give kmsKeyArn.",
    subjects: ["repository", "creationTemplate"],
    evaluate(view) {
      const judge = (resource: ResourceView, subject: Subject, path?: string): GuardrailCheck => {
        const encryption = first(resource.body.encryption_configuration);
        const type = String(encryption?.encryption_type ?? "AES256");
        if (type !== "KMS") return check(resource, subject, false, `encryption_type is ${type} (S3-managed keys)`, path);
        if (!encryption?.kms_key) return check(resource, subject, false, "encryption_type is KMS without kms_key, i.e. the AWS managed key aws/ecr", path);
        return check(resource, subject, true, `encrypted with KMS key ${encryption.kms_key}`, path);
      };
      return view.stacks.flatMap((stack) => [
        ...stack.resources("aws_ecr_repository").map((repo) => {
          const subject = repositorySubject(view, repo);
          return judge(repo, subject, subject.kind === "repository" ? view.repositoryPath(subject.name, "encryption") : undefined);
        }),
        ...stack.resources("aws_ecr_repository_creation_template").map((t) => judge(t, templateSubject(t), view.templatePath(String(t.body.prefix), "encryption"))),
      ]);
    },
  },
  {
    id: "ecr-policy-no-public-access",
    reason: "A policy that grants to Principal \"*\" without an organization condition opens the images to every AWS account.",
    controls: ["checkov CKV_AWS_32"],
    scope:
      "every repository policy, the registry policy and creation templates' repository policies: no `Allow` statement to `*` (or with `NotPrincipal`) unless limited by `aws:PrincipalOrgID`",
    fix: "Name the principals as consumers, or share with an organization through kind: organization (which adds the aws:PrincipalOrgID condition).",
    subjects: ["repository", "creationTemplate", "environment"],
    evaluate(view) {
      return ecrPolicies(view).map(({ resource, subject, text, configPath }) => {
        const statements = view.policyStatements(text);
        if (!statements) return check(resource, subject, false, "the policy is not a JSON policy document, so it cannot be checked", configPath);
        const open: string[] = [];
        let limited = 0;
        statements.forEach((statement, i) => {
          if (statement.effect !== "Allow") return;
          if (statement.notPrincipal !== undefined) open.push(`${statementName(statement, i)} allows everyone except a NotPrincipal`);
          else if (isWildcardPrincipal(statement.principal)) {
            if (hasOrganizationCondition(statement)) limited++;
            else open.push(`${statementName(statement, i)} allows Principal "*" without an aws:PrincipalOrgID condition`);
          }
        });
        if (open.length > 0) return check(resource, subject, false, open.join("; "), configPath);
        return check(
          resource,
          subject,
          true,
          limited > 0 ? `Principal "*" only with an aws:PrincipalOrgID condition (${limited} ${limited === 1 ? "statement" : "statements"})` : "grants to named principals only",
          configPath,
        );
      });
    },
  },
  {
    id: "policy-no-wildcard-actions",
    reason: "Wildcard actions (ecr:*, ecr:Put*, *) grant whatever AWS adds later, including deleting images and changing policies.",
    controls: ["AWS IAM best practice: grant least privilege"],
    scope:
      "every ECR repository, registry and creation-template policy and every IAM policy this project writes: `Allow` statements name their actions, without `*`/`?` and without `NotAction`",
    fix: "Grant access through consumer kinds (push, pull, lambda, organization), whose action lists are fixed in src/access/actions.ts.",
    subjects: ["repository", "creationTemplate", "environment"],
    evaluate(view) {
      return [...ecrPolicies(view), ...identityPolicies(view)].map(({ resource, subject, text, configPath }) => {
        const statements = view.policyStatements(text);
        if (!statements) return check(resource, subject, false, "the policy is not a JSON policy document, so it cannot be checked", configPath);
        const problems: string[] = [];
        statements.forEach((statement, i) => {
          if (statement.effect !== "Allow") return;
          const wildcards = wildcardActions(statement);
          if (wildcards.length > 0) problems.push(`${statementName(statement, i)} allows ${wildcards.join(", ")}`);
          if (statement.notActions.length > 0) problems.push(`${statementName(statement, i)} allows every action except NotAction ${statement.notActions.join(", ")}`);
        });
        return problems.length > 0 ? check(resource, subject, false, problems.join("; "), configPath) : check(resource, subject, true, "every allowed action is named", configPath);
      });
    },
  },
  {
    id: "ecr-no-force-delete",
    reason: "force_delete lets Terraform delete a repository together with the images in it; without it AWS refuses while images remain.",
    controls: ["this project: No data loss (docs/data-safety.md)"],
    scope: "every repository: `force_delete` absent or false",
    fix: "Remove the force_delete override; retire the repository (retired) and delete it by hand once its images are no longer needed.",
    subjects: ["repository"],
    evaluate(view) {
      return view.stacks.flatMap((stack) =>
        stack.resources("aws_ecr_repository").map((repo) => {
          const subject = repositorySubject(view, repo);
          const path = subject.kind === "repository" ? view.repositoryPath(subject.name) : undefined;
          return repo.body.force_delete === true
            ? check(repo, subject, false, "force_delete is true, so destroying it would delete its images too", path)
            : check(repo, subject, true, "force_delete is off", path);
        }),
      );
    },
  },
  {
    id: "prevent-destroy",
    reason: "In production, a plan that destroys or replaces a repository, its KMS key or the state bucket loses data; Terraform must refuse it.",
    controls: ["this project: No data loss (docs/data-safety.md)", "related: AWS Security Hub KMS.3"],
    scope: `\`lifecycle.prevent_destroy\` on every ${PROTECTED_RESOURCE_TYPES.map((t) => `\`${t}\``).join(" and ")} of a protected environment, and on the state stack's bucket and keys`,
    fix: "Keep the environment protected (protected: true, the default for prod and production); resources of protected types get prevent_destroy from src/aspects/prevent-destroy.ts.",
    subjects: ["repository", "environment", "state"],
    evaluate(view) {
      return view.stacks
        .filter((stack) => stack.info.protected)
        .flatMap((stack) => {
          const types = stack.info.kind === "state" ? ["aws_s3_bucket", "aws_kms_key"] : PROTECTED_RESOURCE_TYPES;
          return types.flatMap((type) =>
            stack.resources(type).map((resource) => {
              const subject = type === "aws_ecr_repository" ? repositorySubject(view, resource) : view.stackSubject(stack);
              const path = stack.info.kind === "state" ? "state" : view.environmentPath(stack, "protected");
              const where = stack.info.kind === "state" ? "the state stack" : `the protected environment ${stack.info.environment}`;
              return resource.body.lifecycle?.prevent_destroy === true
                ? check(resource, subject, true, "lifecycle.prevent_destroy is true", path)
                : check(resource, subject, false, `lifecycle.prevent_destroy is not set in ${where}`, path);
            }),
          );
        });
    },
  },
  {
    id: "kms-key-rotation",
    reason: "Yearly rotation limits how much data one key version protects.",
    controls: ["AWS Security Hub KMS.4", "checkov CKV_AWS_7"],
    scope: "every `aws_kms_key`: `enable_key_rotation = true`",
    fix: "Create keys through RegistryEncryptionKey (src/constructs/registry-encryption-key.ts) or set enableKeyRotation: true.",
    subjects: ["environment", "state"],
    evaluate(view) {
      return view.stacks.flatMap((stack) =>
        stack.resources("aws_kms_key").map((key) =>
          key.body.enable_key_rotation === true
            ? check(key, view.stackSubject(stack), true, "enable_key_rotation is true")
            : check(key, view.stackSubject(stack), false, "enable_key_rotation is not true"),
        ),
      );
    },
  },
  {
    id: "state-backend-encryption",
    reason: "Terraform state holds every resource's attributes; it must be encrypted at rest.",
    controls: ["Terraform S3 backend: encrypt"],
    scope: "every environment stack: an S3 backend with `encrypt = true`, or HCP Terraform (`cloud`), which encrypts state itself",
    fix: "Keep state.backend s3 (encrypt is always on) or hcp; a local or other backend is not supported for environment stacks.",
    subjects: ["environment"],
    evaluate(view) {
      return view.environmentStacks().map((stack) => {
        const backend = backendOf(stack);
        const path = view.backendPath(stack);
        if (backend.kind === "cloud") return { ...backend.at, passed: true, detail: "HCP Terraform keeps the state, encrypted at rest", configPath: path };
        if (backend.kind === "s3")
          return backend.settings.encrypt === true
            ? { ...backend.at, passed: true, detail: backend.settings.kms_key_id ? `encrypt is true, with KMS key ${backend.settings.kms_key_id}` : "encrypt is true", configPath: path }
            : { ...backend.at, passed: false, detail: "the S3 backend does not set encrypt = true", configPath: path };
        return { ...backend.at, passed: false, detail: `state is kept in a ${backend.kind} backend`, configPath: path };
      });
    },
  },
  {
    id: "state-backend-locking",
    reason: "Two applies against unlocked state can overwrite each other's changes.",
    controls: ["Terraform S3 backend: use_lockfile / dynamodb_table"],
    scope: "every environment stack: an S3 backend with `use_lockfile = true` or a `dynamodb_table`, or HCP Terraform (`cloud`), which locks runs itself",
    fix: "Keep state.backend s3 (use_lockfile is always on) or hcp.",
    subjects: ["environment"],
    evaluate(view) {
      return view.environmentStacks().map((stack) => {
        const backend = backendOf(stack);
        const path = view.backendPath(stack);
        if (backend.kind === "cloud") return { ...backend.at, passed: true, detail: "HCP Terraform locks the workspace during runs", configPath: path };
        if (backend.kind === "s3") {
          const { use_lockfile: lockfile, dynamodb_table: table } = backend.settings;
          if (lockfile === true || table)
            return {
              ...backend.at,
              passed: true,
              detail: [lockfile === true ? "use_lockfile is true" : "", table ? `dynamodb_table is ${table}` : ""].filter(Boolean).join(", "),
              configPath: path,
            };
          return { ...backend.at, passed: false, detail: "the S3 backend sets neither use_lockfile = true nor dynamodb_table", configPath: path };
        }
        return { ...backend.at, passed: false, detail: `state is kept in a ${backend.kind} backend`, configPath: path };
      });
    },
  },
  {
    id: "s3-bucket-public-access-block",
    reason: "The state bucket must never become public through a bucket policy or an ACL.",
    controls: ["AWS Security Hub S3.8", "checkov CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56"],
    scope: "every S3 bucket (the state bucket): an `aws_s3_bucket_public_access_block` with all four flags true",
    fix: "Create state buckets through StateBucket (src/constructs/state-bucket.ts), which blocks all public access.",
    subjects: ["state"],
    evaluate(view) {
      const flags = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
      return everyBucket(view).map((bucket) => {
        const subject = view.stackSubject(bucket.stack);
        const block = bucketResources(bucket, "aws_s3_bucket_public_access_block")[0];
        if (!block) return check(bucket, subject, false, "no aws_s3_bucket_public_access_block applies to it", "state");
        const off = flags.filter((f) => block.body[f] !== true);
        return off.length === 0
          ? check(bucket, subject, true, `${block.address} turns on all four flags`, "state")
          : check(bucket, subject, false, `${block.address} leaves ${off.join(", ")} off`, "state");
      });
    },
  },
  {
    id: "s3-bucket-tls-only",
    reason: "State in transit must be encrypted; a bucket policy must refuse plain-HTTP requests.",
    controls: ["AWS Security Hub S3.5"],
    scope: "every S3 bucket: its bucket policy denies `s3:*` to everyone on the bucket and its objects when `aws:SecureTransport` is `false`",
    fix: "Create state buckets through StateBucket, whose policy (src/policies/state-bucket-policy.ts) denies non-TLS requests.",
    subjects: ["state"],
    evaluate(view) {
      return everyBucket(view).map((bucket) => {
        const subject = view.stackSubject(bucket.stack);
        const name = String(bucket.body.bucket);
        const policies = bucketResources(bucket, "aws_s3_bucket_policy");
        const denies = policies.some((policy) =>
          (view.policyStatements(policy.body.policy) ?? []).some(
            (s) =>
              s.effect === "Deny" &&
              isWildcardPrincipal(s.principal) &&
              s.actions.some((a) => a === "s3:*" || a === "*") &&
              [`:s3:::${name}`, `:s3:::${name}/*`].every((suffix) => s.resources.some((r) => r === "*" || (r.startsWith("arn:") && r.endsWith(suffix)))) &&
              deniesInsecureTransport(s),
          ),
        );
        if (denies) return check(bucket, subject, true, `${policies[0].address} denies requests without TLS (aws:SecureTransport false)`, "state");
        return check(bucket, subject, false, policies.length === 0 ? "no bucket policy applies to it" : "its bucket policy does not deny requests without TLS on the bucket and its objects", "state");
      });
    },
  },
  {
    id: "s3-bucket-versioning",
    reason: "Every state write must be recoverable: a corrupted or deleted state file is rolled back from an earlier version.",
    controls: ["AWS Security Hub S3.14", "checkov CKV_AWS_21"],
    scope: "every S3 bucket: `aws_s3_bucket_versioning` with status `Enabled`",
    fix: "Create state buckets through StateBucket, which turns versioning on.",
    subjects: ["state"],
    evaluate(view) {
      return everyBucket(view).map((bucket) => {
        const subject = view.stackSubject(bucket.stack);
        const versioning = bucketResources(bucket, "aws_s3_bucket_versioning")[0];
        const status = versioning ? first(versioning.body.versioning_configuration)?.status : undefined;
        return status === "Enabled"
          ? check(bucket, subject, true, `${versioning!.address} is Enabled`, "state")
          : check(bucket, subject, false, versioning ? `${versioning.address} is ${String(status)}` : "no aws_s3_bucket_versioning applies to it", "state");
      });
    },
  },
  {
    id: "sns-topic-encryption",
    reason: "Scan findings name vulnerable images; the topic that carries them must be encrypted at rest.",
    controls: ["checkov CKV_AWS_26"],
    scope: "every `aws_sns_topic`: a `kms_master_key_id`",
    fix: "Create finding topics through FindingNotifications (src/constructs/finding-notifications.ts), which encrypts them with their own key.",
    subjects: ["environment"],
    evaluate(view) {
      return view.stacks.flatMap((stack) =>
        stack.resources("aws_sns_topic").map((topic) =>
          topic.body.kms_master_key_id
            ? check(topic, view.stackSubject(stack), true, `encrypted with ${topic.body.kms_master_key_id}`, "notifications")
            : check(topic, view.stackSubject(stack), false, "kms_master_key_id is not set", "notifications"),
        ),
      );
    },
  },
  {
    id: "eventbridge-topic-key",
    reason:
      "EventBridge publishes to an encrypted topic only if the topic's key lets it, and SNS does not support source conditions (aws:SourceArn, aws:SourceAccount, aws:SourceOrgID) on that key: with them every notification fails silently.",
    controls: ["Amazon SNS Developer Guide: Key management, event sources and encrypted topics"],
    scope:
      "every `aws_sns_topic` an `aws_cloudwatch_event_target` delivers to, encrypted with an `aws_kms_key` of the same stack: the key policy allows `events.amazonaws.com` `kms:GenerateDataKey` and `kms:Decrypt` in a statement without `aws:SourceArn`, `aws:SourceAccount` or `aws:SourceOrgID` conditions",
    fix: "Create finding topics through FindingNotifications, whose key policy (src/policies/finding-notifications.ts) lets EventBridge use the key unconditioned; keep the source conditions on the topic policy.",
    subjects: ["environment"],
    evaluate(view) {
      const sourceKeys = ["aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid"];
      return view.stacks.flatMap((stack) =>
        stack
          .resources("aws_sns_topic")
          .filter((topic) => stack.resourcesReferring("aws_cloudwatch_event_target", "arn", topic, "arn").length > 0)
          .map((topic) => {
            const subject = view.stackSubject(stack);
            if (!topic.body.kms_master_key_id)
              return check(topic, subject, true, "the topic is not encrypted, so EventBridge needs no key (sns-topic-encryption reports it)", "notifications");
            const keyAddress = referencedAddress(topic.body.kms_master_key_id);
            const key = stack.resources("aws_kms_key").find((k) => k.address === keyAddress);
            if (!key)
              return check(topic, subject, false, `EventBridge delivers to it, but its key (${String(topic.body.kms_master_key_id ?? "none")}) is not a key of this stack whose policy can be checked`, "notifications");
            const grants = (view.policyStatements(key.body.policy) ?? []).filter(
              (s) => s.effect === "Allow" && servicePrincipals(s.principal).includes(EVENTBRIDGE_PRINCIPAL) && allowsActions(s, EVENTBRIDGE_TOPIC_KEY_ACTIONS),
            );
            const usable = grants.find((s) => !conditionKeys(s).some((k) => sourceKeys.includes(k)));
            if (usable) return check(topic, subject, true, `${key.address} lets ${EVENTBRIDGE_PRINCIPAL} use ${EVENTBRIDGE_TOPIC_KEY_ACTIONS.join(" and ")} without source conditions`, "notifications");
            if (grants.length > 0) {
              const keys = [...new Set(grants.flatMap((s) => conditionKeys(s).filter((k) => sourceKeys.includes(k))))].join(", ");
              return check(topic, subject, false, `${key.address} lets ${EVENTBRIDGE_PRINCIPAL} use the key only under ${keys}, which SNS does not support on the key of a topic EventBridge publishes to, so every notification would fail`, "notifications");
            }
            return check(topic, subject, false, `${key.address} does not let ${EVENTBRIDGE_PRINCIPAL} use ${EVENTBRIDGE_TOPIC_KEY_ACTIONS.join(" and ")}, so EventBridge cannot publish to the topic`, "notifications");
          }),
      );
    },
  },
  {
    id: "pull-through-cache-template",
    reason:
      "Without a creation template, ECR creates cache repositories with mutable tags, AES256 encryption and no lifecycle policy, none of which the other rules would see.",
    controls: ["this project; the created repositories then meet ECR.1, ECR.2, ECR.3 and ECR.5 through the template"],
    scope: "every pull-through cache rule: a creation template for `PULL_THROUGH_CACHE` in the same registry whose prefix is the cache's prefix, a namespace above it, or `ROOT`",
    fix: "Add a repositoryCreationTemplates entry with the cache's prefix (or ROOT) and appliedFor: [PULL_THROUGH_CACHE].",
    subjects: ["environment"],
    evaluate(view) {
      return view.stacks.flatMap((stack) => {
        const templates = stack.resources("aws_ecr_repository_creation_template").filter(appliesToCache);
        return stack.resources("aws_ecr_pull_through_cache_rule").map((rule) => {
          const prefix = String(rule.body.ecr_repository_prefix);
          const template = templates.find((t) => t.body.prefix === ROOT_PREFIX || `${prefix}/`.startsWith(`${t.body.prefix}/`));
          return template
            ? check(rule, view.stackSubject(stack), true, `${template.address} (prefix ${template.body.prefix}) sets up the repositories it creates under ${prefix}/`, "repositoryCreationTemplates")
            : check(rule, view.stackSubject(stack), false, `no creation template for PULL_THROUGH_CACHE covers ${prefix}/, so ECR creates its repositories with default settings`, "repositoryCreationTemplates");
        });
      });
    },
  },
  {
    id: "pull-through-cache-mutable-tags",
    reason:
      "ECR refreshes a cached image by importing the upstream's new image under the same tag; in a repository with immutable tags it cannot, so cached base images would never get their security fixes.",
    controls: ["Amazon ECR User Guide: pull through cache considerations (tag immutability)"],
    scope: "every creation template applied for `PULL_THROUGH_CACHE`: `image_tag_mutability = MUTABLE` (no immutable tags, with or without exclusions)",
    fix: "Leave tagMutability out of the cache's template (MUTABLE is its default) or set MUTABLE, and pin base images by digest (FROM <cache>/<image>@sha256:...) where a build must not move.",
    subjects: ["creationTemplate", "environment"],
    evaluate(view) {
      return view.stacks.flatMap((stack) =>
        stack
          .resources("aws_ecr_repository_creation_template")
          .filter(appliesToCache)
          .map((t) => {
            const mutability = String(t.body.image_tag_mutability ?? "MUTABLE");
            const path = view.templatePath(String(t.body.prefix), "tagMutability");
            return mutability === "MUTABLE"
              ? check(t, templateSubject(t), true, "image_tag_mutability is MUTABLE, so ECR can refresh cached tags", path)
              : check(t, templateSubject(t), false, `image_tag_mutability is ${mutability}, so ECR cannot refresh a cached image whose tag is immutable`, path);
          }),
      );
    },
  },
  {
    id: "pull-through-cache-access",
    reason:
      "A cache nobody may use is dead weight, and one that imports images for principals the created repositories do not let pull fails their first build: both are silent until someone pulls.",
    controls: ["Amazon ECR User Guide: IAM permissions for pull through cache"],
    scope:
      "every pull-through cache rule: some principal is allowed `ecr:BatchImportUpstreamImage` and `ecr:CreateRepository` on `repository/<prefix>/*` by the registry policy or an IAM policy of the stack, and every principal the registry policy allows is allowed the pull actions by the repository policy of the creation template that serves the prefix",
    fix: "Declare who pulls through the cache (pullThroughCache.rules[].consumers, or registry-wide push consumers) and keep a creation template for PULL_THROUGH_CACHE covering its prefix.",
    subjects: ["environment"],
    evaluate(view) {
      const importActions = [...ECR_CACHE_IMPORT_ACTIONS];
      const pullActions = [...ECR_PULL_ACTIONS];
      return view.stacks.flatMap((stack) => {
        const registryStatements = stack.resources("aws_ecr_registry_policy").flatMap((r) => view.policyStatements(r.body.policy) ?? []);
        const identityStatements = stack.resources("aws_iam_policy").flatMap((r) => view.policyStatements(r.body.policy) ?? []);
        const templates = stack.resources("aws_ecr_repository_creation_template").filter(appliesToCache);
        return stack.resources("aws_ecr_pull_through_cache_rule").map((rule) => {
          const subject = view.stackSubject(stack);
          const prefix = String(rule.body.ecr_repository_prefix);
          const path = view.pullThroughCachePath(stack, prefix);
          const grants = (statements: typeof registryStatements) =>
            statements.filter((s) => s.effect === "Allow" && allowsActions(s, importActions) && s.resources.some((r) => coversNamespace(r, prefix)));
          const registryPrincipals = [...new Set(grants(registryStatements).flatMap((s) => awsPrincipals(s.principal)))].sort();
          const identityGrants = grants(identityStatements).length;
          if (registryPrincipals.length === 0 && identityGrants === 0)
            return check(rule, subject, false, `nobody may pull through it: neither the registry policy nor an IAM policy of this stack allows ${importActions.join(" and ")} on repository/${prefix}/*`, path);
          const template = cacheTemplateFor(
            templates.map((t) => ({ prefix: String(t.body.prefix), appliedFor: t.body.applied_for as string[], resource: t })),
            prefix,
          )?.resource;
          if (!template)
            return check(rule, subject, true, `principals may import into ${prefix}/; no creation template serves it, which pull-through-cache-template reports`, path);
          const pullers = (view.policyStatements(template.body.repository_policy) ?? [])
            .filter((s) => s.effect === "Allow" && allowsActions(s, pullActions))
            .flatMap((s) => awsPrincipals(s.principal));
          const missing = registryPrincipals.filter((p) => !pullers.includes(p));
          if (missing.length > 0)
            return check(
              rule,
              subject,
              false,
              `${missing.join(", ")} may import images into ${prefix}/ but the repository policy of ${template.address} does not let ${missing.length === 1 ? "it" : "them"} pull them`,
              path,
            );
          const who = [registryPrincipals.length > 0 ? `${registryPrincipals.length} by the registry policy` : "", identityGrants > 0 ? `${identityGrants} by IAM policies` : ""].filter(Boolean).join(", ");
          return check(rule, subject, true, `principals may import into and pull from ${prefix}/ (${who})`, path);
        });
      });
    },
  },
  {
    id: "signing-profile-signers",
    reason:
      "A Notation signing profile nobody may call SignPayload on signs nothing, and a cross-account permission for another Signer action (StartSigningJob is not supported for container images) lets CI in that account fail at signing time.",
    controls: ["AWS Signer Developer Guide: cross-account signing; AddProfilePermission"],
    scope:
      "every `aws_signer_signing_profile` on the Notation container platform: each of its `aws_signer_signing_profile_permission`s grants `signer:SignPayload`, and some permission or IAM policy of the stack grants `signer:SignPayload` on it",
    fix: "Declare who signs (signing.signers, or push consumers in the signed environments); cross-account signers get SignPayload permissions, same-account ones the signing identity policy (identityPolicies: true).",
    subjects: ["environment"],
    evaluate(view) {
      return view.stacks.flatMap((stack) =>
        stack
          .resources("aws_signer_signing_profile")
          .filter((profile) => String(profile.body.platform_id).startsWith("Notation-"))
          .map((profile) => {
            const subject = view.stackSubject(stack);
            const permissions = stack.resourcesReferring("aws_signer_signing_profile_permission", "profile_name", profile, "name");
            const wrong = permissions.filter((p) => p.body.action !== SIGN_PAYLOAD_ACTION);
            if (wrong.length > 0)
              return check(profile, subject, false, `${wrong.map((p) => `${p.address} grants ${String(p.body.action)}`).join("; ")}; container images are signed with ${SIGN_PAYLOAD_ACTION} only`, "signing.signers");
            const name = `/signing-profiles/${String(profile.body.name)}`;
            const policies = stack
              .resources("aws_iam_policy")
              .filter((p) => (view.policyStatements(p.body.policy) ?? []).some((s) => s.effect === "Allow" && allowsActions(s, [SIGN_PAYLOAD_ACTION]) && s.resources.some((r) => r === "*" || r.endsWith(name))));
            if (permissions.length === 0 && policies.length === 0)
              return check(profile, subject, false, `nobody may sign with it: no profile permission or IAM policy of this stack grants ${SIGN_PAYLOAD_ACTION} on it`, "signing.signers");
            const by = [
              permissions.length > 0 ? `${permissions.length} cross-account ${permissions.length === 1 ? "permission" : "permissions"}` : "",
              policies.length > 0 ? policies.map((p) => p.address).join(", ") : "",
            ].filter(Boolean);
            return check(profile, subject, true, `${SIGN_PAYLOAD_ACTION} is granted by ${by.join(" and ")}`, "signing.signers");
          }),
      );
    },
  },
  {
    id: "ecr-replica-governed",
    reason:
      "ECR creates a replicated repository with its own defaults (AES256, mutable tags, no lifecycle policy, no repository policy) unless it exists first; replicas must be as safe as their source and pullable by the consumers of their region.",
    controls: ["this project (docs/replication.md); the replicas then meet ECR.1, ECR.2, ECR.3 and ECR.5 like their sources"],
    scope:
      "every repository a replication rule copies to a destination in an account of this config: a repository of the same name in the destination registry (any stack), with scan on push, tag mutability and exclusions, KMS encryption and a lifecycle policy at least as strict as the source's, and a repository policy when consumers list that region",
    fix: "Leave manageReplicas on (the default) for destinations in accounts of this config, and give replicas no weaker settings than their source.",
    subjects: ["repository", "environment"],
    evaluate(view) {
      const replicas = repositoriesByRegistry(view);
      const accounts = new Set(view.environmentStacks().map((s) => s.registryKey.split("|")[1]).filter(Boolean));
      return view.environmentStacks().flatMap((stack) =>
        stack.resources("aws_ecr_replication_configuration").flatMap((configuration) => {
          const [, ownAccount] = stack.registryKey.split("|");
          const rules: any[] = first(configuration.body.replication_configuration)?.rule ?? [];
          const sources = stack.resources("aws_ecr_repository").filter((repo) => stack.registryKeyOf(repo.body) === stack.registryKey);
          return sources.flatMap((repo) => {
            const name = String(repo.body.name);
            const subject = repositorySubject(view, repo);
            const path = subject.kind === "repository" ? view.repositoryPath(subject.name) : undefined;
            const destinations = new Map<string, string>();
            for (const rule of rules) {
              const filters: any[] = rule.repository_filter ?? [];
              if (filters.length > 0 && !filters.some((f) => name.startsWith(String(f.filter)))) continue;
              for (const d of rule.destination ?? []) {
                const account = /^\d{12}$/.test(String(d.registry_id)) ? String(d.registry_id) : ownAccount;
                destinations.set(`${d.region}|${account ?? ""}`, String(d.region));
              }
            }
            return [...destinations.entries()].sort(([a], [b]) => compare(a, b)).map(([key, region]) => {
              const [, account] = key.split("|");
              const where = account ? `${region} (account ${account})` : region;
              const replica = replicas.get(`${key}|${name}`);
              if (!replica) {
                if (account && !accounts.has(account))
                  return check(repo, subject, true, `replicated to ${where}, an account outside this config: its team applies the replica settings output`, "replication");
                return check(
                  repo,
                  subject,
                  false,
                  `replicated to ${where}, but no stack of this config declares the replica there, so ECR creates it with AES256, mutable tags and no lifecycle or repository policy`,
                  "replication",
                );
              }
              const weaker = replicaWeaknesses(repo, replica);
              const consumers = subject.kind === "repository" && stack.info.environment ? view.grantsIn(stack.info.environment, subject.name, region) : 0;
              if (consumers > 0 && !replica.stack.json.resource?.aws_ecr_repository_policy?.[replica.id])
                weaker.push(`no repository policy, though ${consumers === 1 ? "a consumer pulls" : `${consumers} consumers pull`} in ${region}`);
              return weaker.length > 0
                ? check(repo, subject, false, `the replica in ${where} (${replica.address} of ${replica.stack.name}) is weaker than the source: ${weaker.join("; ")}`, path)
                : check(repo, subject, true, `the replica in ${where} is ${replica.address} of ${replica.stack.name}, with the source's settings or stricter`, path);
            });
          });
        }),
      );
    },
  },
];

/** Every repository of every stack by registry and name (`region|account|name`), for finding replicas. */
function repositoriesByRegistry(view: GuardrailView): Map<string, ResourceView> {
  const byKey = new Map<string, ResourceView>();
  for (const stack of view.stacks) {
    for (const repo of stack.resources("aws_ecr_repository")) {
      const key = `${stack.registryKeyOf(repo.body)}|${String(repo.body.name)}`;
      if (!byKey.has(key)) byKey.set(key, repo);
    }
  }
  return byKey;
}

const MUTABILITY_STRENGTH: Record<string, number> = { MUTABLE: 0, MUTABLE_WITH_EXCLUSION: 1, IMMUTABLE_WITH_EXCLUSION: 2, IMMUTABLE: 3 };

/** How a replica's settings fall short of its source's, in a few words each. */
function replicaWeaknesses(source: ResourceView, replica: ResourceView): string[] {
  const weaker: string[] = [];
  const scans = (r: ResourceView) => first(r.body.image_scanning_configuration)?.scan_on_push === true;
  if (scans(source) && !scans(replica)) weaker.push("scan_on_push is off");
  const mutability = (r: ResourceView) => String(r.body.image_tag_mutability ?? "MUTABLE");
  const exclusions = (r: ResourceView) => ((r.body.image_tag_mutability_exclusion_filter ?? []) as any[]).map((f) => String(f.filter)).sort().join(", ");
  const [a, b] = [mutability(source), mutability(replica)];
  if (MUTABILITY_STRENGTH[b] < MUTABILITY_STRENGTH[a] || (a === b && a.endsWith("_WITH_EXCLUSION") && exclusions(source) !== exclusions(replica)))
    weaker.push(`image_tag_mutability is ${b}${exclusions(replica) ? ` (${exclusions(replica)})` : ""}, the source's ${a}${exclusions(source) ? ` (${exclusions(source)})` : ""}`);
  const kms = (r: ResourceView) => {
    const encryption = first(r.body.encryption_configuration);
    return encryption?.encryption_type === "KMS" && Boolean(encryption.kms_key);
  };
  if (kms(source) && !kms(replica)) weaker.push("not encrypted with a customer managed KMS key");
  const lifecycle = (r: ResourceView) => r.stack.resourcesReferring("aws_ecr_lifecycle_policy", "repository", r, "name").length > 0;
  if (lifecycle(source) && !lifecycle(replica)) weaker.push("no lifecycle policy");
  return weaker;
}

export function guardrailRule(id: string): GuardrailRule | undefined {
  return GUARDRAIL_RULES.find((r) => r.id === id);
}

interface Backend {
  /** `s3`, `cloud` (HCP Terraform), or the name of another backend. */
  readonly kind: string;
  readonly settings: Record<string, any>;
  readonly at: Pick<GuardrailCheck, "stack" | "address" | "subject">;
}

function backendOf(stack: StackView): Backend {
  const terraform = stack.json.terraform ?? {};
  const at = (address: string) => ({ stack: stack.name, address, subject: { kind: "environment" } as Subject });
  if (terraform.cloud) return { kind: "cloud", settings: terraform.cloud, at: at("terraform.cloud") };
  const [kind, settings] = Object.entries(terraform.backend ?? {})[0] ?? [];
  if (!kind) return { kind: "local (default)", settings: {}, at: at("terraform.backend") };
  return { kind, settings: settings ?? {}, at: at(`terraform.backend.${kind}`) };
}
