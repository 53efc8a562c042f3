import * as fs from "fs";
import * as path from "path";
import { JsonSchema, SCHEMA_FILE_NAME, registryJsonSchema, renderJsonSchemaFile } from "../src/config/json-schema";
import { PROJECT_ROOT } from "./support/fixtures";

/** Every property in the schema with its dotted path (`environments[].state.bucket`), however deeply nested. */
function allProperties(schema: JsonSchema, at = ""): Array<[string, JsonSchema]> {
  const found: Array<[string, JsonSchema]> = [];
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const here = at ? `${at}.${key}` : key;
    found.push([here, property], ...allProperties(property, here));
  }
  for (const member of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) found.push(...allProperties(member, at));
  if (schema.items && !Array.isArray(schema.items)) found.push(...allProperties(schema.items, `${at}[]`));
  if (typeof schema.additionalProperties === "object") found.push(...allProperties(schema.additionalProperties, `${at}.<key>`));
  return found;
}

describe("registry.schema.json", () => {
  const schema = registryJsonSchema();

  test("the committed file is what `npm run schema` generates from the zod schema", () => {
    const committed = fs.readFileSync(path.join(PROJECT_ROOT, SCHEMA_FILE_NAME), "utf8");
    // If this fails, run `npm run schema` (or `npm run docs`) and commit the result.
    expect(committed).toBe(renderJsonSchemaFile());
  });

  test("registry.yaml points YAML language servers at it on its first line", () => {
    const firstLine = fs.readFileSync(path.join(PROJECT_ROOT, "registry.yaml"), "utf8").split("\n")[0];
    expect(firstLine).toBe(`# yaml-language-server: $schema=./${SCHEMA_FILE_NAME}`);
  });

  test("every field has a description", () => {
    const undocumented = allProperties(schema)
      .filter(([, property]) => !property.description?.trim())
      .map(([at]) => at);
    expect(undocumented).toEqual([]);
  });

  test("is draft-07 and describes what users write: fields with defaults are optional and carry their default", () => {
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    const repository = schema.properties!.repositories.items as JsonSchema;
    expect(repository.required).toEqual(["name"]);
    expect(repository.properties!.tagMutability).toMatchObject({ default: "IMMUTABLE", enum: ["IMMUTABLE", "MUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"] });
    expect(repository.properties!.scanOnPush).toMatchObject({ type: "boolean", default: true });
    expect(schema.required).toEqual(["project", "region", "state", "environments", "repositories"]);
  });

  test("rejects unknown keys, as the config loader does", () => {
    expect(schema.additionalProperties).toBe(false);
    expect((schema.properties!.environments.items as JsonSchema).additionalProperties).toBe(false);
  });

  test("every pattern compiles as a Unicode regular expression, the way YAML language servers compile them", () => {
    const patterns: string[] = [];
    const collect = (node: unknown): void => {
      if (node === null || typeof node !== "object") return;
      const pattern = (node as { pattern?: unknown }).pattern;
      if (typeof pattern === "string") patterns.push(pattern);
      Object.values(node).forEach(collect);
    };
    collect(schema);
    expect(patterns.length).toBeGreaterThan(10);
    for (const pattern of patterns) expect(() => new RegExp(pattern, "u")).not.toThrow();
  });

  test("carries the field patterns, so editors flag a bad account id or role ARN as it is typed", () => {
    const environment = (schema.properties!.environments.items as JsonSchema).properties!;
    expect(new RegExp(environment.accountId.pattern!).test("12345")).toBe(false);
    expect(new RegExp(environment.accountId.pattern!).test("123456789012")).toBe(true);
    expect(new RegExp(environment.assumeRoleArn.pattern!).test("arn:aws-us-gov:iam::123456789012:role/deploy")).toBe(true);
    expect(new RegExp(environment.assumeRoleArn.pattern!).test("arn:aws:iam::123456789012:user/deploy")).toBe(false);
  });
});
