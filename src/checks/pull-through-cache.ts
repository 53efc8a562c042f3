import { arnMismatch, parseArn } from "../config/schema/arn";
import { partitionOf } from "../config/schema/aws";
import { awsRepositoryName } from "../config/schema/data-safety";
import { ConfigProblem, problemAt } from "../config/errors";
import { MAX_PULL_THROUGH_CACHE_RULES, SECRET_NAME_PREFIX, UPSTREAM_REGISTRIES, UpstreamRegistry, prefixOf } from "../config/schema/pull-through-cache";
import { selectedEnvironments } from "../plan/environments";
import type { RegistryConfig } from "../config/schema";
import { environmentSelectionProblems } from "./selection";
import { principalGrantProblems } from "./consumers";

/** Cross-field rules: what each upstream needs, where secrets live, and prefixes that collide. */
export function pullThroughCacheProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const rules = config.pullThroughCache?.rules;
  if (!rules) return problems;

  rules.forEach((rule, i) => {
    const at = (...rest: Array<string | number>) => ["pullThroughCache", "rules", i, ...rest];
    const upstream: UpstreamRegistry = UPSTREAM_REGISTRIES[rule.upstream];
    const issue = (field: string, message: string) => problems.push(problemAt({ path: at(field), message }));
    problems.push(...environmentSelectionProblems(config, rule.environments, at("environments"), "a pull-through cache rule", "registry-wide"));
    if (rule.consumers) problems.push(...principalGrantProblems(rule.consumers, selectedEnvironments(config, rule.environments, "registry-wide"), at("consumers"), "this cache rule"));

    if (upstream.authentication === "secret" && !rule.credentialArn) {
      issue("credentialArn", `is required for ${rule.upstream}: ${upstream.title} needs credentials in a Secrets Manager secret named ${SECRET_NAME_PREFIX}...`);
    }
    if (upstream.authentication !== "secret" && rule.credentialArn) {
      issue("credentialArn", `is only for docker-hub, github-container-registry and gitlab-container-registry; ${rule.upstream} ${upstream.authentication === "none" ? "is public" : "uses customRoleArn"}`);
    }
    for (const field of ["registryId", "region", "customRoleArn", "upstreamPrefix"] as const) {
      if (rule.upstream !== "ecr" && rule[field] !== undefined) issue(field, `is only for upstream ecr (ECR-to-ECR caching), not ${rule.upstream}`);
    }
    if (rule.upstream === "ecr") {
      if (!rule.prefix) issue("prefix", "is required for upstream ecr (there is no conventional namespace for another private registry)");
      if (!rule.registryId) issue("registryId", "is required for upstream ecr: the account of the upstream registry");
      if (!rule.region) issue("region", "is required for upstream ecr: the region of the upstream registry");
    }

    for (const environment of selectedEnvironments(config, rule.environments, "registry-wide")) {
      const secret = rule.credentialArn ? parseArn(rule.credentialArn) : undefined;
      const secretProblem = secret && arnMismatch(secret, environment, { region: true, account: true });
      if (secretProblem) {
        issue("credentialArn", `${secretProblem}; ECR only reads a secret in the rule's own account and region (restrict this rule with environments, one secret per region)`);
      }
      const role = rule.customRoleArn ? parseArn(rule.customRoleArn) : undefined;
      const roleProblem = role && arnMismatch(role, environment, { region: false, account: false });
      if (roleProblem) issue("customRoleArn", roleProblem);
      if (rule.upstream === "ecr" && rule.registryId && rule.region) {
        if (partitionOf(rule.region) !== partitionOf(environment.region)) {
          issue("region", `is in partition ${partitionOf(rule.region)} but environment ${environment.name} is in ${partitionOf(environment.region)}`);
        } else if (rule.registryId === environment.accountId && rule.region === environment.region) {
          issue("registryId", `is environment ${environment.name}'s own registry; a registry cannot cache itself`);
        } else if (environment.accountId && rule.registryId !== environment.accountId && !rule.customRoleArn) {
          issue("customRoleArn", `is required: the upstream registry ${rule.registryId} is another account than environment ${environment.name} (${environment.accountId})`);
        }
      }
    }
  });

  for (const environment of selectedEnvironments(config, undefined, "registry-wide")) {
    const inEnvironment = rules
      .map((rule, index) => ({ rule, index, prefix: prefixOf(rule) }))
      .filter(({ rule, prefix }) => prefix && selectedEnvironments(config, rule.environments, "registry-wide").some((e) => e.name === environment.name));
    if (inEnvironment.length > MAX_PULL_THROUGH_CACHE_RULES) {
      problems.push(problemAt({
        path: ["pullThroughCache", "rules"],
        message: `environment ${environment.name} would have ${inEnvironment.length} pull-through cache rules; ECR allows at most ${MAX_PULL_THROUGH_CACHE_RULES} per registry`,
      }));
    }
    for (const { index, prefix } of inEnvironment) {
      const at = ["pullThroughCache", "rules", index, "prefix"];
      const earlier = inEnvironment.find((other) => other.index < index && (other.prefix === prefix || nested(other.prefix!, prefix!)));
      if (earlier) {
        const how = earlier.prefix === prefix ? "is already used by" : "overlaps the namespace of";
        problems.push(problemAt({
          path: at,
          message: `"${prefix}" ${how} pullThroughCache.rules[${earlier.index}] ("${earlier.prefix}") in environment ${environment.name}; each cache needs its own namespace`,
        }));
        continue;
      }
      // The cache namespace is of names in AWS, which an adopted or renamed repository may not share with its config name.
      const shadowed = environment.repositories.find((repo) => awsRepositoryName(repo).startsWith(`${prefix}/`));
      if (shadowed) {
        problems.push(problemAt({
          path: at,
          message: `"${prefix}" would make model repository ${awsRepositoryName(shadowed)} (environment ${environment.name}) part of the cache namespace; choose a prefix no model repository starts with`,
        }));
      }
    }
  }
  return problems;
}

function nested(a: string, b: string): boolean {
  return a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}
