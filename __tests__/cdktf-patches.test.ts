import fc from "fast-check";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import {
  Aspects,
  DefaultTokenResolver,
  Fn,
  Lazy,
  StringConcat,
  TerraformElement,
  TerraformIterator,
  TerraformLocal,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Testing,
  Token,
  Tokenization,
} from "cdktf";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct, IConstruct } from "constructs";
import { buildApp } from "../src/stacks/app";
import { DEFAULT_CONFIG_PATH } from "../src/config/load";
import { loadConfig } from "../src/checks";
import { PROJECT_ROOT } from "./support/fixtures";

// The changes scripts/cdktf/patches.cjs makes to cdktf 0.21.0, each against cdktf's own code.
// Jest swaps cdktf's internal requires only (__tests__/support/cdktf-resolver.js), so the files
// required here by path are the published originals.
const cdktfLib = path.join(PROJECT_ROOT, "node_modules/cdktf/lib");
const originalResolve = require(path.join(cdktfLib, "tokens/private/resolve.js"));
const fastResolve = require(path.join(PROJECT_ROOT, "scripts/cdktf/fast-resolve.cjs"));
const originalStringify = require(path.join(PROJECT_ROOT, "node_modules/cdktf/node_modules/json-stable-stringify"));
const fastStringify = require(path.join(PROJECT_ROOT, "scripts/cdktf/fast-stable-stringify.cjs"));
const stackMerge = require(path.join(PROJECT_ROOT, "scripts/cdktf/stack-merge.cjs"));
const { deepMerge } = require(path.join(cdktfLib, "util.js"));
const { resolve: resolveInStack } = require(path.join(cdktfLib, "_tokens.js"));

