import { FAILSAFE_SCHEMA, Type, load } from "js-yaml";

/**
 * The fast path of config parsing. The `yaml` library, which reads every config and reports its
 * errors by line and column, builds a full document model first: on a 1,000-repository config
 * (500 KB) that took 0.4–0.6 s, a fifth of synth. js-yaml builds the data directly, ten times
 * faster, but its defaults read some scalars differently (`1_000` is a number to it, a string in
 * YAML 1.2) and it lets through what the loader refuses (anchors, tags, non-scalar keys).
 *
 * So js-yaml reads a config only when every line is plain block YAML (see `PLAIN_LINE`: mappings,
 * `-` lists, one-line `[...]` lists of scalars, `{}`, quoted or plain scalars, comments; no anchors,
 * aliases, tags, multi-line scalars, explicit keys, tabs or directives), with a schema that
 * resolves scalars exactly as the `yaml` library's YAML 1.2 core schema does. Anything else, and
 * anything js-yaml rejects (duplicate keys, say), goes to the `yaml` library, which then reports
 * it. `__tests__/plain-yaml.test.ts` checks that both give the same data wherever this path answers.
 */
export function parsePlainYaml(text: string): unknown {
  if (!isPlainBlockYaml(text)) return undefined;
  try {
    const data = load(text, { schema: CORE_1_2_SCHEMA });
    // An empty document (or only comments) is left to the full parser, which says so.
    return data === null ? undefined : data;
  } catch {
    return undefined;
  }
}

// Scalar resolution of the `yaml` library's core schema (node_modules/yaml/dist/schema/core), rule
// for rule. One js-yaml type per tag: js-yaml keeps only the last of several types with one tag.
const scalar = (tag: string, resolve: (text: string) => unknown) =>
  new Type(`tag:yaml.org,2002:${tag}`, { kind: "scalar", resolve: (text: string) => resolve(text) !== NOT_THIS_TYPE, construct: resolve });
const NOT_THIS_TYPE = Symbol("not this type");

const CORE_1_2_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar("null", (text) => (/^(?:~|[Nn]ull|NULL)?$/.test(text) ? null : NOT_THIS_TYPE)),
    scalar("bool", (text) => (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text) ? text[0] === "t" || text[0] === "T" : NOT_THIS_TYPE)),
    scalar("int", (text) => {
      if (/^0o[0-7]+$/.test(text)) return parseInt(text.substring(2), 8);
      if (/^[-+]?[0-9]+$/.test(text)) return parseInt(text, 10);
      if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.substring(2), 16);
      return NOT_THIS_TYPE;
    }),
    scalar("float", (text) => {
      if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) {
        return text.slice(-3).toLowerCase() === "nan" ? NaN : text[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      }
      if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(text) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(text)) return parseFloat(text);
      return NOT_THIS_TYPE;
    }),
  ],
});

/**
 * A key: plain words (letters, digits, `_ . / @ = + -`, single spaces and colons between) or a
 * one-line quoted string. Not `null`: js-yaml makes that key "null", the `yaml` library "".
 */
const KEY = String.raw`(?:(?!(?:null|Null|NULL):)[A-Za-z0-9_](?:[\w./@=+-]|[ :](?=[\w./@=+-]))*|"[^"\\\n]*"|'[^'\n]*')`;
/** A one-line quoted string, with escapes. */
const QUOTED = String.raw`(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')`;
/** The first character of a plain scalar: not an indicator (`-` only before a non-space). */
const PLAIN_START = String.raw`(?:[^\s\-?:,\[\]{}#&*!|>'"%@\x60]|-(?=\S))`;
/** A plain scalar in block context: no `: `, no ` #`, no trailing `:`. */
const BLOCK_PLAIN = String.raw`${PLAIN_START}(?:[^\s:#]|:(?=[^\s])|#| +(?=[^\s#]))*`;
/** A plain scalar inside `[...]`: no flow indicators either. */
const FLOW_PLAIN = String.raw`${PLAIN_START}(?:[^\s:#,\[\]{}]|:(?=[^\s,\[\]{}])|#| +(?=[^\s#,\]]))*`;
const FLOW_ITEM = `(?:${QUOTED}|${FLOW_PLAIN})`;
const FLOW_LIST = String.raw`\[ *(?:${FLOW_ITEM}(?: *, *${FLOW_ITEM})* *,? *)?\]`;
const VALUE = `(?:${QUOTED}|${FLOW_LIST}|\\{ *\\}|${BLOCK_PLAIN})`;
const COMMENT = String.raw`(?:(?:^| +)#.*)?`;
/** One line of plain block YAML: blank, a comment, or `- ` markers then `key:` (with a value) or a value. */
const PLAIN_LINE = new RegExp(String.raw`^ *(?:(?:- +)*(?:${KEY}:(?: +${VALUE})?|- +${VALUE}|-)?)${COMMENT}$`);

/** An open block collection: the column of its entries (`-` or keys) and its kind. */
interface OpenCollection {
  readonly column: number;
  readonly kind: "map" | "seq";
}

/**
 * Whether every line is plain block YAML (`PLAIN_LINE`) and the lines nest as YAML's block
 * structure says: each entry at the column of an open collection of its kind, or opening a new one
 * under an entry that has no value yet (deeper, or a `-` list at its key's column). js-yaml reads
 * some wrongly indented text that the `yaml` library rejects; such text goes to the latter.
 */
function isPlainBlockYaml(text: string): boolean {
  const open: OpenCollection[] = [];
  /** The last entry, when it has no value on its line: the next line may open its value. */
  let awaiting: OpenCollection | undefined;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    if (!PLAIN_LINE.test(line)) return false;
    const entries = lineEntries(line);
    if (entries === undefined) continue;
    // js-yaml files an entry after an empty `-` item (`- -` then `- a`) under the wrong list.
    if (!entries.hasValue && entries.collections[entries.collections.length - 1].kind === "seq") return false;
    const [first] = entries.collections;
    const opensValue = awaiting !== undefined && (first.column > awaiting.column || (awaiting.kind === "map" && first.kind === "seq" && first.column === awaiting.column));
    if (!opensValue && open.length > 0) {
      // A list that is a key's value sits at the key's column; an entry of the mapping closes it.
      while (open.length > 0 && (open[open.length - 1].column > first.column || (open[open.length - 1].column === first.column && open[open.length - 1].kind !== first.kind))) open.pop();
      const top = open[open.length - 1];
      if (top === undefined || top.column !== first.column) return false;
      open.push(...entries.collections.slice(1));
    } else open.push(...entries.collections);
    awaiting = entries.hasValue ? undefined : entries.collections[entries.collections.length - 1];
  }
  return true;
}

/** The entries a line starts (`-` markers, then a key), by column; undefined for a blank or comment line. */
function lineEntries(line: string): { collections: OpenCollection[]; hasValue: boolean } | undefined {
  let i = 0;
  while (line[i] === " ") i++;
  if (i === line.length || line[i] === "#") return undefined;
  const collections: OpenCollection[] = [];
  while (line[i] === "-" && (i + 1 === line.length || line[i + 1] === " ")) {
    collections.push({ column: i, kind: "seq" });
    i++;
    while (line[i] === " ") i++;
  }
  const rest = line.slice(i);
  const key = KEY_THEN_COLON.exec(rest);
  if (key) collections.push({ column: i, kind: "map" });
  const value = (key ? rest.slice(key[0].length) : rest).replace(/^ *(?:#.*)?$/, "");
  return { collections, hasValue: value !== "" };
}

const KEY_THEN_COLON = new RegExp(`^${KEY}:(?= |$)`);
