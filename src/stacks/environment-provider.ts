import type { AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import type { ResolvedEnvironment } from "../plan/environments";
import type { RegistryConfig } from "../config/schema";
import { providerDefaultTags } from "../config/schema/tags";

/** The AWS provider settings every stack of an environment shares (its own, its groups', its replica regions'), region aside. */
export function environmentProviderConfig(config: RegistryConfig, environment: ResolvedEnvironment): Omit<AwsProviderConfig, "region"> {
  return {
    allowedAccountIds: environment.accountId ? [environment.accountId] : undefined,
    assumeRole: environment.assumeRole ? [environment.assumeRole] : undefined,
    defaultTags: [{ tags: providerDefaultTags(config.project, environment.name, config.tags) }],
  };
}
