// Stands in for cdktf 0.21.0's lib/tokens/private/resolve.js (see patches.cjs).
//
// cdktf resolves every stack three times while synthesizing (a preparing pass over each element,
// each element's fragment, then the merged document), and its resolver allocates two closures, a
// context object, an options copy, a prefix array and a path string for every value it visits,
// tokens or not. With a thousand repositories that was over half of synth time (node --cpu-prof).
//
// This is the same algorithm with fast paths for the values that hold no token: strings without a
// token marker or an encoded number, plain numbers, booleans, and arrays and objects of those are
// walked without building contexts, and the key path is kept as a linked list that becomes an
// array only where cdktf's code would read it.
//
// Unchanged values: cdktf copies every list and object it walks. Here a list or plain object
// (prototype Object.prototype) whose members all resolve to themselves, with no `undefined`
// member, hole or `__proto__` key, is returned itself: equal to cdktf's copy, without allocating
// the stack document a second time. Callers in cdktf and this project only read what resolve
// returns: cdktf's deepMerge, which builds the stack document from the resolved fragments, copies
// every plain object into a new one and never changes a list in place. Everything else (tokens,
// strings with tokens, number and list tokens, map tokens, functions, constructs) takes
// `slowResolve`, which is cdktf's code unchanged. `__tests__/cdktf-patches.test.ts` compares the two on token-bearing and
// plain inputs, and `__tests__/bundle.test.ts` compares the bundle's output with the sources'.
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RememberingTokenResolver = void 0;
exports.resolve = resolve;
exports.findTokens = findTokens;
/** For the tests: the number-token test `isPlainString` uses (see NUMBER_TOKEN). */
exports.mayHoldNumberToken = (s) => NUMBER_TOKEN.test(s);
// The same modules, in the same order, as the original file (it has circular imports).
const resolvable_1 = require("cdktf/lib/tokens/resolvable");
const encoding_1 = require("cdktf/lib/tokens/private/encoding");
const token_map_1 = require("cdktf/lib/tokens/private/token-map");
const token_1 = require("cdktf/lib/tokens/token");
const errors_1 = require("cdktf/lib/errors");
const tokenMap = token_map_1.TokenMap.instance();

/** Every token marker (string `${`, list `#{`, map `&{`) contains this. */
const TOKEN_MARKER = "TfToken[";
/**
 * Whether cdktf's NUMBER_TOKEN_REGEX (`/[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)/g`) matches somewhere in a
 * string: exactly when a character of its first class is followed by `e` and a character of its
 * second class. Tested as three characters, because the original's `+` makes the engine try every
 * run of digits at every start (quadratic in the run), which showed in profiles on policy documents.
 */
const NUMBER_TOKEN = /[-|\d.+]e[-|\d.eE+]/;
const MAX_DEPTH = 200;

/** A key path: the caller's prefix array plus the keys appended since, newest first. */
function extend(path, key) {
  return { up: path, key, length: path.length + 1 };
}
function root(prefix) {
  return { up: undefined, prefix, length: prefix.length };
}
function toArray(path) {
  const keys = [];
  let p = path;
  while (p.up !== undefined) {
    keys.push(p.key);
    p = p.up;
  }
  return keys.length === 0 ? p.prefix : p.prefix.concat(keys.reverse());
}

/** A string cdktf's resolver would return unchanged: no token marker, not a map token value, no encoded number. */
function isPlainString(s) {
  return s.indexOf(TOKEN_MARKER) === -1 && s !== token_1.Token.STRING_MAP_TOKEN_VALUE && s !== token_1.Token.ANY_MAP_TOKEN_VALUE && !NUMBER_TOKEN.test(s);
}

/** A string that is exactly one string token: `${TfToken[<key>]}` (cdktf's STRING_TOKEN_REGEX, whole). */
const WHOLE_STRING_TOKEN = /^\$\{TfToken\[([a-zA-Z0-9:._-]+)\]\}$/;
/** cdktf's Reference class (not exported) and TerraformStack, looked up on first use: both modules import this one. */
let referenceClass;
let terraformStack;

