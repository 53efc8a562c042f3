import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "./support/fixtures";
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
