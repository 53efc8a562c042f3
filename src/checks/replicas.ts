import { awsRepositoryName } from "../config/schema/data-safety";
import { ConfigProblem, problemAt } from "../config/errors";
import type { RegistryConfig } from "../config/schema";
import { replicaId, repositoryId } from "../naming";
import { consumerScopes } from "../plan/consumers";
import { resolveEnvironments } from "../plan/environments";
import { governedReplicaRegions, ownerDeclares, replicaRegionsOfSource, replicaRegistriesFor, replicates, resolvedDestinations } from "../plan/replicas";

/**
 * Cross-field rules for replicas: a per-region key is in its
 * destination's region and only where this config declares replicas; two sources never put the
 * same repository into one registry; consumers' `regions` name regions where the repository has
 * a governed replica, never for push.
 */
export function replicaProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const destinations = resolvedDestinations(config);
  const firstSource = new Map<string, { source: string; at: string }>();
  for (const d of destinations) {
    const at = (...rest: Array<string | number>) => ["replication", "rules", d.rule, "destinations", d.destination, ...rest];
    if (d.kmsKeyArn !== undefined) {
      const keyRegion = d.kmsKeyArn.split(":")[3];
      if (keyRegion !== d.region)
        problems.push(problemAt({ path: at("kmsKeyArn"), message: `is a key in ${keyRegion}, but the replicas are in ${d.region}; KMS keys are regional, so give a key in ${d.region}` }));
      else if (!d.declarer)
        problems.push(problemAt({
          path: at("kmsKeyArn"),
          message: `account ${d.accountId} is outside this config, so no stack declares its replicas; its team chooses the key (see the replica settings output)`,
        }));
    }
    if (!d.declarer || !d.manageReplicas) continue;
    const clashes: Array<{ awsName: string; first: { source: string; at: string } }> = [];
    for (const repository of d.source.repositories) {
      const awsName = awsRepositoryName(repository);
      if (!replicates(d.prefixes, awsName) || ownerDeclares(d.owners, awsName)) continue;
      const key = `${d.region}|${d.accountId ?? `?${d.declarer.name}`}|${awsName}`;
      const first = firstSource.get(key);
      if (!first) firstSource.set(key, { source: d.source.name, at: `replication.rules[${d.rule}].destinations[${d.destination}]` });
      else if (first.source !== d.source.name) clashes.push({ awsName, first });
    }
    if (clashes.length > 0) {
      const { first } = clashes[0];
      problems.push(problemAt({
        path: at(),
        message: `would replicate ${clashes.map((c) => c.awsName).join(", ")} from environment ${d.source.name} into the registry in ${d.region}${d.accountId ? ` of account ${d.accountId}` : ""}, where ${first.at} already replicates ${clashes.length === 1 ? "it" : "them"} from ${first.source}; a repository can hold the images of one source: narrow repositoryPrefixes`,
      }));
    }
  }
  problems.push(...replicaRegistryProblems(config));
  problems.push(...consumerRegionProblems(config));
  return problems;
}

/** Per declaring stack: templates need a literal account; a replica's `<id>__<region>` must not be another repository's id. */
function replicaRegistryProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const environment of resolveEnvironments(config)) {
    const plans = replicaRegistriesFor(config, environment);
    if (config.replication?.creationTemplates && !environment.accountId && plans.some((p) => p.manageSettings)) {
      problems.push(problemAt({
        path: ["replication", "creationTemplates"],
        message: `environment ${environment.name} declares replica registries without a known account; creation templates name their registry's account in the role ECR assumes, so set its accountId`,
      }));
    }
    const ids = new Map(environment.repositories.map((r) => [repositoryId(r.name), r.name]));
    for (const plan of plans) {
      for (const { repository } of plan.repositories) {
        const clash = ids.get(replicaId(repositoryId(repository.name), plan.region));
        if (clash === undefined) continue;
        problems.push(problemAt({
          path: ["repositories", config.repositories.findIndex((r) => r.name === clash), "name"],
          message: `has the Terraform name of the replica of ${repository.name} in ${plan.region} in environment ${environment.name}'s stack (${replicaId(repositoryId(repository.name), plan.region)}); rename one of them`,
        }));
      }
    }
  }
  return problems;
}

function consumerRegionProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const scope of consumerScopes(config)) {
    scope.consumers.forEach((consumer, j) => {
      if (!consumer.regions) return;
      const applies = scope.environments.filter((env) => !consumer.environments || consumer.environments.includes(env.name));
      consumer.regions.forEach((region, k) => {
        const path = [...scope.path, j, "regions", k];
        for (const env of applies) {
          if (region === env.region) continue;
          if (consumer.kind === "push") {
            problems.push(problemAt({
              path,
              message: `push consumers push in the environment's region (${env.region} for ${env.name}); replicas in ${region} are written only by replication, so nobody may push there`,
            }));
            return;
          }
          const repositories = scope.repositories(env);
          if (repositories.some((r) => governedReplicaRegions(config, env, r).includes(region))) continue;
          const replicated = replicaRegionsOfSource(config, env);
          const why = replicated.includes(region)
            ? `its replicas there are not this config's to govern (manageReplicas: false, an account outside this config, or repositories the destination environment declares itself, with its own consumers)`
            : replicated.length > 0
              ? `it replicates to ${replicated.join(", ")}`
              : "it replicates nowhere";
          problems.push(problemAt({
            path,
            message: `no repository this consumer applies to has a replica in ${region} from environment ${env.name} (${why}); list ${env.region} or a replica region, or limit the consumer with environments: [...]`,
          }));
          return;
        }
      });
    });
  }
  return problems;
}
