import { parse, stringify } from "yaml";
import { parseConfig } from "../src/checks";
import { DOCUMENTATION_FILES, documentation } from "./support/docs";
import { minimalRawConfig } from "./support/fixtures";

/**
 * Blocks marked `# registry.yaml excerpt` in README.md and docs/: top-level keys to put over a
 * minimal config. docs/replication.md's excerpts build on each other; replication-docs.test.ts
 * checks them.
 */
const excerpts = DOCUMENTATION_FILES.filter((file) => file !== "docs/replication.md").flatMap((file) =>
  [...documentation(file).matchAll(/```yaml\n(# registry\.yaml excerpt\n[\s\S]*?)```/g)].map((match) => ({ file, text: match[1] })),
);

describe("config excerpts in README.md and docs/", () => {
  test("exist for lifecycle policies, scanning and creation templates", () => {
    expect(excerpts.map(({ text }) => Object.keys(parse(text)).sort())).toEqual(
      expect.arrayContaining([["lifecycle", "repositories"], ["repositories", "scanning"], ["repositoryCreationTemplates"]]),
    );
  });

  test("exist on the README and on every page that explains a part of the config", () => {
    const files = new Set(excerpts.map(({ file }) => file));
    expect([...files].sort()).toEqual(expect.arrayContaining(["README.md", "docs/consumers.md", "docs/data-safety.md", "docs/lifecycle.md", "docs/scanning.md"]));
  });

  test.each(excerpts.map(({ file, text }) => [file, text.split("\n")[1], text]))("%s: %s … is a valid config", (file, _first, text) => {
    expect(() => parseConfig(stringify({ ...minimalRawConfig(), accountId: "123456789012", ...parse(text) }), file)).not.toThrow();
  });
});

test("docs/commands.md names every npm script", () => {
  const scripts = Object.keys(JSON.parse(documentation("package.json")).scripts);
  const page = documentation("docs/commands.md");
  const named = (script: string) => (script === "test" ? page.includes("`npm test`") : page.includes(`npm run ${script}`) || page.includes(`\`${script}\``));
  expect(scripts.filter((script) => !named(script))).toEqual([]);
});
