import { creationTemplatesRoleName, repositoryId, repositoryOutputName, stackName } from "../src/naming";

describe("repositoryId", () => {
  test("keeps names that are already identifiers", () => {
    expect(repositoryId("llm-serving")).toBe("llm-serving");
    expect(repositoryId("llm_serving")).toBe("llm_serving");
  });

  test("maps '/' to '__' and '.' to '--'", () => {
    expect(repositoryId("team.a/models/bert.base")).toBe("team--a__models__bert--base");
  });

  test("prefixes an underscore when the name starts with a digit", () => {
    expect(repositoryId("3d/nerf")).toBe("_3d__nerf");
  });

  test("never maps two different names to one id", () => {
    const names = ["a.b", "a_b", "a-b", "a/b", "a/b.c", "a.b/c", "a_b/c", "a/b_c", "1a", "a1", "a--b".replace("--", "-"), "a/b/c", "a.b.c"];
    const ids = names.map(repositoryId);
    expect(new Set(ids).size).toBe(new Set(names).size);
  });
});

describe("names", () => {
  test("the stack name joins project and environment", () => {
    expect(stackName("model-registry", "prod")).toBe("model-registry-prod");
  });

  test("output names are the repository id plus the output", () => {
    expect(repositoryOutputName("ai-models/llm", "url")).toBe("ai-models__llm_repository_url");
    expect(repositoryOutputName("ai-models/llm", "arn")).toBe("ai-models__llm_repository_arn");
    expect(repositoryOutputName("ai-models/llm", "registryId")).toBe("ai-models__llm_registry_id");
  });
});

describe("creationTemplatesRoleName", () => {
  test("is the stack name and -ecr-templates", () => {
    expect(creationTemplatesRoleName("model-registry", "dev")).toBe("model-registry-dev-ecr-templates");
  });

  test("keeps within IAM's 64 characters with a hash, distinct for distinct environments", () => {
    const a = creationTemplatesRoleName("a-very-long-project-name-for-models", "production-europe-1");
    const b = creationTemplatesRoleName("a-very-long-project-name-for-models", "production-europe-2");
    expect(a).toHaveLength(64);
    expect(a).toMatch(/^a-very-long-project-name-for-models-production-europe\.[0-9a-f]{10}$/);
    expect(a).not.toBe(b);
  });
});
