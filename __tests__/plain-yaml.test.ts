import fc from "fast-check";
import { parseDocument, stringify } from "yaml";
import { generateConfig } from "../bench/generate";
import { parsePlainYaml } from "../src/config/plain-yaml";
import { validConfigArb } from "./support/arbitraries";

const SEED = 20_261_125;

/** What the `yaml` library (the loader's full parser, with its options) makes of `text`: data, or undefined when it reports a problem. */
function fullParse(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, resolveKnownTags: false });
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

/** The fast path answers only where the full parser accepts the text and gives the same data. */
function expectAgreement(text: string): void {
  const fast = parsePlainYaml(text);
  if (fast === undefined) return;
  expect(fullParse(text)).toEqual(fast);
}

describe("the plain YAML fast path", () => {
  test("reads a generated 40-repository config as the full parser does", () => {
    const text = stringify(generateConfig(40));
    expect(parsePlainYaml(text)).toEqual(fullParse(text));
  });

  test("resolves scalars by the YAML 1.2 core schema, like the full parser", () => {
    const text = [
      "a: 1_000", "b: 0o17", "c: 0x1F", "d: 017", "e: +12", "f: -3", "g: 1e3", "h: .5", "i: 1.", "j: .inf", "k: -.Inf", "l: .NaN",
      "m: True", "n: FALSE", "o: yes", "p: on", "q: ~", "r: Null", "s:", "t: 2024-01-01", "u: '1'", 'v: "0x1F"', "w: 0b101", "x: 1:30",
    ].join("\n");
    const data = parsePlainYaml(text) as Record<string, unknown>;
    expect(data).toEqual(fullParse(text));
    expect(data).toMatchObject({ a: "1_000", b: 15, c: 31, d: 17, o: "yes", q: null, s: null, t: "2024-01-01", w: "0b101", x: "1:30" });
    expect(Number.isNaN(data.l)).toBe(true);
  });

  test("reads one-line lists, quoted strings with escapes and comments", () => {
    const text = ['list: [a, "b c", \'d\'\'e\', 1]  # trailing', "# whole line", 'esc: "tab\\there \\u00e9"'].join("\n");
    expect(parsePlainYaml(text)).toEqual({ list: ["a", "b c", "d'e", 1], esc: "tab\there é" });
  });

  test.each([
    ["an anchor and alias", "a: &x 1\nb: *x"],
    ["a tag", "a: !!str 1"],
    ["a duplicate key", "a: 1\na: 2"],
    ["a duplicate key written once as a number", "1: a\n'1': b"],
    ["a null key", "null: 1"],
    ["an explicit key", "? a\n: 1"],
    ["a flow mapping", "a: {b: 1}"],
    ["a flow list as a key", "[a]: 1"],
    ["a multi-line plain scalar", "a: one\n  two"],
    ["a block scalar", "a: |\n  text"],
    ["a tab", "a:\t1"],
    ["a document marker", "---\na: 1"],
    ["two documents", "a: 1\n---\nb: 2"],
    ["a directive", "%YAML 1.2\n---\na: 1"],
    ["a merge key", "<<: {a: 1}"],
    ["a key ending in a colon inside a value", "a: b:"],
    ["an empty document", "# only a comment\n"],
    ["a bad indentation", "a:\n  b: 1\n c: 2"],
  ])("leaves %s to the full parser", (_, text) => {
    expect(parsePlainYaml(text)).toBeUndefined();
  });

  test("gives the full parser's data wherever it reads random valid configs, written in block and flow style", () => {
    fc.assert(
      fc.property(validConfigArb, (raw) => {
        const text = stringify(raw, { lineWidth: 0, aliasDuplicateObjects: false });
        expectAgreement(text);
        const flow = text.replace(/:\n((?: *- [^\n:]*\n)+)/g, (_, items: string) => `: [${items.trim().split("\n").map((l) => l.trim().slice(2)).join(", ")}]\n`);
        expectAgreement(flow);
      }),
      { seed: SEED, numRuns: 25 },
    );
  });

  test("never answers differently from the full parser on lines made of YAML fragments", () => {
    // Mostly scalars both parsers read, so that many texts reach the fast path, and some that neither should.
    const scalarText = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom("a", "1", "1_0", "0o7", "0x1f", "+1", "-1", ".5", "1.", "1e3", ".inf", "-.Inf", ".NaN", "true", "True", "yes", "~", "null", "NULL", "") },
      { weight: 4, arbitrary: fc.constantFrom("'q'", "'q''q'", '"d"', '"\\t\\u00e9"', '"a\\"b"', "[a, b]", "[a,b,]", "[]", "{}", "['x', \"y\"]", "arn:aws:iam::1:role/x", "a:b", "a b", "a#b", "a #b", "é", "-a", "a,b", "[1, 0x1f, ~]") },
      { weight: 1, arbitrary: fc.constantFrom("x: y", "[a: b]", "[[a]]", "{a: b}", "&x a", "*x", "!t a", "|", ">-", "-", "- a", "?", ": a", "a: ", "%", "@a", "`a", "--", "---", "...", "#c", "'a", '"a') },
    );
    const key = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom("a", "b", "k1", "a.b", "a/b", "a b", "a:b", "'q'", '"d"', "1", "0x1", "true") },
      { weight: 1, arbitrary: fc.constantFrom("null", "~", "<<", "é", "-a", "", "a ", " a", "a:") },
    );
    const indent = fc.oneof({ weight: 8, arbitrary: fc.constantFrom("", "  ", "    ") }, { weight: 1, arbitrary: fc.constantFrom(" ", "\t") });
    const line = fc.tuple(indent, fc.constantFrom("", "", "- ", "- - ", "-"), fc.option(key, { freq: 4 }), scalarText).map(([spaces, dash, k, v]) =>
      k === null ? `${spaces}${dash}${v}` : `${spaces}${dash}${k}:${v === "" ? "" : ` ${v}`}`,
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), fc.constantFrom("\n", "\r\n"), (lines, eol) => {
        expectAgreement(lines.join(eol));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});
