// Stands in for `json-stable-stringify` (1.3.0) where cdktf requires it (see patches.cjs). cdktf writes
// every cdk.tf.json and the manifest with `stringify(value, { space: 2 })`; the package builds the
// indentation with a character loop for every value and calls every array method through
// call-bind, which was over a tenth of synth time with 1,000 repositories (node --cpu-prof).
//
// This is the same algorithm (sorted keys, `toJSON`, `undefined` members skipped and `null` in
// arrays, empty arrays and objects spread over two lines, the same error on a cycle) with the
// indentation computed once per depth. Any other option goes to the package itself.
// `__tests__/cdktf-patches.test.ts` compares the two.
"use strict";

const original = require("cdktf/node_modules/json-stable-stringify");

module.exports = function stableStringify(obj, opts) {
  const onlySpace = arguments.length === 2 && opts !== null && typeof opts === "object" && Object.keys(opts).every((k) => k === "space");
  const space = onlySpace ? opts.space || "" : undefined;
  const usable = typeof space === "string" || (typeof space === "number" && Number.isInteger(space) && space >= 0);
  if (!onlySpace || !usable) return original.apply(this, arguments);
  const unit = typeof space === "number" ? " ".repeat(space) : space;
  const colon = unit ? ": " : ":";
  const indents = [];
  const indentAt = (level) => indents[level] ?? (indents[level] = unit ? "\n" + unit.repeat(level) : "");
  const seen = [];

  function stringify(node, level) {
    if (node && typeof node.toJSON === "function") node = node.toJSON();
    if (node === undefined) return undefined;
    if (typeof node !== "object" || node === null) return JSON.stringify(node);
    const indent = indentAt(level);
    const inner = indentAt(level + 1);
    if (Array.isArray(node)) {
      let out = "";
      for (let i = 0; i < node.length; i++) {
        const item = stringify(node[i], level + 1) || "null";
        out += (i === 0 ? "" : ",") + inner + item;
      }
      return "[" + out + indent + "]";
    }
    if (seen.indexOf(node) !== -1) throw new TypeError("Converting circular structure to JSON");
    seen.push(node);
    const keys = Object.keys(node).sort();
    let out = "";
    let first = true;
    for (const key of keys) {
      const value = stringify(node[key], level + 1);
      if (!value) continue;
      out += (first ? "" : ",") + inner + JSON.stringify(key) + colon + value;
      first = false;
    }
    seen.splice(seen.indexOf(node), 1);
    return "{" + out + indent + "}";
  }
  return stringify(obj, 0);
};
