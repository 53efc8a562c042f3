import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { stringify } from "yaml";
import { buildApp } from "../src/stacks/app";
import { ConfigError } from "../src/config/errors";
import { parseConfig } from "../src/checks";
import { binaryUnit, validConfigArb } from "./support/arbitraries";
import { MutationKind, inArea, mutationsOf, nodes } from "./support/mutations";
import { snapshotFolder, tempDir } from "./support/fixtures";

// Property-based tests with a fixed seed, so every run checks the same cases; fast-check prints
// the seed, the path and the shrunk counterexample when a property fails.
const SEED = 20_251_125;

/** The same data with the keys of every mapping in reverse order (lists keep theirs). */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}

function synthesize(yamlText: string): Record<string, string> {
  const outdir = path.join(tempDir(), "cdktf.out");
  buildApp(parseConfig(yamlText, "registry.yaml"), { outdir }).synth();
  const files = snapshotFolder(outdir);
  fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  return files;
}

describe("random valid configs", () => {
  test("are accepted by the schema and every cross-field rule", () => {
    fc.assert(
      fc.property(validConfigArb, (raw) => {
        const config = parseConfig(stringify(raw), "registry.yaml");
        expect(config.environments.map((e) => e.name)).toEqual(raw.environments.map((e: { name: string }) => e.name));
        expect(config.repositories.map((r) => r.name)).toEqual(raw.repositories.map((r: { name: string }) => r.name));
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  // Synthesis costs about 0.1 s per config, so fewer runs here than for validation.
  test("synthesize, and give byte-identical output with the keys of every mapping in reverse order", () => {
    fc.assert(
      fc.property(validConfigArb, (raw) => {
        const first = synthesize(stringify(raw));
        const reordered = synthesize(stringify(reverseKeys(raw)));
        const stacks = Object.keys(first).filter((f) => f.endsWith("cdk.tf.json"));
        expect(stacks.length).toBeGreaterThanOrEqual(raw.environments.length);
        expect(reordered).toEqual(first);
      }),
      { seed: SEED, numRuns: 10 },
    );
  });
});

describe("random mutations of valid configs", () => {
  const mutated = validConfigArb.chain((raw) => fc.constantFrom(...mutationsOf(raw)).map((mutation) => ({ raw, mutation })));

  // One run of the property for both tests: the kinds it checked are the kinds fc.sample gives
  // for the same seed and number of runs (fast-check generates the same sequence for both).
  let checkedKinds: Set<MutationKind> | undefined;
  const checkMutations = (): Set<MutationKind> => {
    if (checkedKinds) return checkedKinds;
    const kinds = new Set<MutationKind>();
    fc.assert(
      fc.property(mutated, ({ raw, mutation }) => {
        kinds.add(mutation.kind);
        let error: unknown;
        try {
          parseConfig(stringify(mutation.apply(raw)), "registry.yaml");
        } catch (e) {
          error = e;
        }
        if (!(error instanceof ConfigError)) {
          throw new Error(`${mutation.description}: ${error === undefined ? "accepted" : `threw ${error instanceof Error ? error.stack : String(error)}`}`);
        }
        const paths = error.problems.map((p) => p.path);
        if (!paths.some((p) => inArea(p, mutation.area))) throw new Error(`${mutation.description}: no problem there, only at ${paths.join(", ")}`);
      }),
      { seed: SEED, numRuns: 100 },
    );
    return (checkedKinds = kinds);
  };

  test("are rejected with a ConfigError that names a path in the mutated area, never with another exception", () => {
    checkMutations();
  });

  test("cover every kind of mutation", () => {
    expect([...checkMutations()].sort()).toEqual(["drop required key", "duplicate", "invalid string", "out-of-range number", "unknown key", "wrong type"]);
  });
});

/** Parses `text`; returns nothing when it is accepted or rejected with a ConfigError, else the exception. */
function crashOf(text: string): unknown {
  try {
    parseConfig(text, "registry.yaml");
  } catch (error) {
    if (!(error instanceof ConfigError)) return error;
  }
  return undefined;
}

describe("arbitrary input never crashes the loader", () => {
  test("any JSON value, odd string or number in place of any node of a valid config", () => {
    const junk = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.string({ unit: binaryUnit, maxLength: 40 }),
      fc.constantFrom("", " ", "*", "ROOT", "us-gov-west-1", "cn-north-1", "arn:aws:iam::111111111111:role/x", "a".repeat(300), -1, 0, 1e308),
    );
    const replaced = validConfigArb.chain((raw) => fc.tuple(fc.constant(raw), fc.constantFrom(...nodes(raw).map((n) => n.path)), junk));
    fc.assert(
      fc.property(replaced, ([raw, at, value]) => {
        const copy = JSON.parse(JSON.stringify(raw));
        const parent = at.slice(0, -1).reduce((node: any, segment) => node[segment], copy);
        parent[at[at.length - 1]] = value;
        expect(crashOf(stringify(copy))).toBeUndefined();
      }),
      { seed: SEED, numRuns: 50 },
    );
  });

  test("YAML-ish text made of syntax fragments", () => {
    const fragment = fc.constantFrom(
      "project: ", "repositories:", "\n", "  ", "- ", "name: ", "&a ", "*a", "!!str ", "!!js/x ", "? ", ": ", "[", "]", "{", "}", ",", "'", '"',
      "#", "---\n", "...\n", "%YAML 1.1\n", "<<: ", "~", "true", "1e9", ".inf", "0x1F", "\t", "\r\n", "\uFEFF", "é", "|\n", ">-\n", "__proto__",
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join("")), (text) => {
        expect(crashOf(text)).toBeUndefined();
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
