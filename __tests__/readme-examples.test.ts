import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { parseConfig } from "../src/checks";
import { PROJECT_ROOT, minimalRawConfig } from "./support/fixtures";

/** README blocks marked `# registry.yaml excerpt`: top-level keys to put over a minimal config. */
const excerpts = [...fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8").matchAll(/```yaml\n(# registry\.yaml excerpt\n[\s\S]*?)```/g)].map(
  (match) => match[1],
);

describe("README config excerpts", () => {
  test("exist for lifecycle policies, scanning and creation templates", () => {
    expect(excerpts.map((text) => Object.keys(parse(text)).sort())).toEqual(
      expect.arrayContaining([["lifecycle", "repositories"], ["repositories", "scanning"], ["repositoryCreationTemplates"]]),
    );
  });

  test.each(excerpts.map((text) => [text.split("\n")[1], text]))("%s … is a valid config", (_first, text) => {
    expect(() => parseConfig(stringify({ ...minimalRawConfig(), accountId: "123456789012", ...parse(text) }), "README.md")).not.toThrow();
  });
});
