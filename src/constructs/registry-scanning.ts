import { Construct } from "constructs";
import { EcrRegistryScanningConfiguration } from "@cdktf/provider-aws/lib/ecr-registry-scanning-configuration";

export interface RegistryScanningProps {
  /** Scanning mode of the whole registry (account and region). @default "BASIC" */
  readonly scanType?: "BASIC" | "ENHANCED";
  /** Repository filters of the scan-on-push rule (see `scanOnPushFilters`); none means no rule. @default ["*"] */
  readonly scanOnPushFilters?: readonly string[];
}

/** The registry-wide (account and region) scanning configuration. */
export class RegistryScanning extends Construct {
  readonly configuration: EcrRegistryScanningConfiguration;

  constructor(scope: Construct, id: string, props: RegistryScanningProps = {}) {
    super(scope, id);
    const filters = props.scanOnPushFilters ?? ["*"];
    this.configuration = new EcrRegistryScanningConfiguration(this, "configuration", {
      scanType: props.scanType ?? "BASIC",
      rule:
        filters.length === 0
          ? []
          : [
              {
                scanFrequency: "SCAN_ON_PUSH",
                repositoryFilter: filters.map((filter) => ({ filter, filterType: "WILDCARD" })),
              },
            ],
    });
    this.configuration.overrideLogicalId("registry");
  }
}
