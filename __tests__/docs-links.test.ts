import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, runMain, snapshotFolder, tempDir } from "./support/fixtures";
import { DOCUMENTATION_FILES, headingAnchors, markdownLinks } from "./support/docs";

// Every relative link in README.md and docs/ points at a file that exists, and every #anchor at
// a heading of that file (GitHub's anchors: lower case, punctuation dropped, spaces as hyphens,
// repeats numbered).

describe.each(DOCUMENTATION_FILES.map((file) => [file]))("%s", (file) => {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
  const links = markdownLinks(text).filter((link) => !/^[a-z][a-z0-9+.-]*:/i.test(link));

  test("links only to files that exist", () => {
    const missing = links
      .map((link) => link.split("#")[0])
      .filter((target) => target !== "")
      .filter((target) => !fs.existsSync(path.resolve(path.dirname(path.join(PROJECT_ROOT, file)), decodeURIComponent(target))));
    expect(missing).toEqual([]);
  });

  test("links only to anchors that exist", () => {
    const broken = links
      .filter((link) => link.includes("#"))
      .filter((link) => {
        const [target, anchor] = link.split("#");
        const linked = target === "" ? path.join(PROJECT_ROOT, file) : path.resolve(path.dirname(path.join(PROJECT_ROOT, file)), target);
        if (!linked.endsWith(".md") || !fs.existsSync(linked)) return false;
        return !headingAnchors(fs.readFileSync(linked, "utf8")).includes(decodeURIComponent(anchor));
      });
    expect(broken).toEqual([]);
  });
});

describe("the link checker", () => {
  test("makes GitHub's anchors, numbering repeated headings", () => {
    expect(headingAnchors("# Title\n## Consumers: who may push and pull\n### `state` (backend `s3`)\n### `state` (backend `hcp`)\n## A.B, C/D\n## A.B, C/D\n")).toEqual([
      "title",
      "consumers-who-may-push-and-pull",
      "state-backend-s3",
      "state-backend-hcp",
      "ab-cd",
      "ab-cd-1",
    ]);
  });

  test("ignores headings and links in code blocks and inline code, and finds links with titles", () => {
    const text = "```sh\n# not a heading [x](missing.md)\n```\n## Real\nsee `[y](nope.md)` and [z](other.md#real \"title\") and ![pic](img.png)\n";
    expect(headingAnchors(text)).toEqual(["real"]);
    expect(markdownLinks(text)).toEqual(["other.md#real", "img.png"]);
  });
});

test.each(DOCUMENTATION_FILES.filter((file) => file.startsWith("docs/")).map((file) => [file]))(
  "%s opens with a title, what it is for and an example within its first 20 lines",
  (file) => {
    const lines = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8").split("\n");
    expect(lines[0]).toMatch(/^# \S/);
    expect(lines[1]).toBe("");
    // A paragraph before the example: what the page is for.
    expect(lines[2]).toMatch(/^[A-Z`]/);
    expect(lines.slice(2, 20).some((line) => line.startsWith("```"))).toBe(true);
  },
);

describe("README.md", () => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");

  test("stays a short front door: at most 15 KB, with the flow drawn and every docs/ page linked", () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(15 * 1024);
    expect(readme).toContain("```mermaid\nflowchart LR\n");
    const pages = DOCUMENTATION_FILES.filter((file) => file.startsWith("docs/"));
    expect(pages.filter((page) => !readme.includes(`](${page})`))).toEqual([]);
  });

  test("gives the two commands of a fresh clone, the pinned versions, why .gen is ignored and the exit path", () => {
    expect(readme).toContain("npm ci && npm run synth");
    expect(readme).toContain("npm test");
    expect(readme).toMatch(/archived upstream on 2025-12-10/);
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).dependencies;
    expect(readme).toContain(`\`cdktf\` and \`cdktf-cli\` ${pkg.cdktf}`);
    expect(pkg["cdktf-cli"]).toBe(pkg.cdktf);
    expect(readme).toContain(`\`@cdktf/provider-aws\` ${pkg["@cdktf/provider-aws"]}`);
    expect(readme).toMatch(/`\.gen`[^\n]*git-ignored/);
    expect(readme).toContain("`npm run synth:hcl` is the exit path");
  });

  test("lists the files npm run synth writes for the default config", () => {
    const listing = /```\ncdktf\.out\/\n([\s\S]*?)```/.exec(readme)![1];
    const listed = listing.split("\n").filter(Boolean).map((line) => `cdktf.out/${line.trim().split(/\s+/)[0]}`).sort();
    const dir = tempDir();
    const result = runMain(dir, { REGISTRY_CONFIG: path.join(PROJECT_ROOT, "registry.yaml") });
    expect(result.status).toBe(0);
    expect(Object.keys(snapshotFolder(path.join(dir, "cdktf.out"))).map((file) => `cdktf.out/${file}`).sort()).toEqual(listed);
  });
});
