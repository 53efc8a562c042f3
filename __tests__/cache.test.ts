import { memoByKey, memoByObject } from "../src/cache";

describe("the caches", () => {
  test("a function remembered per key computes each key once, including an undefined result", () => {
    const asked: string[] = [];
    const lookup = memoByKey((key: string) => (asked.push(key), key === "none" ? undefined : key.length));
    expect([lookup("abc"), lookup("abc"), lookup("none"), lookup("none"), lookup("de")]).toEqual([3, 3, undefined, undefined, 2]);
    expect(asked).toEqual(["abc", "none", "de"]);
  });

  test("a function remembered per object computes once per object, not per equal object", () => {
    let computed = 0;
    const size = memoByObject((list: readonly number[]) => (computed++, list.length));
    const list = [1, 2, 3];
    expect([size(list), size(list), size([1, 2, 3])]).toEqual([3, 3, 3]);
    expect(computed).toBe(2);
  });
});
