import { formatPath } from "../../src/config/errors";

/**
 * Mutations that turn a valid raw config into an invalid one, each at a known place (its "area"),
 * for the property-based tests: every mutation of a valid config must be rejected with a
 * `ConfigError` that has a problem in that area.
 */

type Raw = Record<string, any>;
type Path = ReadonlyArray<string | number>;

export type MutationKind = "drop required key" | "wrong type" | "out-of-range number" | "invalid string" | "unknown key" | "duplicate";

export interface Mutation {
  readonly kind: MutationKind;
  /** Where the mutation happened; a problem must be reported here, below, or at most two levels above. */
  readonly area: Path;
  /** The config with the mutation applied (the input is not changed). */
  readonly apply: (raw: Raw) => Raw;
  /** For messages: what was done. */
  readonly description: string;
}

/** Keys a config cannot do without, by path pattern (`[]` for any index). */
const REQUIRED_KEYS = new Set([
  "project",
  "region",
  "state",
  "environments",
  "repositories",
  "environments[].name",
  "repositories[].name",
  "consumers[].kind",
  "repositories[].consumers[].kind",
  "notifications.subscriptions[].protocol",
  "notifications.subscriptions[].endpoint",
  "replication.rules[].destinations",
  "replication.rules[].destinations[].region",
  "pullThroughCache.rules",
  "pullThroughCache.rules[].upstream",
  "repositoryCreationTemplates[].prefix",
  "repositoryCreationTemplates[].appliedFor",
]);

/** Required by other keys' values: a principal for push and pull, an organization id for organization consumers, exclusions for *_WITH_EXCLUSION. */
function requiredByParent(key: string, parent: Raw): boolean {
  if (key === "principal") return parent.kind === "push" || parent.kind === "pull";
  if (key === "organizationId") return parent.kind === "organization";
  if (key === "mutabilityExclusions") return String(parent.tagMutability).endsWith("_WITH_EXCLUSION");
  if (key === "bucket") return parent.backend !== "hcp";
  if (key === "organization") return parent.backend === "hcp";
  return false;
}

/** Keys whose values are free text: any string is valid there. */
const FREE_TEXT_KEYS = new Set(["description"]);
/** Objects that are maps of user-chosen keys, where a new key is a new entry rather than an unknown key. */
const RECORD_KEYS = new Set(["tags", "workspaceNames"]);

/** An invalid value for every kind of field: capitals, a space and '!' fit no name, id, ARN, enum, tag or pattern. */
export const INVALID_STRING = "INVALID VALUE!";
export const UNKNOWN_KEY = "unexpectedKey";

function pattern(path: Path): string {
  return formatPath(path.map((s) => (typeof s === "number" ? -1 : s))).replace(/\[-1\]/g, "[]");
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** Applies `change` to the parent of `path` in a copy of `raw`. */
function at(path: Path, change: (parent: any, key: string | number) => void): (raw: Raw) => Raw {
  return (raw) => {
    const copy = clone(raw);
    let parent: any = copy;
    for (const segment of path.slice(0, -1)) parent = parent[segment];
    change(parent, path[path.length - 1]);
    return copy;
  };
}

function wrongTypeValue(value: unknown): unknown {
  if (Array.isArray(value)) return "a string, not a list";
  if (value !== null && typeof value === "object") return ["a list, not a mapping"];
  if (typeof value === "string") return 42;
  if (typeof value === "number") return "42";
  return "true";
}

/** Every node of a config with its path, depth first. */
export function nodes(value: unknown, path: Path = []): Array<{ path: Path; value: unknown }> {
  const here = path.length > 0 ? [{ path, value }] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, i) => nodes(item, [...path, i]))];
  if (value !== null && typeof value === "object") return [...here, ...Object.entries(value).flatMap(([k, v]) => nodes(v, [...path, k]))];
  return here;
}

/** Every mutation this module can make of `raw`, in a stable order. */
export function mutationsOf(raw: Raw): Mutation[] {
  const mutations: Mutation[] = [];
  const add = (kind: MutationKind, area: Path, apply: Mutation["apply"], what: string) =>
    mutations.push({ kind, area, apply, description: `${kind} at ${formatPath(area) || "(root)"}: ${what}` });

  add("unknown key", [UNKNOWN_KEY], at([UNKNOWN_KEY], (parent, key) => (parent[key] = "x")), `add ${UNKNOWN_KEY}`);
  for (const { path, value } of nodes(raw)) {
    const key = path[path.length - 1];
    const parentPath = path.slice(0, -1);
    const parent = parentPath.reduce<any>((node, segment) => node[segment], raw);

    if (typeof key === "string" && (REQUIRED_KEYS.has(pattern(path)) || requiredByParent(key, parent)))
      add("drop required key", path, at(path, (p, k) => delete p[k]), `delete ${key}`);

    const replacement = wrongTypeValue(value);
    add("wrong type", path, at(path, (p, k) => (p[k] = replacement)), `set ${JSON.stringify(replacement)}`);

    if (typeof value === "number")
      for (const number of [0, -5, 2.5]) add("out-of-range number", path, at(path, (p, k) => (p[k] = number)), `set ${number}`);

    if (typeof value === "string" && !(typeof key === "string" && FREE_TEXT_KEYS.has(key)))
      add("invalid string", path, at(path, (p, k) => (p[k] = INVALID_STRING)), `set ${JSON.stringify(INVALID_STRING)}`);

    if (value !== null && typeof value === "object" && !Array.isArray(value) && !(typeof key === "string" && RECORD_KEYS.has(key)))
      add("unknown key", [...path, UNKNOWN_KEY], at([...path, UNKNOWN_KEY], (p, k) => (p[k] = "x")), `add ${UNKNOWN_KEY}`);

    if (Array.isArray(value) && value.length > 0)
      value.forEach((item, i) =>
        add("duplicate", path, at(path, (p, k) => p[k].push(clone(item))), `repeat entry ${i} (${JSON.stringify(item).slice(0, 80)})`),
      );
  }
  return mutations;
}

/**
 * Whether a problem path lies in a mutation's area: the area itself, anything below it, or one
 * of its two nearest ancestors (a union or a cross-field rule may report at the enclosing entry).
 */
export function inArea(problemPath: string, area: Path): boolean {
  const here = formatPath(area);
  if (problemPath === here || problemPath.startsWith(`${here}.`) || problemPath.startsWith(`${here}[`)) return true;
  for (let depth = Math.max(1, area.length - 2); depth < area.length; depth++) if (problemPath === formatPath(area.slice(0, depth))) return true;
  return false;
}