/** What `f` returns, or the message it throws. */
function outcome(f: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The default registry.yaml as cdktf stacks, plus a stack using every kind of token cdktf has. */
function stacks(): TerraformStack[] {
  const app = buildApp(loadConfig(DEFAULT_CONFIG_PATH), { outdir: Testing.app().outdir });
  const stack = new TerraformStack(app, "tokens");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const repo = new EcrRepository(stack, "repo", { name: "models/x", tags: { Team: "a" } });
  const list = new TerraformVariable(stack, "names", { type: "list(string)" });
  const map = new TerraformVariable(stack, "labels", { type: "map(string)" });
  const local = new TerraformLocal(stack, "local", { arn: repo.arn, counts: [1, 2] });
  const each = TerraformIterator.fromList(list.listValue);
  new EcrRepository(stack, "each", {
    forEach: each,
    name: Fn.lower(each.value),
    imageTagMutabilityExclusionFilter: each.dynamic({ filter: each.value, filter_type: "WILDCARD" }),
    tags: Token.asStringMap(map.value),
  });
  new TerraformOutput(stack, "values", {
    value: {
      joined: Fn.join(",", [repo.arn, repo.name, "literal"]),
      interpolated: `prefix-${repo.name}-\${escaped}-${Token.asNumber(Fn.lengthOf(list.listValue))}`,
      lazy: Lazy.stringValue({ produce: () => `${repo.repositoryUrl}:latest` }),
      lazyAny: Lazy.anyValue({ produce: () => ({ nested: [repo.name, { deeper: local.expression }] }) }),
      json: Fn.jsonencode({ a: repo.arn, b: [1, 2, { c: Token.asNumber(Fn.lengthOf(list.listValue)) }] }),
      numbers: [1.5, -0, 1e21, Token.asNumber(repo.registryId)],
      lists: [list.listValue, Fn.concat([list.listValue, ["x"]])],
      plain: Lazy.anyValue({ produce: () => ({ empty: {}, none: [], nothing: null, skipped: undefined, text: "1e5 and -2.5e+3", date: new Date(0) }) }),
    },
  });
  return app.node.findAll().filter(TerraformStack.isStack);
}

function elementsOf(stack: TerraformStack): TerraformElement[] {
  return stack.node.findAll().filter(TerraformElement.isTerraformElement);
}

describe("the bundle's token resolver (fast-resolve.cjs)", () => {
  const options = (stack: TerraformStack, preparing: boolean) => ({ scope: stack, prefix: [], resolver: new DefaultTokenResolver(new StringConcat()), preparing });

  test("is what jest's cdktf resolves with, and its tokens record no stack trace", () => {
    const original = fastResolve.resolve;
    let calls = 0;
    fastResolve.resolve = (...args: unknown[]) => (calls++, original(...args));
    try {
      const stack = new TerraformStack(Testing.app(), "s");
      expect(Tokenization.resolve(Fn.upper("x"), options(stack, false))).toBe('${upper("x")}');
    } finally {
      fastResolve.resolve = original;
    }
    expect(calls).toBeGreaterThan(0);
    expect((Tokenization.reverseString(Fn.upper("y")).firstToken as unknown as { creationStack: string[] }).creationStack).toEqual([]);
    expect(String(TerraformStack.prototype.toTerraform)).toContain("stackMerge.mergeResolved");
  });

  test("resolves every element of every stack exactly as cdktf does, JSON and HCL, preparing or not", () => {
    let compared = 0;
    for (const stack of stacks()) {
      for (const element of elementsOf(stack)) {
        for (const preparing of [false, true]) {
          for (const value of [element.toTerraform(), element.toHclTerraform(), element.toMetadata()]) {
            const expected = outcome(() => originalResolve.resolve(value, options(stack, preparing)));
            expect(outcome(() => fastResolve.resolve(value, options(stack, preparing)))).toStrictEqual(expected);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
  });

  test("returns a value that holds no token itself, and copies where cdktf's copy would differ", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const plain = { a: { b: ["x", 1, true, null, { c: "y" }] }, d: [] };
    expect(fastResolve.resolve(plain, options(stack, false))).toBe(plain);
    class Point {
      constructor(readonly x: number) {}
    }
    const withProto = JSON.parse('{"__proto__": {"polluted": true}, "k": 1}');
    const cases: unknown[] = [
      { keep: "x", drop: undefined, later: { n: 1 } },
      ["x", undefined, "y"],
      // eslint-disable-next-line no-sparse-arrays
      ["x", , "y"],
      { point: new Point(1) },
      withProto,
      { token: Fn.upper("x"), after: { n: 1 } },
      Object.assign(Object.create(null), { n: 1 }),
    ];
    for (const value of cases) {
      const expected = originalResolve.resolve(value, options(stack, false));
      const actual = fastResolve.resolve(value, options(stack, false));
      expect(actual).not.toBe(value);
      expect(actual).toStrictEqual(expected);
    }
  });

  test("fails where cdktf fails, with the same message", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    let deep: Record<string, unknown> = { leaf: "x" };
    for (let i = 0; i < 205; i++) deep = { next: deep };
    const cases: unknown[] = [
      deep,
      { f: () => 1 },
      { construct: stack },
      [Token.STRING_MAP_TOKEN_VALUE],
      { n: Token.NUMBER_MAP_TOKEN_VALUE },
      { key: Token.ANY_MAP_TOKEN_VALUE },
      `${Token.asList(["a"])}`,
      { [`${Token.asNumber(5)}`]: "numeric key token" },
    ];
    for (const value of cases) {
      const expected = outcome(() => originalResolve.resolve(value, options(stack, false)));
      expect(outcome(() => fastResolve.resolve(value, options(stack, false)))).toStrictEqual(expected);
    }
    expect(outcome(() => fastResolve.resolve(deep, options(stack, false)))).toEqual({ error: expect.stringContaining("circular reference at '/next/next/") });
  });
});

describe("the bundle's number-token test (fast-resolve.cjs)", () => {
  test("matches exactly the strings cdktf's NUMBER_TOKEN_REGEX matches", () => {
    const cdktfRegex = /[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)/;
    const text = fc.string({ unit: fc.constantFrom("1", "9", ".", "-", "+", "|", "e", "E", "x", " ", ":"), maxLength: 12 });
    fc.assert(
      fc.property(text, (s) => {
        expect(fastResolve.mayHoldNumberToken(s)).toBe(cdktfRegex.test(s));
      }),
      { seed: 20_261_125, numRuns: 1000 },
    );
    expect(fastResolve.mayHoldNumberToken(String(Token.asNumber("x")))).toBe(true);
  });
});

describe("the bundle's JSON writer (fast-stable-stringify.cjs)", () => {
  test("writes every synthesized stack byte for byte like json-stable-stringify", () => {
    for (const stack of stacks()) {
      const document = stack.toTerraform();
      expect(fastStringify(document, { space: 2 })).toBe(originalStringify(document, { space: 2 }));
    }
  });

  test("treats empty and missing values, toJSON, key order and indentation alike", () => {
    const value = {
      b: [],
      a: {},
      "10": [undefined, () => 1, null, Symbol("s"), NaN, Infinity, -0],
      "9": { nested: { deeper: [[], {}, [{}]] }, skipped: undefined, fn: () => 1 },
      é: 'quotes " and \\ and \n and \u2028',
      date: new Date(0),
      custom: { toJSON: () => ({ z: 1, y: [2] }) },
      big: 12345678901234567890,
    };
    for (const space of [2, 4, 0, "", "\t", "--"]) {
      expect(fastStringify(value, { space })).toBe(originalStringify(value, { space }));
    }
    for (const top of [undefined, null, "text", 1, true, [], {}]) expect(fastStringify(top, { space: 2 })).toBe(originalStringify(top, { space: 2 }));
  });

  test("writes the package's text through JSON.stringify too, where no list or object is empty", () => {
    const shared = { s: 1 };
    const values: unknown[] = [
      { b: { y: 1, x: [2, "two"] }, a: shared, c: shared, é: 'quotes " and \\ and \n and \u2028', date: new Date(0) },
      { "10": "ten", "9": "nine", "01": "not an index", x: 1 },
      { items: [undefined, null, NaN, -0, 1e21, { deep: [true] }], skipped: undefined, kept: "k" },
      { custom: { toJSON: () => ({ z: 1, y: [2] }) }, none: { toJSON: () => undefined }, v: 1 },
      { fn: () => 1, v: 1 },
      { list: [() => 1] },
      { onlyUndefined: { gone: undefined }, v: 1 },
      // Sorted objects are written as they are until a member below them differs.
      { a: 1, b: { c: 1, d: undefined, e: 2 }, c: [1, { toJSON: () => "x" }, 3], d: { y: 1, x: 2 }, e: [[1], { f: true }] },
      { a: { b: { c: 1 } }, z: new Date(0) },
    ];
    for (const value of values) {
      for (const space of [2, 12, "\t", ""]) expect(fastStringify(value, { space })).toBe(originalStringify(value, { space }));
    }
  });

  test("throws on a cycle like json-stable-stringify, and leaves other options to it", () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    expect(() => fastStringify(cycle, { space: 2 })).toThrow(new TypeError("Converting circular structure to JSON"));
    expect(() => originalStringify(cycle, { space: 2 })).toThrow(new TypeError("Converting circular structure to JSON"));
    const reversed = { cmp: (a: { key: string }, b: { key: string }) => (a.key < b.key ? 1 : -1), space: 1 };
    expect(fastStringify({ a: 1, b: 2 }, reversed)).toBe(originalStringify({ a: 1, b: 2 }, reversed));
    expect(fastStringify({ b: 1, a: 2 })).toBe(originalStringify({ b: 1, a: 2 }));
  });
});

describe("the bundle's stack merge (stack-merge.cjs)", () => {
  test("merges resolved fragments and overrides into what cdktf's deep merge and second resolve give", () => {
    for (const stack of stacks()) {
      stack.addOverride("terraform.required_version", ">= 1.10");
      stack.addOverride("locals.from_override", Fn.upper("x"));
      const fragments = () => elementsOf(stack).map((e) => resolveInStack(stack, e.toTerraform()));
      const start = () => ({ "//": { metadata: { stackName: stack.node.id, cloud: undefined }, outputs: {} } });
      const overrides = (stack as unknown as { rawOverrides: Record<string, unknown> }).rawOverrides;

      const cdktf = start();
      for (const fragment of fragments()) deepMerge(cdktf, fragment);
      deepMerge(cdktf, overrides);
      const expected = resolveInStack(stack, cdktf);

      const patched = start();
      for (const fragment of fragments()) stackMerge.mergeResolved(patched, fragment);
      deepMerge(patched, overrides);
      const actual = stackMerge.resolveTouched(resolveInStack, stack, patched, new Set(["//", ...Object.keys(overrides)]));

      expect(actual).toStrictEqual(expected);
      expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
    }
  });

  test("patches only the code it expects", () => {
    const patches = require(path.join(PROJECT_ROOT, "scripts/cdktf/patches.cjs"));
    const source = fs.readFileSync(path.join(cdktfLib, "terraform-stack.js"), "utf8");
    expect(patches.patchSource(source, path.join(cdktfLib, "terraform-stack.js"))).toContain("stackMerge.resolveTouched(");
    expect(() => patches.patchSource(source.replace("deepMerge)(tf, fragment)", "deepMerge)(tf, other)"), "node_modules/cdktf/lib/terraform-stack.js")).toThrow(
      /lib\/terraform-stack\.js: TerraformStack\.toTerraform is not the cdktf 0\.21\.0 code/,
    );
  });

  test("finds every snippet it replaces exactly once in cdktf 0.21.0, and each patched module loads", () => {
    const patches = require(path.join(PROJECT_ROOT, "scripts/cdktf/patches.cjs"));
    const files = ["terraform-stack.js", "util.js", "synthesize/synthesizer.js", "tokens/private/token-map.js"].map((file) => path.join(cdktfLib, file));
    expect(patches.SOURCE_PATCHES.map((p: { file: RegExp }) => files.filter((f) => p.file.test(f)).length)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    for (const file of files) expect(new RegExp(patches.PATCHED_MODULES_PATTERN).test(file)).toBe(true);
    expect(new RegExp(patches.PATCHED_MODULES_PATTERN).test(path.join(cdktfLib, "app.js"))).toBe(false);
    for (const file of files) {
      const patched = patches.patchSource(fs.readFileSync(file, "utf8"), file);
      expect(patched).not.toBe(fs.readFileSync(file, "utf8"));
      // Loaded as the module it replaces: it must evaluate and export what cdktf's own module does.
      const original = require(file);
      const loaded = { exports: {} as Record<string, unknown> };
      new Function("exports", "require", "module", "__filename", "__dirname", patched)(loaded.exports, createRequire(file), loaded, file, path.dirname(file));
      expect(Object.keys(loaded.exports).sort()).toEqual(Object.keys(original).sort());
    }
  });
});

describe("the bundle's map of output ids (stack-merge.cjs)", () => {
  /** cdktf 0.21.0's own code for the map under `//` (TerraformStack.toTerraform), with its deepMerge. */
  function cdktfOutputMap(elements: TerraformElement[]): unknown {
    return elements.reduce((carry, item) => {
      if (!TerraformOutput.isTerraformOutput(item)) return carry;
      deepMerge(
        carry,
        item.node.path.split("/").reduceRight((inner: object, part) => (Object.keys(inner).length === 0 ? { [part]: item.friendlyUniqueId } : { [part]: inner }), {}),
      );
      return carry;
    }, {});
  }

  test("is cdktf's map for every stack, with outputs nested in constructs at several depths", () => {
    const all = stacks();
    const tokens = all.find((s) => s.node.id === "tokens")!;
    const group = new Construct(tokens, "group");
    new TerraformOutput(group, "inner", { value: 1 });
    new TerraformOutput(new Construct(group, "deeper"), "leaf", { value: 2 }).overrideLogicalId("renamed_leaf");
    expect(String(TerraformStack.prototype.toTerraform)).toContain("outputIdMap");
    for (const stack of all) {
      const expected = cdktfOutputMap(elementsOf(stack));
      expect(stackMerge.outputIdMap(elementsOf(stack), TerraformOutput.isTerraformOutput)).toStrictEqual(expected);
      expect(stack.toTerraform()["//"].outputs).toStrictEqual(expected);
    }
    expect(tokens.toTerraform()["//"].outputs.tokens.group).toEqual({ inner: "group_inner_B32DFAA9", deeper: { leaf: "renamed_leaf" } });
  });
});

describe("the bundle's aspect invocation (synthesizer.js)", () => {
  test("invokes each aspect once per construct, however many scopes above it add the same aspect", () => {
    const { invokeAspects } = require("cdktf/lib/synthesize/synthesizer");
    expect(String(invokeAspects)).toContain("invokedByPath.get(path)");
    const stack = new TerraformStack(Testing.app(), "s");
    const group = new Construct(stack, "group");
    new Construct(group, "leaf");
    const visits: string[] = [];
    const recorder = (name: string) => ({ visit: (c: IConstruct) => visits.push(`${name} ${c.node.path}`) });
    const outer = recorder("outer");
    Aspects.of(stack).add(outer);
    Aspects.of(group).add(outer);
    Aspects.of(group).add(recorder("inner"));
    invokeAspects(stack);
    expect(visits).toEqual(["outer s", "outer s/group", "inner s/group", "outer s/group/leaf", "inner s/group/leaf"]);
  });
});

describe("the bundle's snake_case (util.js)", () => {
  test("gives cdktf's result for every key, first call and cached", () => {
    // cdktf's own util.js, evaluated from its source beside the patched one jest loads.
    const file = path.join(cdktfLib, "util.js");
    const original = { exports: {} as any };
    new Function("exports", "require", "module", fs.readFileSync(file, "utf8"))(original.exports, createRequire(file), original);
    const patched = require("cdktf/lib/util");
    expect(String(patched.snakeCase)).toContain("snakeCaseCache");
    expect(String(original.exports.snakeCase)).not.toContain("snakeCaseCache");
    for (const key of ["imageTagMutability", "forceDelete", "dependsOn", "URLPath", "a_b", "__x__", "already_snake", "", "x9Y", "kmsKeyARN"]) {
      expect(patched.snakeCase(key)).toBe(original.exports.snakeCase(key));
      expect(patched.snakeCase(key)).toBe(original.exports.snakeCase(key));
    }
  });
});
