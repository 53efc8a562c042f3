import { TerraformStack } from "cdktf";

/**
 * A stack that never references another stack's resources: every value comes from the config or
 * from the stack's own resources.
 *
 * Before synthesizing, cdktf's `App.synth()` resolves every element of every stack once more in a
 * "preparing" pass, whose only job is to find references to other stacks and add the outputs and
 * remote-state data sources they need. These stacks make none, so the pass finds nothing; with
 * 1,000 repositories it was about a fifth of synth time (`node --cpu-prof`). This stack keeps the
 * rest of `prepareStack` (a default backend when none is set) and skips the pass. cdktf's own
 * `Testing.synth` never runs it either. `__tests__/scale.test.ts` runs cdktf's pass over every
 * stack of a full-featured config and checks that it adds nothing, so a cross-stack reference
 * added later fails a test instead of synthesizing a dangling address.
 */
export abstract class SelfContainedStack extends TerraformStack {
  override prepareStack(): void {
    this.ensureBackendExists();
  }
}
