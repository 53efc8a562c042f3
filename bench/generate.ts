/**
 * Synthetic registry configs for the benchmark and the scale tests: `count` model repositories,
 * written the way the default registry.yaml is. Shared settings live at the registry level
 * (consumers every repository inherits, the lifecycle policy, identity policies for same-account
 * roles); each repository adds what a team would: its training job's push role (dev) and its
 * serving role (prod) as consumers, tags, and every fifth its own lifecycle rules. So every
 * repository gets a repository policy, a lifecycle policy, identity policies and its outputs.
 * Two environments in two accounts and regions; every seventh repository exists in dev only and
 * every tenth has immutable tags with exclusions, so per-environment selection and per-repository
 * options are exercised too. Deterministic: the same count always gives the same config.
 */
export const GENERATED_TEAMS = 10;

/** The name of generated repository `i`, e.g. `models/team-03/model-0013`. */
export function generatedRepositoryName(i: number): string {
  return `models/${teamOf(i)}/model-${String(i).padStart(4, "0")}`;
}

function teamOf(i: number): string {
  return `team-${String(i % GENERATED_TEAMS).padStart(2, "0")}`;
}

export function generateConfig(count: number): Record<string, unknown> {
  const repositories = Array.from({ length: count }, (_, i) => {
    const team = teamOf(i);
    const devOnly = i % 7 === 3;
    const withExclusions = i % 10 === 9;
    return {
      name: generatedRepositoryName(i),
      description: `Generated model ${i}`,
      ...(withExclusions ? { tagMutability: "IMMUTABLE_WITH_EXCLUSION", mutabilityExclusions: ["latest", `dev-${team}-*`] } : {}),
      ...(devOnly ? { environments: ["dev"] } : {}),
      tags: { Team: team, ModelIndex: String(i) },
      consumers: [
        // The model's training job publishes from the dev account (same account: an identity policy too).
        { kind: "push", principal: `arn:aws:iam::111111111111:role/${team}/model-${i}-trainer`, environments: ["dev"] },
        // Its serving role pulls in prod, where the repository exists.
        ...(devOnly ? [] : [{ kind: "pull", principal: `arn:aws:iam::222222222222:role/${team}/model-${i}-serving`, environments: ["prod"] }]),
      ],
      ...(i % 5 === 0
        ? {
            lifecycle: {
              protectedTags: ["prod-*", `${team}-release-*`],
              rules: [
                { description: "Expire untagged images after a week", tagStatus: "untagged", olderThanDays: 7 },
                { description: `Keep the ${20 + (i % 30)} most recent model versions`, tagPatterns: ["v*"], keepLast: 20 + (i % 30) },
                { description: "Expire other builds after 30 days", tagPrefixes: ["build-", "ci-"], olderThanDays: 30 },
              ],
            },
          }
        : {}),
    };
  });
  return {
    project: "model-registry",
    region: "us-east-1",
    state: { bucket: "acme-model-registry-tfstate", region: "us-east-1" },
    environments: [
      { name: "dev", accountId: "111111111111" },
      { name: "prod", accountId: "222222222222", region: "us-west-2", assumeRoleArn: "arn:aws:iam::222222222222:role/model-registry-deploy" },
    ],
    tags: { CostCenter: "ai-research" },
    consumers: [
      { kind: "push", principal: "arn:aws:iam::999999999999:role/github-actions/model-image-publisher" },
      { kind: "pull", principal: "arn:aws:iam::111111111111:role/ecs/model-serving-task-execution", environments: ["dev"] },
      { kind: "pull", principal: "arn:aws:iam::222222222222:role/ecs/model-serving-task-execution", environments: ["prod"] },
      // An inference account outside this config pulls every model (cross-account: repository policy only).
      { kind: "pull", principal: "333333333333" },
    ],
    identityPolicies: true,
    lifecycle: {
      protectedTags: ["prod-*", "release-*"],
      rules: [
        { description: "Expire untagged images 14 days after push", tagStatus: "untagged", olderThanDays: 14 },
        { description: "Keep the 30 most recent tagged images", tagPatterns: ["*"], keepLast: 30 },
      ],
    },
    repositories,
  };
}