/**
 * What cdktf's resolve makes of a string that is exactly one token for a plain `Reference` (what a
 * resource's attribute getters return, e.g. `repository.arn`), outside the preparing pass and in a
 * context that sets nothing: `${<identifier>}`. cdktf gets there through three contexts, a token
 * split, a second resolve of the result and a number-token scan; with 1,000 repositories that was
 * 14,000 strings and over a quarter of synthesis. Undefined whenever any condition does not hold
 * (cross-stack references, iterators, escapes, identifiers that are not plain): cdktf's path then.
 */
function referenceString(s, options, previousContext) {
  if (options.preparing || s.charCodeAt(0) !== 36) return undefined;
  if (previousContext !== undefined && (previousContext.suppressBraces || previousContext.ignoreEscapes || previousContext.warnEscapes || previousContext.iteratorContext)) {
    return undefined;
  }
  const match = WHOLE_STRING_TOKEN.exec(s);
  if (match === null) return undefined;
  const token = tokenMap.stringTokenMap.get(match[1]);
  if (referenceClass === undefined) {
    referenceClass = require("cdktf/lib/tfExpression").ref("", undefined).constructor;
    terraformStack = require("cdktf/lib/terraform-stack").TerraformStack;
  }
  if (token === undefined || token.constructor !== referenceClass || typeof token.identifier !== "string") return undefined;
  if (token.crossStackIdentifier[terraformStack.of(options.scope).toString()]) return undefined;
  const resolved = `\${${token.identifier}}`;
  return isPlainString(resolved) ? resolved : undefined;
}

function hasMapTokenKey(obj) {
  for (const key of Object.keys(obj)) if (key.indexOf(TOKEN_MARKER) !== -1) return (0, encoding_1.containsMapToken)(obj);
  return false;
}

/**
 * Resolves an object by evaluating all tokens and removing any undefined or empty objects or arrays.
 * Same contract as cdktf's `resolve`.
 */
function resolve(obj, options) {
  return resolveAt(obj, options, root(options.prefix || []), options.previousContext);
}

/** What cdktf's `resolve(obj, { ...options, prefix: toArray(path), previousContext })` returns. */
function resolveAt(obj, options, path, previousContext) {
  if (path.length <= MAX_DEPTH) {
    switch (typeof obj) {
      case "undefined":
        return undefined;
      case "boolean":
        return obj;
      case "string": {
        if (isPlainString(obj)) return obj;
        const reference = referenceString(obj, options, previousContext);
        if (reference !== undefined) return reference;
        break;
      }
      case "number":
        if (obj !== token_1.Token.NUMBER_MAP_TOKEN_VALUE && (0, encoding_1.extractTokenDouble)(obj, false) === undefined) return obj;
        break;
      case "object": {
        if (obj === null) return null;
        // eslint-disable-next-line no-instanceof/no-instanceof
        if (obj instanceof Date) return obj;
        // A list or plain object whose every member resolves to itself is returned as it is, not
        // copied (see "Unchanged values" above); the copy starts at the first member that differs.
        if (Array.isArray(obj)) {
          if ((0, encoding_1.containsStringListTokenElement)(obj) || (0, encoding_1.containsNumberListTokenElement)(obj)) break;
          let arr;
          for (let i = 0; i < obj.length; i++) {
            const item = obj[i];
            const value = resolveAt(item, options, extend(path, `${i}`), previousContext);
            if (arr === undefined) {
              if (value === item && value !== undefined && i in obj) continue;
              arr = obj.slice(0, i);
            }
            if (typeof value !== "undefined") arr.push(value);
          }
          return arr === undefined ? obj : arr;
        }
        if (hasMapTokenKey(obj) || token_1.Tokenization.isResolvable(obj) || isConstruct(obj)) break;
        const keys = Object.keys(obj);
        let result = Object.getPrototypeOf(obj) === Object.prototype ? undefined : {};
        for (let k = 0; k < keys.length; k++) {
          const key = keys[k];
          const resolvedKey = isPlainString(key) ? key : resolveAt(key, options, path, previousContext);
          if (typeof resolvedKey !== "string") {
            throw (0, errors_1.mapKeyMustResolveToString)("/" + toArray(path).join("/"), key, resolvedKey);
          }
          const member = obj[key];
          const value = resolveAt(member, options, extend(path, key), previousContext);
          if (result === undefined) {
            if (value === member && value !== undefined && resolvedKey === key && key !== "__proto__") continue;
            result = {};
            for (let j = 0; j < k; j++) result[keys[j]] = obj[keys[j]];
          }
          if (typeof value === "undefined") continue;
          result[resolvedKey] = value;
        }
        return result === undefined ? obj : result;
      }
    }
  }
  return slowResolve(obj, { ...options, prefix: toArray(path), previousContext });
}

