import type { ConfigCheck } from "../config/check";
import { loadConfigWith, parseConfigWith } from "../config/load";
import type { RegistryConfig } from "../config/schema";
import { adoptionProblems } from "./adoption";
import { consumerProblems } from "./consumers";
import { creationTemplateProblems } from "./creation-templates";
import { renameAndRetirementProblems } from "./data-safety";
import { registrySettingsOwnerProblems, roleAccountProblems, stateLocationProblems } from "./environments";
import { guardrailWaiverProblems } from "./guardrail-waivers";
import { lifecycleProblems } from "./lifecycle";
import { notificationProblems } from "./notifications";
import { pullThroughCacheProblems } from "./pull-through-cache";
import { replicaProblems } from "./replicas";
import { replicationProblems } from "./replication";
import { duplicateNameProblems, repositoryProblems } from "./repositories";
import { repositoryPolicySizeProblems } from "./repository-policies";
import { scanningProblems } from "./scanning";
import { signingProblems } from "./signing";
import { stackGroupProblems } from "./stack-groups";
import { stateBackendProblems } from "./state-backend";

export type { ConfigCheck } from "../config/check";

/**
 * Every rule across config fields, in the order their problems are listed. Each is a function
 * `(config) => ConfigProblem[]` over the parsed config; `npm run synth`, `npm run validate` and
 * every other command that reads a config run them all, with the schema, and report their
 * problems like the schema's (by path and line, exit 1, nothing written). Security rules on the
 * synthesized stacks are guardrails instead (src/guardrails/). A rule is added by listing it here.
 */
export const CONFIG_CHECKS: readonly ConfigCheck[] = [
  { name: "unique-names", check: duplicateNameProblems },
  { name: "state-backend", check: stateBackendProblems },
  { name: "renames-and-retirements", check: renameAndRetirementProblems },
  { name: "adoption", check: adoptionProblems },
  { name: "role-accounts", check: roleAccountProblems },
  { name: "registry-settings-owners", check: registrySettingsOwnerProblems },
  { name: "state-locations", check: stateLocationProblems },
  { name: "scanning", check: scanningProblems },
  { name: "lifecycle", check: lifecycleProblems },
  { name: "creation-templates", check: creationTemplateProblems },
  { name: "consumers", check: consumerProblems },
  { name: "repository-policy-size", check: repositoryPolicySizeProblems },
  { name: "repositories", check: repositoryProblems },
  { name: "replication", check: replicationProblems },
  { name: "replicas", check: replicaProblems },
  { name: "pull-through-cache", check: pullThroughCacheProblems },
  { name: "notifications", check: notificationProblems },
  { name: "signing", check: signingProblems },
  { name: "stack-groups", check: stackGroupProblems },
  { name: "guardrail-waivers", check: guardrailWaiverProblems },
];

/** Reads, parses and validates a config file (schema and `checks`). Throws `ConfigError` listing every problem. */
export function loadConfig(file: string, checks: readonly ConfigCheck[] = CONFIG_CHECKS): RegistryConfig {
  return loadConfigWith(file, checks);
}

/** Parses and validates config text (schema and `checks`); `source` names it in messages. */
export function parseConfig(text: string, source: string, checks: readonly ConfigCheck[] = CONFIG_CHECKS): RegistryConfig {
  return parseConfigWith(text, source, checks);
}
