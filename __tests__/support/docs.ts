import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

/** README.md and every page under docs/, relative to the project root. */
export const DOCUMENTATION_FILES: readonly string[] = [
  "README.md",
  ...fs
    .readdirSync(path.join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`),
];

/** The text of a documentation file (`README.md`, `docs/consumers.md`). */
export function documentation(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), "utf8");
}

/** README.md and every docs/ page, one after the other: for examples and statements that may live on any page. */
export function allDocumentation(): string {
  return DOCUMENTATION_FILES.map(documentation).join("\n");
}

/** The lines of `text` outside fenced code blocks. */
function proseLines(text: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of text.split("\n")) {
    const marker = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker.startsWith(fence)) fence = undefined;
    } else if (marker !== undefined) fence = marker;
    else lines.push(line);
  }
  return lines;
}

/** The anchors GitHub gives the headings of a Markdown text, in order (a repeated heading gets `-1`, `-2`, ...). */
export function headingAnchors(text: string): string[] {
  const seen = new Map<string, number>();
  const anchors: string[] = [];
  for (const line of proseLines(text)) {
    const heading = /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]
      .trim()
      .toLowerCase()
      .replace(/<[^>]*>/g, "")
      .replace(/[^\p{L}\p{N}_\- ]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.push(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The targets of the Markdown links and images of a text, outside code blocks and inline code. */
export function markdownLinks(text: string): string[] {
  return proseLines(text)
    .map((line) => line.replace(/`[^`]*`/g, ""))
    .flatMap((line) => [...line.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]));
}
