import { z } from "zod";
import { JsonSchema, registryJsonSchema } from "../src/config/json-schema";
import {
  REFERENCE_END,
  REFERENCE_START,
  configReferenceSections,
  currentReference,
  renderConfigReference,
  replaceReference,
  splitDefaultSentence,
} from "../src/docs/config-reference";
import { parseConfig } from "../src/checks";
import { allDocumentation, documentation } from "./support/docs";

function sectionsOf(schema: z.ZodType) {
  return configReferenceSections(z.toJSONSchema(schema, { io: "input", target: "draft-7" }) as JsonSchema);
}

function rowsOf(schema: z.ZodType, heading = "Top level") {
  const section = sectionsOf(schema).find((s) => s.heading === heading);
  if (!section) throw new Error(`no section ${heading}`);
  return section.rows;
}

describe("the config reference in docs/configuration.md", () => {
  test("is what `npm run docs` generates from the schema", () => {
    const readme = documentation("docs/configuration.md");
    // If this fails, run `npm run docs` and commit the result.
    expect(currentReference(readme)).toBe(renderConfigReference(registryJsonSchema()));
  });

  test("documents every environment field, including the account and role settings", () => {
    const environment = configReferenceSections(registryJsonSchema()).find((s) => s.heading === "`environments[]`")!;
    expect(environment.rows.map((r) => r.field)).toEqual(
      expect.arrayContaining(["`accountId`", "`assumeRoleArn`", "`externalId`", "`sessionName`", "`allowCrossAccountRole`", "`state.bucket`"]),
    );
    expect(environment.rows.find((r) => r.field === "`allowCrossAccountRole`")).toMatchObject({ type: "boolean", default: "`false`" });
  });
});

describe("examples in README.md and docs/", () => {
  test("every YAML example that is a whole config is valid", () => {
    const readme = allDocumentation();
    const configs = [...readme.matchAll(/```yaml\n(project:[\s\S]*?)```/g)].map((m) => m[1]);
    expect(configs.length).toBeGreaterThan(0);
    for (const text of configs) expect(() => parseConfig(text, "documentation example")).not.toThrow();
  });
});

