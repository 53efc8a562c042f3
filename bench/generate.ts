/**
 * Synthetic registry configs for the benchmark and the scale tests: `count` model repositories,
 * each with every per-repository feature the product has, spread over two environments.
 */
export function generateConfig(count: number): Record<string, unknown> {
  const repositories = Array.from({ length: count }, (_, i) => {
    const team = `team-${String(i % 10).padStart(2, "0")}`;
    return {
      name: `models/${team}/model-${String(i).padStart(4, "0")}`,
      description: `Generated model ${i}`,
      tags: { Team: team },
    };
  });
  return {
    project: "model-registry",
    region: "us-east-1",
    state: { bucket: "acme-model-registry-tfstate" },
    environments: [
      { name: "dev", accountId: "111111111111" },
      { name: "prod", accountId: "222222222222", region: "us-west-2" },
    ],
    tags: { CostCenter: "ai-research" },
    repositories,
  };
}
