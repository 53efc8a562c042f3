import fc from "fast-check";
import * as path from "path";
import {
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
