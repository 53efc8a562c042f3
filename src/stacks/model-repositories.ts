import { TerraformStack } from "cdktf";
import { identityPolicyLevels, repositoryArn } from "../policies/identity-policy";
import { repositoryGrants } from "../access/matrix";
import { repositoryPolicyDocument } from "../policies/repository-policy";
import { partitionOf } from "../config/schema/aws";
import { adoptedIn } from "../config/schema/adoption";
import { effectiveLifecycle } from "../plan/lifecycle";
import type { ResolvedEnvironment } from "../plan/environments";
import type { Encryption, RepositoryConfig } from "../config/schema/repository";
import type { RegistryConfig } from "../config/schema";
import { repositoryTags } from "../config/schema/tags";
import { ModelRepository, RepositoryEncryption } from "../constructs/model-repository";
import { RepositoryIdentityPolicy } from "../constructs/repository-identity-policy";
import { RepositoryLifecyclePolicy } from "../constructs/repository-lifecycle-policy";
import { RepositoryPolicy } from "../constructs/repository-policy";
import { RepositoryStateChanges } from "../constructs/repository-state-changes";
import { identityPolicyName, repositoryId } from "../naming";

/** What `addModelRepositories` needs besides the stack. */
export interface ModelRepositoriesProps {
  readonly config: RegistryConfig;
  readonly environment: ResolvedEnvironment;
  /** The repositories this stack declares (the environment's own, or one group's). */
  readonly repositories: readonly RepositoryConfig[];
  /** The resolved encryption of a repository (the managed key is the stack's own or found by alias). */
  readonly encryptionFor: (owner: { encryption: Encryption }) => RepositoryEncryption;
  /** Repositories moved into this stack from another (`movedFromGroup`): imported, not created. @default - none */
  readonly movedIn?: ReadonlySet<string>;
}

/**
 * Every declared repository of a stack with its policies: the repository, its repository policy
 * from the consumers, identity policies when enabled, and its lifecycle policy. The environment's
 * own stack and each group stack (docs/stack-groups.md) build them here, so a repository's AWS
 * settings do not depend on the stack it is in.
 */
export function addModelRepositories(stack: TerraformStack, props: ModelRepositoriesProps): ModelRepository[] {
  const { config, environment } = props;
  return props.repositories.map((repo) => {
    const movedIn = props.movedIn?.has(repo.name) ?? false;
    const model = new ModelRepository(stack, repositoryId(repo.name), {
      name: repo.name,
      description: repo.description,
      tagMutability: repo.tagMutability,
      mutabilityExclusions: repo.mutabilityExclusions,
      scanOnPush: repo.scanOnPush,
      encryption: props.encryptionFor(repo),
      tags: repositoryTags(repo.tags),
      renamedFrom: repo.renamedFrom,
      awsName: repo.awsName,
      adopt: adoptedIn(repo, environment.name),
    });
    // ECR's import id of a repository is its name; the repository policy and lifecycle policy are
    // created over the existing ones (ECR's Set/Put calls replace them), so only names that would
    // collide on create are imported.
    if (movedIn) RepositoryStateChanges.of(stack).importInto(model.repository, model.awsName);
    grantAccess(config, environment, model, movedIn);
    const policy = effectiveLifecycle(config.lifecycle, repo.lifecycle);
    if (policy) new RepositoryLifecyclePolicy(model, "lifecycle", { repository: model, policy });
    return model;
  });
}

/** The repository policy from the declared consumers and, when enabled, identity policies for same-account roles. */
function grantAccess(config: RegistryConfig, environment: ResolvedEnvironment, model: ModelRepository, movedIn: boolean): void {
  const grants = repositoryGrants(config, environment, model.repositoryName);
  const document = repositoryPolicyDocument(grants);
  if (document) new RepositoryPolicy(model, "policy", { model, document });

  if (!config.identityPolicies || !environment.accountId) return;
  const partition = partitionOf(environment.region);
  for (const level of identityPolicyLevels(grants)) {
    // Named after the AWS repository, so a config rename keeps the policy that roles have attached.
    const policyName = identityPolicyName(config.project, environment.name, model.awsName, level);
    const path = `/${config.project}/`;
    const identity = new RepositoryIdentityPolicy(model, `${level}-policy`, {
      model,
      repositoryArn: repositoryArn(partition, environment.region, environment.accountId, model.awsName),
      level,
      policyName,
      path,
    });
    // IAM refuses a second policy of the same name and path; its import id is the policy's ARN.
    if (movedIn) RepositoryStateChanges.of(model).importInto(identity.policy, `arn:${partition}:iam::${environment.accountId}:policy${path}${policyName}`);
  }
}
