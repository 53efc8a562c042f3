// A fixed amount of allocation-heavy JavaScript, unrelated to this project (objects, strings,
// JSON, garbage collection, like a synth). `npm run bench` runs it among its cases, round-robin,
// so each run records how fast the shared machine was while it ran: other virtual machines on the
// same host make the same code take up to 1.7 times as long from one hour to the next.
"use strict";
let total = 0;
for (let round = 0; round < 12; round++) {
  const items = [];
  for (let i = 0; i < 25_000; i++) items.push({ id: `item-${round}-${i}`, tags: { team: String(i % 97), list: [i, i + 1, `${i}`] } });
  total += JSON.stringify(items).length + JSON.parse(JSON.stringify(items.slice(0, 5_000))).length;
}
if (total === 0) throw new Error("no work was done");
