import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { EcrRegistryScanningConfiguration } from "@cdktf/provider-aws/lib/ecr-registry-scanning-configuration";
import type { ScanningRule } from "../config/schema/scanning";

export interface RegistryScanningProps {
  /** Scanning mode of the whole registry (account and region). @default "BASIC" */
  readonly scanType?: "BASIC" | "ENHANCED";
  /** The scanning rules (see `registryScanningRules`); none means every repository is scanned manually only (BASIC) or not at all (ENHANCED). @default - one SCAN_ON_PUSH rule for "*" */
  readonly rules?: readonly ScanningRule[];
  /** The provider of the registry's region. @default - the stack's default provider */
  readonly provider?: TerraformProvider;
  /** Terraform name of the configuration. @default "registry" */
  readonly logicalId?: string;
}

/** The registry-wide (account and region) scanning configuration. */
export class RegistryScanning extends Construct {
  readonly configuration: EcrRegistryScanningConfiguration;

  constructor(scope: Construct, id: string, props: RegistryScanningProps = {}) {
    super(scope, id);
    const rules = props.rules ?? [{ frequency: "SCAN_ON_PUSH", filters: ["*"] }];
    this.configuration = new EcrRegistryScanningConfiguration(this, "configuration", {
      scanType: props.scanType ?? "BASIC",
      rule: rules.map((rule) => ({
        scanFrequency: rule.frequency,
        repositoryFilter: rule.filters.map((filter) => ({ filter, filterType: "WILDCARD" })),
      })),
      provider: props.provider,
    });
    this.configuration.overrideLogicalId(props.logicalId ?? "registry");
  }
}
