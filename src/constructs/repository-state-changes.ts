import { TerraformElement, TerraformResource, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { PER_REPOSITORY_RESOURCES, PerRepositoryResource, perRepositoryAddress as address, replicaId } from "../naming";

/** A Terraform `moved` block: the object in state at `from` is now managed at `to`. */
export interface MovedBlock {
  readonly from: string;
  readonly to: string;
}

/** A Terraform (≥ 1.7) `removed` block that forgets `from` without destroying it. */
export interface RemovedBlock {
  readonly from: string;
  readonly lifecycle: { readonly destroy: false };
}

/**
 * A Terraform (≥ 1.5) `import` block: the existing object `id` is managed at `to` from now on.
 * Terraform skips one whose `to` is already in state, so it may stay after the first apply.
 */
export interface ImportBlock {
  readonly to: string;
  readonly id: string;
}

const ID = "repository-state-changes";

/**
 * The `moved` and `removed` blocks of one stack, for repositories renamed in config (`renamedFrom`)
 * and retired from it (`retired`), and its `import` blocks, for repositories adopted (`adopt`).
 * Moved and removed blocks are generated from `PER_REPOSITORY_RESOURCES` in `naming.ts`, so every
 * resource derived from a repository name follows the repository.
 * One per stack (`RepositoryStateChanges.of(scope)`); blocks are sorted so output is stable.
 *
 * Import blocks are written here rather than with cdktf's `TerraformResource.importFrom`, which
 * emits the same JSON but adds a validation that runs `terraform version` during synth, once per
 * imported resource: synth would need a Terraform binary and fail without one.
 */
export class RepositoryStateChanges extends TerraformElement {
  /** The stack's instance, created on first use. */
  static of(scope: Construct): RepositoryStateChanges {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild(ID) as RepositoryStateChanges | undefined) ?? new RepositoryStateChanges(stack);
  }

  /** Renames by current name and region (`""` for the stack's own repositories, else a replica's region). */
  private readonly renames = new Map<string, { name: string; earlierNames: readonly string[]; region: string }>();
  private readonly retired = new Set<string>();
  private readonly replicaRegions = new Set<string>();
  /** Regions whose replicas are forgotten, with the repository names whose replicas may be there. */
  private readonly retiredRegions = new Map<string, readonly string[]>();
  private readonly imports = new Map<string, string>();
  /** Repositories (and earlier names) now declared in another stack of the environment (`movedFromGroup`). */
  private readonly movedAway = new Set<string>();

  private constructor(stack: TerraformStack) {
    super(stack, ID);
  }

  /**
   * Records that the repository now named `name` was declared as `earlierNames` (oldest first)
   * before; with `region`, of its replica there (whose addresses end in `__<region>`).
   */
  renamed(name: string, earlierNames: readonly string[], region = ""): void {
    this.renames.set(`${name}\0${region}`, { name, earlierNames: [...earlierNames], region });
  }

  /** Records that Terraform imports the existing object `id` into `resource` instead of creating it. */
  importInto(resource: TerraformResource, id: string): void {
    this.imports.set(`${resource.terraformResourceType}.${resource.friendlyUniqueId}`, id);
  }

  /** Every import block, sorted by address. */
  importBlocks(): ImportBlock[] {
    return [...this.imports].map(([to, id]) => ({ to, id })).sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  }

  /** Records that Terraform must forget, not destroy, the resources of the repository `name` (and of its replicas in this stack). */
  retire(name: string): void {
    this.retired.add(name);
  }

  /**
   * Records that the repository `name` is now declared in another stack of the environment
   * (docs/stack-groups.md): Terraform forgets its resources here, which that stack imports. Its
   * replicas stay with the registry's replication in the environment's own stack.
   */
  movedToAnotherStack(name: string): void {
    this.movedAway.add(name);
  }

  /**
   * Records that Terraform must forget, not destroy, the replicas of `names` in `region` and the
   * replica registry's KMS key there (`replication.retiredRegions`); only for a region where this
   * stack declares no replicas any more.
   */
  retireReplicaRegion(region: string, names: readonly string[]): void {
    this.retiredRegions.set(region, [...names]);
  }

  /** Records a region where this stack declares replicas, so a retired repository's replica there is forgotten too. */
  replicaRegion(region: string): void {
    this.replicaRegions.add(region);
  }

  /**
   * One chain `earliest → … → current` per per-repository resource that exists in the stack under
   * the current name. Terraform allows one source per destination, so several earlier names form a
   * chain rather than all pointing at the current address; a chain resolves even when the middle
   * addresses are in neither state nor config.
   */
  movedBlocks(): MovedBlock[] {
    const declared = new Set(
      TerraformStack.of(this)
        .node.findAll()
        .filter(TerraformResource.isTerraformResource)
        .map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`),
    );
    const blocks: MovedBlock[] = [];
    for (const { name, earlierNames, region } of this.renames.values()) {
      const chain = [...earlierNames, name];
      const at = (resource: PerRepositoryResource, n: string) => (region ? `${address(resource, n)}__${region}` : address(resource, n));
      for (const resource of PER_REPOSITORY_RESOURCES) {
        if (!declared.has(at(resource, name))) continue;
        for (let i = 0; i + 1 < chain.length; i++) blocks.push({ from: at(resource, chain[i]), to: at(resource, chain[i + 1]) });
      }
    }
    return blocks.sort(byFrom);
  }

  /**
   * Every per-repository address of every retired repository. A `removed` block whose resource
   * is not in state does nothing, so the blocks are safe in environments that never had it.
   */
  removedBlocks(): RemovedBlock[] {
    const blocks: RemovedBlock[] = [];
    for (const name of this.retired) {
      for (const resource of PER_REPOSITORY_RESOURCES) {
        blocks.push({ from: address(resource, name), lifecycle: { destroy: false } });
        for (const region of this.replicaRegions) {
          if (resource.replicated) blocks.push({ from: `${address(resource, name)}__${region}`, lifecycle: { destroy: false } });
        }
      }
    }
    for (const name of this.movedAway) {
      for (const resource of PER_REPOSITORY_RESOURCES) blocks.push({ from: address(resource, name), lifecycle: { destroy: false } });
    }
    for (const [region, names] of this.retiredRegions) {
      for (const name of names) {
        for (const resource of PER_REPOSITORY_RESOURCES) {
          if (resource.replicated) blocks.push({ from: `${address(resource, name)}__${region}`, lifecycle: { destroy: false } });
        }
      }
      for (const type of ["aws_kms_alias", "aws_kms_key"]) blocks.push({ from: `${type}.${replicaId("registry", region)}`, lifecycle: { destroy: false } });
    }
    return blocks.sort(byFrom);
  }

  override toTerraform(): any {
    const moved = this.movedBlocks();
    const removed = this.removedBlocks();
    const imports = this.importBlocks();
    return {
      moved: moved.length > 0 ? moved : undefined,
      removed: removed.length > 0 ? removed : undefined,
      import: imports.length > 0 ? imports : undefined,
    };
  }

  /** cdktf renders `moved` and `import` fragments as HCL; `removed` blocks are appended by `withRemovedBlocksHcl`. */
  override toHclTerraform(): any {
    const moved = this.movedBlocks();
    const imports = this.importBlocks();
    const reference = (value: string) => ({ value, isBlock: false, type: "simple", storageClassType: "reference" });
    const string = (value: string) => ({ value, isBlock: false, type: "simple", storageClassType: "string" });
    return {
      moved: moved.length > 0 ? moved.map((block) => ({ from: reference(block.from), to: reference(block.to) })) : undefined,
      import: imports.length > 0 ? imports.map((block) => ({ to: reference(block.to), id: string(block.id) })) : undefined,
    };
  }

  /**
   * Appends the stack's `removed` blocks to its rendered HCL (`TerraformStack.toHclTerraform`):
   * cdktf 0.21's HCL renderer has no `removed` block and drops it.
   */
  static withRemovedBlocksHcl(stack: TerraformStack, rendered: { [key: string]: any }): { [key: string]: any } {
    const changes = stack.node.tryFindChild(ID) as RepositoryStateChanges | undefined;
    if (!changes) return rendered;
    const removed = changes
      .removedBlocks()
      .map((block) => `\n\nremoved {\nfrom = ${block.from}\nlifecycle {\ndestroy = false\n}\n}`)
      .join("");
    return { ...rendered, hcl: `${rendered.hcl}${removed}` };
  }
}

function byFrom(a: { from: string }, b: { from: string }): number {
  return a.from < b.from ? -1 : a.from > b.from ? 1 : 0;
}