/** cdktf 0.21.0's `resolve`, unchanged but for the name. Its recursion goes through `resolve` above. */
function slowResolve(obj, options) {
  const prefix = options.prefix || [];
  const pathName = "/" + prefix.join("/");
  /**
   * Make a new resolution context
   */
  function makeContext(appendPath) {
    const newPrefix = appendPath !== undefined ? prefix.concat([appendPath]) : options.prefix;
    let postProcessor;
    const context = {
      preparing: options.preparing,
      scope: options.scope,
      suppressBraces: options.previousContext?.suppressBraces,
      ignoreEscapes: options.previousContext?.ignoreEscapes,
      warnEscapes: options.previousContext?.warnEscapes,
      iteratorContext: options.previousContext?.iteratorContext,
      registerPostProcessor(pp) {
        postProcessor = pp;
      },
      resolve(x) {
        return resolve(x, {
          ...options,
          prefix: newPrefix,
          previousContext: context,
        });
      },
    };
    return [
      context,
      {
        postProcess(x) {
          return postProcessor ? postProcessor.postProcess(x, context) : x;
        },
      },
    ];
  }
  // protect against cyclic references by limiting depth.
  if (prefix.length > 200) {
    throw (0, errors_1.unableToResolveCircularReference)(pathName);
  }
  //
  // undefined
  //
  if (typeof obj === "undefined") {
    return undefined;
  }
  //
  // null
  //
  if (obj === null) {
    return null;
  }
  //
  // functions - not supported (only tokens are supported)
  //
  if (typeof obj === "function") {
    throw (0, errors_1.cannotResolveFunction)(pathName, obj);
  }
  //
  // string - potentially replace all stringified Tokens
  //
  if (typeof obj === "string") {
    // If this is a "list element" Token, it should never occur by itself in string context
    if (encoding_1.TokenString.forListToken(obj).test()) {
      throw (0, errors_1.encodedListTokenInScalarStringContext)();
    }
    if (obj === token_1.Token.STRING_MAP_TOKEN_VALUE || obj === token_1.Token.ANY_MAP_TOKEN_VALUE) {
      throw (0, errors_1.encodedMapTokenInScalarStringContext)();
    }
    let str = obj;
    const context = makeContext()[0];
    const tokenStr = encoding_1.TokenString.forString(str, !context.ignoreEscapes, context.warnEscapes);
    if (tokenStr.test()) {
      const fragments = tokenStr.split(tokenMap.lookupToken.bind(tokenMap));
      str = options.resolver.resolveString(fragments, makeContext()[0]);
    }
    // replace concatenated token numbers
    const tokenNumberStr = encoding_1.TokenString.forNumbers(str);
    if (tokenNumberStr.test()) {
      const fragments = tokenNumberStr.split((id) => {
        return token_map_1.TokenMap.instance().lookupNumberToken(parseFloat(id));
      });
      const context = makeContext()[0];
      str = fragments.mapTokens(context).join(new resolvable_1.StringConcat());
    }
    return str;
  }
  //
  // number - potentially decode Tokenized number
  //
  if (typeof obj === "number") {
    if (obj === token_1.Token.NUMBER_MAP_TOKEN_VALUE) {
      throw (0, errors_1.encodedMapTokenInScalarNumberContext)();
    }
    return resolveNumberToken(obj, makeContext()[0]);
  }
  //
  // primitives - as-is
  //
  // eslint-disable-next-line no-instanceof/no-instanceof
  if (typeof obj !== "object" || obj instanceof Date) {
    return obj;
  }
  //
  // arrays - resolve all values, remove undefined and remove empty arrays
  //
  if (Array.isArray(obj)) {
    if ((0, encoding_1.containsStringListTokenElement)(obj)) {
      return options.resolver.resolveList(obj, makeContext()[0]);
    }
    if ((0, encoding_1.containsNumberListTokenElement)(obj)) {
      return options.resolver.resolveNumberList(obj, makeContext()[0]);
    }
    const arr = obj.map((x, i) => makeContext(`${i}`)[0].resolve(x)).filter((x) => typeof x !== "undefined");
    return arr;
  }
  // check for tokenized map
  if ((0, encoding_1.containsMapToken)(obj)) {
    return options.resolver.resolveMap(obj, makeContext()[0]);
  }
  //
  // tokens - invoke 'resolve' and continue to resolve recursively
  //
  if ((0, encoding_1.unresolved)(obj)) {
    const [context, postProcessor] = makeContext();
    return options.resolver.resolveToken(obj, context, postProcessor);
  }
  //
  // objects - deep-resolve all values
  //
  // Must not be a Construct at this point, otherwise you probably made a typo
  // mistake somewhere and resolve will get into an infinite loop recursing into
  // child.parent <---> parent.children
  if (isConstruct(obj)) {
    throw (0, errors_1.constructsCannotBeResolved)(pathName);
  }
  const result = {};
  for (const key of Object.keys(obj)) {
    const resolvedKey = makeContext()[0].resolve(key);
    if (typeof resolvedKey !== "string") {
      throw (0, errors_1.mapKeyMustResolveToString)(pathName, key, resolvedKey);
    }
    const value = makeContext(key)[0].resolve(obj[key]);
    // skip undefined
    if (typeof value === "undefined") {
      continue;
    }
    result[resolvedKey] = value;
  }
  return result;
}
/**
 * Find all Tokens that are used in the given structure
 */
