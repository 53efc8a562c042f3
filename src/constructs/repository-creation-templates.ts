import { TerraformProvider, Token } from "cdktf";
import { Construct } from "constructs";
import { EcrRepositoryCreationTemplate } from "@cdktf/provider-aws/lib/ecr-repository-creation-template";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { partitionOf } from "../config/schema/aws";
import { PolicyDocument, policyJson } from "../policies/policy-document";
import { AppliedFor, ROOT_PREFIX, templateTagMutability } from "../config/schema/creation-templates";
import { TagMutability } from "../config/schema/repository";
import { Tags } from "../config/schema/tags";
import { LifecyclePolicySpec, renderLifecyclePolicy } from "../lifecycle/policy";
import { creationTemplateId } from "../naming";
import { RepositoryEncryption } from "./model-repository";

/** One template, with its encryption key and lifecycle already resolved. */
export interface CreationTemplateProps {
  /** Namespace of the repositories it applies to, or `ROOT` for every repository no other template matches. */
  readonly prefix: string;
  /** Which ECR features create repositories from it. */
  readonly appliedFor: readonly AppliedFor[];
  /** Shown in the ECR console. @default - generated from prefix and appliedFor */
  readonly description?: string;
  /** Tag mutability of created repositories. @default - MUTABLE when applied for PULL_THROUGH_CACHE, else IMMUTABLE */
  readonly tagMutability?: TagMutability;
  /** Tag filters exempt from `tagMutability`. @default - none */
  readonly mutabilityExclusions?: readonly string[];
  /** Encryption of created repositories. */
  readonly encryption: RepositoryEncryption;
  /** Lifecycle policy of created repositories. @default - none */
  readonly lifecyclePolicy?: LifecyclePolicySpec;
  /** Tags ECR puts on created repositories. @default {} */
  readonly resourceTags?: Tags;
  /** Repository policy of created repositories (pull-through cache consumers). @default - none */
  readonly repositoryPolicy?: PolicyDocument;
}

export interface RepositoryCreationTemplatesProps {
  readonly templates: readonly CreationTemplateProps[];
  /** Region of the registry. */
  readonly region: string;
  /** Account of the registry (the config requires it with creation templates). */
  readonly accountId: string;
  /** IAM name of the role ECR assumes to apply the templates. */
  readonly roleName: string;
  /** Alias (without `alias/`) of the environment's managed key, when a template uses it. @default - no template uses it */
  readonly managedKeyAlias?: string;
  /** The provider of the registry's region. @default - the stack's default provider */
  readonly provider?: TerraformProvider;
  /** Appended to every logical id (`__<region>` in a replica registry), so two registries' templates and roles differ. @default "" */
  readonly idSuffix?: string;
}

/**
 * The registry's repository creation templates and the IAM role ECR assumes to apply them. ECR
 * needs a role for templates that set KMS keys or resource tags; this one may only create and tag
 * repositories under the templates' prefixes and use the templates' keys.
 */
export class RepositoryCreationTemplates extends Construct {
  readonly role: IamRole;
  readonly templates: readonly EcrRepositoryCreationTemplate[];

  constructor(scope: Construct, id: string, props: RepositoryCreationTemplatesProps) {
    super(scope, id);
    const account = props.accountId;
    const partition = partitionOf(props.region);
    const suffix = props.idSuffix ?? "";
    const provider = props.provider;

    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: "Assumed by Amazon ECR to create repositories from this registry's repository creation templates",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ecr.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      provider,
    });
    this.role.overrideLogicalId(`repository_creation_templates${suffix}`);

    const repositoryArns = unique(
      props.templates.map((t) => `arn:${partition}:ecr:${props.region}:${account}:repository/${t.prefix === ROOT_PREFIX ? "" : `${t.prefix}/`}*`),
    );
    const keyArns = unique(props.templates.flatMap((t) => (t.encryption.type === "KMS" ? [t.encryption.kmsKeyArn] : [])));
    // The environment's managed key is created in the same plan, so its ARN is a Terraform reference;
    // the policy names it by alias instead, keeping the document literal JSON (cdktf's HCL output
    // cannot carry a reference inside a JSON string). Alias-based authorization lags: KMS may take
    // up to five minutes before a new or changed alias affects authorization (KMS developer guide,
    // "Use aliases to control access to KMS keys"), so a repository ECR creates from a template in
    // the first minutes after the alias is created or moved can fail to get its KMS grant.
    const literalKeyArns = keyArns.filter((arn) => !Token.isUnresolved(arn));
    const usesManagedKey = literalKeyArns.length < keyArns.length;
    if (usesManagedKey && !props.managedKeyAlias) throw new Error("a template uses the managed key, but managedKeyAlias is not given");
    const kmsActions = ["kms:CreateGrant", "kms:DescribeKey", "kms:RetireGrant"];
    new IamRolePolicy(this, "policy", {
      name: "create-repositories-from-templates",
      role: this.role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "CreateRepositoriesUnderTemplatePrefixes",
            Effect: "Allow",
            Action: ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"],
            Resource: repositoryArns,
          },
          ...(usesManagedKey
            ? [
                {
                  Sid: "EncryptWithRegistryKey",
                  Effect: "Allow",
                  Action: kmsActions,
                  Resource: `arn:${partition}:kms:${props.region}:${account}:key/*`,
                  Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/${props.managedKeyAlias}` } },
                },
              ]
            : []),
          ...(literalKeyArns.length > 0 ? [{ Sid: "EncryptWithTemplateKeys", Effect: "Allow", Action: kmsActions, Resource: literalKeyArns }] : []),
        ],
      }),
      provider,
    }).overrideLogicalId(`repository_creation_templates${suffix}`);

    this.templates = props.templates.map((t) => {
      const template = new EcrRepositoryCreationTemplate(this, creationTemplateId(t.prefix), {
        prefix: t.prefix,
        appliedFor: [...t.appliedFor].sort(),
        description: t.description ?? defaultDescription(t),
        imageTagMutability: t.tagMutability ?? templateTagMutability({ appliedFor: [...t.appliedFor] }),
        imageTagMutabilityExclusionFilter: t.mutabilityExclusions?.map((filter) => ({ filter, filterType: "WILDCARD" })),
        encryptionConfiguration: [
          t.encryption.type === "KMS" ? { encryptionType: "KMS", kmsKey: t.encryption.kmsKeyArn } : { encryptionType: "AES256" },
        ],
        lifecyclePolicy: t.lifecyclePolicy ? renderLifecyclePolicy(t.lifecyclePolicy) : undefined,
        resourceTags: t.resourceTags ?? {},
        repositoryPolicy: t.repositoryPolicy ? policyJson(t.repositoryPolicy) : undefined,
        customRoleArn: this.role.arn,
        provider,
      });
      template.overrideLogicalId(`${creationTemplateId(t.prefix)}${suffix}`);
      return template;
    });
  }
}

function defaultDescription(t: CreationTemplateProps): string {
  const scope = t.prefix === ROOT_PREFIX ? "any repository no other template matches" : `repositories under ${t.prefix}/`;
  return `Settings for ${scope} that ECR creates by ${[...t.appliedFor].sort().join(" or ").toLowerCase().replace(/_/g, " ")}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}
