import { Aspects } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import { PreventDestroy } from "../aspects/prevent-destroy";
import type { RegistryConfig } from "../config/schema";
import type { Encryption } from "../config/schema/repository";
import type { ResolvedEnvironment } from "../plan/environments";
import { EnvironmentStackPlan, groupBackendFor } from "../plan/stack-groups";
import { registryKeyAliasName } from "../naming";
import type { ModelRepository, RepositoryEncryption } from "../constructs/model-repository";
import { RepositoryStateChanges } from "../constructs/repository-state-changes";
import { addStateBackend } from "./state-backend";
import { addModelRepositories } from "./model-repositories";
import { environmentProviderConfig } from "./environment-provider";
import { ProjectStack } from "./project-stack";

export interface RepositoryGroupStackProps {
  /** The validated registry config. */
  readonly config: RegistryConfig;
  /** The environment the group belongs to, resolved from `config`. */
  readonly environment: ResolvedEnvironment;
  /** The group's stack, from `stacksOfEnvironment` (its `group` is set). */
  readonly stack: EnvironmentStackPlan;
}

/**
 * One repository group of an environment (docs/stack-groups.md): the group's repositories with
 * their policies, in a stack with its own state. Registry-wide settings and the managed KMS key
 * stay in the environment's own stack; this stack finds the key by its alias (a data source), so
 * it never references another stack and plans on its own.
 */
export class RepositoryGroupStack extends ProjectStack {
  readonly repositories: readonly ModelRepository[];
  private managedKeyArn?: string;

  constructor(scope: Construct, props: RepositoryGroupStackProps) {
    const { config, environment, stack } = props;
    super(scope, stack.name);
    new AwsProvider(this, "aws", { region: environment.region, ...environmentProviderConfig(config, environment) });
    addStateBackend(this, groupBackendFor(config, environment, stack.group!));

    this.repositories = addModelRepositories(this, {
      config,
      environment,
      repositories: stack.repositories,
      encryptionFor: (owner) => this.encryptionFor(owner, registryKeyAliasName(config.project, environment.name)),
      movedIn: stack.movedIn,
    });
    for (const name of stack.movedOut) RepositoryStateChanges.of(this).movedToAnotherStack(name);
    // A retired repository may have been in any stack of the environment; a removed block for what is not in state does nothing.
    for (const name of environment.retired) RepositoryStateChanges.of(this).retire(name);
    if (environment.protected) Aspects.of(this).add(new PreventDestroy());
  }

  /** cdktf 0.21's HCL renderer has no `removed` block (`npm run synth:hcl`). */
  override toHclTerraform(): { [key: string]: any } {
    return RepositoryStateChanges.withRemovedBlocksHcl(this, super.toHclTerraform());
  }

  private encryptionFor(owner: { encryption: Encryption }, alias: string): RepositoryEncryption {
    if (owner.encryption.type === "AES256") return { type: "AES256" };
    if (owner.encryption.kmsKeyArn) return { type: "KMS", kmsKeyArn: owner.encryption.kmsKeyArn };
    // The key's ARN, not the alias's: ECR stores the key ARN, and a different value would replace the repository.
    this.managedKeyArn ??= new DataAwsKmsAlias(this, "registry-key", { name: `alias/${alias}` }).targetKeyArn;
    return { type: "KMS", kmsKeyArn: this.managedKeyArn };
  }
}
