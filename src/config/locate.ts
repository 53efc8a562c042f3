import { Document, LineCounter, Node, Pair, isAlias, isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { ConfigProblem } from "./errors";

/** List entries that problems name by what they are called, not only by index: list key → [what, the entry's naming key]. */
const NAMED_ENTRIES: Readonly<Record<string, readonly [string, string]>> = {
  repositories: ["repository", "name"],
  environments: ["environment", "name"],
  repositoryCreationTemplates: ["creation template", "prefix"],
};

/**
 * Locates problems in the config text they are about: each problem whose path leads into the file
 * gets `file:line:column` of the offending node (the key for an unknown key, else the value; for
 * a missing key, the entry that lacks it) and, inside a repository, environment or creation
 * template, that entry's name. The text is parsed with the `yaml` library, which keeps source
 * ranges, once and only when there is a problem to locate (the fast path of parsing keeps none).
 */
export function problemLocator(text: string, file: string): (problem: ConfigProblem) => ConfigProblem {
  let parsed: { doc: Document; lines: LineCounter } | undefined | null;
  const source = () => {
    if (parsed === undefined) {
      const lines = new LineCounter();
      const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, resolveKnownTags: false });
      parsed = doc.errors.length === 0 ? { doc, lines } : null;
    }
    return parsed;
  };
  return (problem) => {
    const segments = pathSegments(problem.path);
    if (!segments || segments.length === 0) return problem;
    const found = source();
    if (!found) return problem;
    const { doc, lines } = found;
    const target = walk(doc, segments, /^unknown key\b/.test(problem.message));
    if (target === undefined) return problem;
    const pos = lines.linePos(target);
    const subject = subjectOf(doc, segments);
    return { ...problem, location: `${file}:${pos.line}:${pos.col}`, ...(subject ? { subject } : {}) };
  };
}

/** `repositories[2].tags["a b"]` → ["repositories", 2, "tags", "a b"]; undefined for text that is not a path. */
export function pathSegments(path: string): Array<string | number> | undefined {
  const segments: Array<string | number> = [];
  const token = /(^[A-Za-z_$][A-Za-z0-9_$-]*)|\.([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  while (token.lastIndex < path.length) {
    const start = token.lastIndex;
    const match = token.exec(path);
    if (!match || token.lastIndex === start) return undefined;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(match[2]);
    else if (match[3] !== undefined) segments.push(Number(match[3]));
    else segments.push(JSON.parse(match[4]) as string);
  }
  return segments;
}

/** The offset of the node at `segments`, or of the deepest entry on the way when the rest is missing; undefined when the first key is not in the file. */
function walk(doc: Document, segments: ReadonlyArray<string | number>, atKey: boolean): number | undefined {
  let node = resolve(doc, doc.contents);
  let pair: Pair | undefined;
  for (const [i, segment] of segments.entries()) {
    let next: Node | null | undefined;
    pair = undefined;
    if (isMap(node)) {
      pair = node.items.find((p) => keyText(p.key) === String(segment)) as Pair | undefined;
      next = pair ? resolve(doc, pair.value as Node | null) : undefined;
    } else if (isSeq(node) && typeof segment === "number") {
      next = resolve(doc, node.items[segment] as Node | undefined);
    }
    if (next === undefined && pair === undefined) return i === 0 ? undefined : node?.range?.[0];
    if (next === null || next === undefined) return (pair?.key as Node | undefined)?.range?.[0] ?? node?.range?.[0];
    if (i === segments.length - 1) {
      const key = pair?.key as Node | undefined;
      return atKey && key?.range ? key.range[0] : next.range?.[0];
    }
    node = next;
  }
  return node?.range?.[0];
}

function resolve(doc: Document, node: Node | null | undefined): Node | null | undefined {
  return isAlias(node) ? (node.resolve(doc) as Node | undefined) : node;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null ? "" : String(key.value);
  return undefined;
}

/** `repository ai-models/llm` for a path into `repositories[i]`, from the entry's name in the file. */
function subjectOf(doc: Document, segments: ReadonlyArray<string | number>): string | undefined {
  const [list, index] = segments;
  const named = typeof list === "string" ? NAMED_ENTRIES[list] : undefined;
  if (!named || typeof index !== "number") return undefined;
  const entries = resolve(doc, doc.get(list, true) as Node | undefined);
  const entry = isSeq(entries) ? resolve(doc, entries.items[index] as Node | undefined) : undefined;
  if (!isMap(entry)) return undefined;
  const name = resolve(doc, entry.get(named[1], true) as Node | undefined);
  return isScalar(name) && typeof name.value === "string" && name.value !== "" ? `${named[0]} ${name.value}` : undefined;
}
