// Used by the patched TerraformStack.toTerraform of cdktf 0.21.0 (see patches.cjs).
//
// cdktf builds a stack's JSON by resolving every element's fragment, deep-merging the fragments
// into one document with `deepMerge` (which copies every object it merges), merging the stack's
// overrides, and resolving the whole document once more. The fragments are already resolved, so
// the copy and the second resolve only rebuild what is there; with 1,000 repositories they were
// about a fifth of synth time (node --cpu-prof).
//
// `mergeResolved` is `deepMerge` except that an object the target does not have yet is taken
// over instead of copied when the copy would be equal to it (plain objects all the way down, no
// undefined members; `deepMerge` would turn a Date into `{}`): a resolved fragment is built anew
// by `resolve` and used for nothing else. `resolveTouched` resolves again only what can
// still hold tokens or undefined members: the stack's own metadata and the top-level keys the
// stack's overrides touched, each exactly as cdktf's resolve of the whole document would.
"use strict";
const { Tokenization } = require("cdktf/lib/tokens/token");

/** Whether `deepMerge`'s copy of `value` into a new object would be equal to `value` itself. */
function copiesToItself(value) {
  if (Object.getPrototypeOf(value) !== Object.prototype || Tokenization.isResolvable(value)) return false;
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member === undefined) return false;
    if (typeof member === "object" && member !== null && !Array.isArray(member) && !Tokenization.isResolvable(member) && !copiesToItself(member)) return false;
  }
  return true;
}

function mergeResolved(target, source) {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (typeof value === "object" && value != null && !Array.isArray(value)) {
      if (typeof target[key] !== "object") {
        if (copiesToItself(value)) {
          target[key] = value;
          continue;
        }
        target[key] = {};
      }
      if (Tokenization.isResolvable(value)) {
        target[key] = value;
        continue;
      }
      mergeResolved(target[key], value);
    } else if (typeof value === "object" && value != null && Array.isArray(value)) {
      target[key] = Array.isArray(target[key]) ? [...target[key], ...value] : value;
    } else if (value === undefined) {
      delete target[key];
    } else {
      target[key] = value;
    }
  }
  return target;
}

/** `resolve(scope, tf)` when only the members named in `touched` can hold tokens or undefined members. */
function resolveTouched(resolve, scope, tf, touched) {
  const result = {};
  for (const key of Object.keys(tf)) {
    if (!touched.has(key)) {
      if (tf[key] !== undefined) result[key] = tf[key];
      continue;
    }
    const resolved = resolve(scope, { [key]: tf[key] });
    if (Object.prototype.hasOwnProperty.call(resolved, key)) result[key] = resolved[key];
  }
  return result;
}

/**
 * The `//` map of output ids that cdktf 0.21.0's `TerraformStack.toTerraform` builds: each output's
 * construct path as nested keys, ending in its id. cdktf makes a nested object per output and
 * deep-merges it into the map (65 ms for 8,432 outputs); this writes each path directly, by
 * `deepMerge`'s rules: a key that holds no object gets an empty one, the last key gets the id.
 */
function outputIdMap(elements, isOutput) {
  const outputs = {};
  for (const item of elements) {
    if (!isOutput(item)) continue;
    const parts = item.node.path.split("/");
    const id = item.friendlyUniqueId;
    let target = outputs;
    for (let i = 0; i < parts.length - 1; i++) {
      if (typeof target[parts[i]] !== "object") target[parts[i]] = {};
      target = target[parts[i]];
    }
    target[parts[parts.length - 1]] = id;
  }
  return outputs;
}

module.exports = { mergeResolved, resolveTouched, outputIdMap };