describe("generating the reference", () => {
  test("a field shows its type, its default or required, and its description", () => {
    const schema = z.strictObject({
      name: z.string().min(2).max(10).describe("The name."),
      mode: z.enum(["A", "B"]).default("A").describe("The mode."),
      count: z.number().int().min(1).max(9).optional().describe("How many. Default: one per environment."),
      note: z.string().optional().describe("A note."),
    });
    expect(rowsOf(schema)).toEqual([
      { field: "`name`", type: "string (2–10 characters)", default: "required", description: "The name." },
      { field: "`mode`", type: "`A`, `B`", default: "`A`", description: "The mode." },
      { field: "`count`", type: "integer (1–9)", default: "one per environment", description: "How many." },
      { field: "`note`", type: "string", default: "none", description: "A note." },
    ]);
  });

  test("a schema title names the type", () => {
    const schema = z.strictObject({ region: z.string().meta({ title: "AWS region" }).describe("Where.") });
    expect(rowsOf(schema)[0].type).toBe("AWS region");
  });

  test("an object field of the top level gets its own table; deeper objects are flattened with dots", () => {
    const schema = z.strictObject({
      state: z.strictObject({ bucket: z.string().describe("Bucket."), lock: z.strictObject({ table: z.string().describe("Table.") }).describe("Lock.") }).describe("State."),
    });
    expect(sectionsOf(schema).map((s) => [s.heading, s.rows.map((r) => r.field)])).toEqual([
      ["Top level", ["`state`"]],
      ["`state`", ["`bucket`", "`lock`", "`lock.table`"]],
    ]);
  });

  test("the elements of lists and maps of objects get their own tables, right after their parent's", () => {
    const schema = z.strictObject({
      repositories: z
        .array(z.strictObject({ name: z.string().describe("Name."), rules: z.array(z.strictObject({ keep: z.number().describe("Keep.") })).describe("Rules.") }))
        .min(1)
        .describe("Repositories."),
      consumers: z.record(z.string(), z.strictObject({ role: z.string().describe("Role.") })).describe("Consumers."),
    });
    const sections = sectionsOf(schema);
    expect(sections.map((s) => s.heading)).toEqual(["Top level", "`repositories[]`", "`repositories[].rules[]`", "`consumers.<key>`"]);
    expect(sections[0].rows.map((r) => r.type)).toEqual(["list of objects, ≥1 item", "map of objects"]);
    expect(sections[1].rows.map((r) => r.type)).toEqual(["string", "list of objects"]);
  });

  test("each form of a discriminated union gets a table titled by its discriminator", () => {
    const schema = z.strictObject({
      backend: z
        .discriminatedUnion("type", [
          z.strictObject({ type: z.literal("s3").describe("S3."), bucket: z.string().describe("Bucket.") }),
          z.strictObject({ type: z.literal("hcp").describe("HCP."), organization: z.string().describe("Organization.") }),
        ])
        .describe("Backend."),
    });
    const sections = sectionsOf(schema);
    expect(sections.map((s) => s.heading)).toEqual(["Top level", "`backend` (type: s3)", "`backend` (type: hcp)"]);
    expect(sections[0].rows[0].type).toBe("object with `type`: `s3` or `hcp`");
    expect(sections[2].rows).toEqual([
      { field: "`type`", type: "`hcp`", default: "required", description: "HCP." },
      { field: "`organization`", type: "string", default: "required", description: "Organization." },
    ]);
  });

  test("unions of scalars, nullable fields and lists of scalars read as types", () => {
    const schema = z.strictObject({
      size: z.union([z.literal("auto"), z.number()]).nullable().describe("Size."),
      names: z.array(z.string().max(5)).max(3).optional().describe("Names."),
      labels: z.record(z.string(), z.string()).default({}).describe("Labels."),
    });
    expect(rowsOf(schema).map((r) => [r.type, r.default])).toEqual([
      ["`auto` or number or null", "required"],
      ["list of strings (≤5 characters), ≤3 items", "none"],
      ["map of strings", "`{}`"],
    ]);
  });

  test("a list of titled scalars puts the plural on the noun, before the title's qualifier", () => {
    const schema = z.strictObject({ accounts: z.array(z.string().meta({ title: "12-digit account id, quoted" })).describe("Accounts.") });
    expect(rowsOf(schema).map((r) => r.type)).toEqual(["list of 12-digit account ids, quoted"]);
  });

  test("shared schemas emitted as $ref are resolved", () => {
    const tag = z.strictObject({ key: z.string().describe("Key.") });
    const registry = z.registry<{ id: string }>();
    registry.add(tag, { id: "Tag" });
    const schema = z.strictObject({ tags: z.array(tag).describe("Tags.") });
    const json = z.toJSONSchema(schema, { target: "draft-7", metadata: registry }) as JsonSchema;
    expect(JSON.stringify(json)).toContain('"$ref"');
    expect(configReferenceSections(json).map((s) => [s.heading, s.rows.map((r) => r.field)])).toEqual([
      ["Top level", ["`tags`"]],
      ["`tags[]`", ["`key`"]],
    ]);
  });

  test("an intersection of objects documents the fields of both", () => {
    const schema = z.strictObject({
      both: z.intersection(z.object({ a: z.string().describe("A.") }), z.object({ b: z.boolean().optional().describe("B.") })).describe("Both."),
    });
    expect(sectionsOf(schema)[1]).toEqual({
      heading: "`both`",
      rows: [
        { field: "`a`", type: "string", default: "required", description: "A." },
        { field: "`b`", type: "boolean", default: "none", description: "B." },
      ],
    });
  });

  test("a recursive schema is refused instead of looping", () => {
    const node: z.ZodType = z.lazy(() => z.strictObject({ child: node.optional().describe("Child.") }));
    expect(() => sectionsOf(z.strictObject({ tree: node.describe("Tree.") }))).toThrow(/nests deeper than 16 levels .*is it recursive\?/);
  });

  test("table cells escape pipes and asterisks and keep <placeholders> visible as code", () => {
    const schema = z.strictObject({ key: z.string().optional().describe("Either a|b, or dev-* tags. Default: <prefix>/<name>/terraform.tfstate.") });
    expect(rowsOf(schema)[0]).toMatchObject({
      default: "`<prefix>/<name>/terraform.tfstate`",
      description: "Either a\\|b, or dev-\\* tags.",
    });
  });

  test("a trailing Default sentence is split off the description", () => {
    expect(splitDefaultSentence("Region of the bucket. Default: the registry's region.")).toEqual({
      description: "Region of the bucket.",
      default: "the registry's region",
    });
    expect(splitDefaultSentence("No default here.")).toEqual({ description: "No default here." });
  });
});

describe("replacing the reference in docs/configuration.md", () => {
  const readme = ["# Title", "", "Prose before.", "", REFERENCE_START, "old table", REFERENCE_END, "", "### Tags", "Prose after.", ""].join("\n");

  test("replaces only the text between the markers", () => {
    const updated = replaceReference(readme, "### New\n\n| a |");
    expect(updated).toBe(["# Title", "", "Prose before.", "", REFERENCE_START, "", "### New", "", "| a |", "", REFERENCE_END, "", "### Tags", "Prose after.", ""].join("\n"));
    expect(currentReference(updated)).toBe("### New\n\n| a |");
  });

  test("refuses a page without the markers", () => {
    expect(() => replaceReference("# Title\n", "x")).toThrow(/docs\/configuration\.md must contain the markers/);
  });
});