function findTokens(scope, fn) {
  const resolver = new RememberingTokenResolver(new resolvable_1.StringConcat());
  resolve(fn(), { scope, prefix: [], resolver, preparing: true });
  return resolver.tokens;
}
/**
 * Remember all Tokens encountered while resolving
 */
class RememberingTokenResolver extends resolvable_1.DefaultTokenResolver {
  constructor() {
    super(...arguments);
    this.tokensSeen = new Set();
  }
  resolveToken(t, context, postProcessor) {
    this.tokensSeen.add(t);
    return super.resolveToken(t, context, postProcessor);
  }
  resolveString(s, context) {
    const ret = super.resolveString(s, context);
    return ret;
  }
  get tokens() {
    return Array.from(this.tokensSeen);
  }
}
exports.RememberingTokenResolver = RememberingTokenResolver;
/**
 * Determine whether an object is a Construct
 *
 * Not in 'construct.ts' because that would lead to a dependency cycle via 'uniqueid.ts',
 * and this is a best-effort protection against a common programming mistake anyway.
 */
function isConstruct(x) {
  return x._children !== undefined && x._metadata !== undefined;
}
/**
 * Resolves a number token
 */
function resolveNumberToken(x, context) {
  const token = token_map_1.TokenMap.instance().lookupNumberToken(x);
  if (token === undefined) {
    return x;
  }
  return context.resolve(token);
}
