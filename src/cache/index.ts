/**
 * The project's caches, in one place. Each remembers a pure function's results for one synth:
 * the same question (a repository's id, a principal's account, a repository's grants) is asked
 * once per construct, output and guardrail check, and a config is never changed once parsed.
 */

/** `compute` remembered per key (a string or number), for the life of the process. */
export function memoByKey<K extends string | number, V>(compute: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    if (known.has(key)) return known.get(key)!;
    const value = compute(key);
    known.set(key, value);
    return value;
  };
}

/** `compute` remembered per object (a parsed config, a list of it), forgotten with the object. */
export function memoByObject<O extends object, V>(compute: (object: O) => V): (object: O) => V {
  const known = new WeakMap<O, V>();
  return (object) => {
    if (known.has(object)) return known.get(object)!;
    const value = compute(object);
    known.set(object, value);
    return value;
  };
}
