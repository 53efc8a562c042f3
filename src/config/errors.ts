import type { z } from "zod";
import { closest, didYouMean } from "./suggest";

/** One thing wrong with the config, located by its path (`repositories[1].name`). */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
  /** Where in the file: `registry.yaml:15:5` (file, line, column of the offending node), when known. */
  readonly location?: string;
  /** What the path's list entry is called, e.g. `repository ai-models/llm`, `environment prod`. */
  readonly subject?: string;
}

/**
 * A mistake in the user's config. The CLI prints its problems and exits non-zero without a
 * stack trace; anything else thrown is a bug in this project.
 */
export class ConfigError extends Error {
  private located: readonly ConfigProblem[];

  constructor(
    readonly source: string,
    problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(source, problems));
    this.located = problems;
    this.name = "ConfigError";
  }

  get problems(): readonly ConfigProblem[] {
    return this.located;
  }

  /** Adds where each problem is (and what it names) to the problems that do not say yet; the message follows. */
  locate(locate: (problem: ConfigProblem) => ConfigProblem): this {
    this.located = this.located.map((p) => (p.location === undefined ? locate(p) : p));
    this.message = this.format();
    return this;
  }

  protected format(): string {
    return formatProblems(this.source, this.located);
  }
}

export function formatProblems(source: string, problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return [`${source} is invalid (${count}):`, ...problems.map((p) => `  ${formatProblem(p)}`)].join("\n");
}

/** One problem on one line: `registry.yaml:15:5: repositories[2].tagMutabilty (repository ai-models/x): message`. */
export function formatProblem(p: ConfigProblem): string {
  const where = [p.location, p.path ? `${p.path}${p.subject ? ` (${p.subject})` : ""}` : ""].filter(Boolean).join(": ");
  return where ? `${where}: ${p.message}` : p.message;
}

/** What a check finds, at a path of keys and indexes (`["repositories", 2, "name"]`). */
export interface ConfigIssue {
  readonly path: ReadonlyArray<PropertyKey>;
  readonly message: string;
}

/** The problem of an issue, its path rendered as `repositories[2].name`. */
export function problemAt(issue: ConfigIssue): ConfigProblem {
  return { path: formatPath(issue.path), message: issue.message };
}

/** Renders a zod path as `repositories[1].tags.Team`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else {
      const key = String(segment);
      const plain = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key);
      out += plain ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/**
 * Turns zod issues into problems: the first problem of each field, in the order zod found them.
 * A misspelled key is reported once, as an unknown key with the closest known key (`schema`, the
 * schema that was parsed, lists them), and not again through what follows from it: the intended
 * key "is required", or a check of the same entry that names the intended key (it ran with the
 * default in place of the misspelled value).
 */
export function problemsFromZod(error: z.ZodError, schema?: z.ZodType): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  const add = (path: string, message: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    problems.push({ path, message });
  };
  const misspelled: Array<{ readonly at: readonly PropertyKey[]; readonly intended: string }> = [];
  const known = new Map<z.core.$ZodIssue, string[]>();
  for (const issue of error.issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const keys = schema ? knownKeysAt(schema, issue.path) : [];
    known.set(issue, keys);
    for (const key of issue.keys) {
      const intended = closest(key, keys);
      if (intended !== undefined) misspelled.push({ at: issue.path, intended });
    }
  }
  const followsOn = (issue: z.core.$ZodIssue) =>
    misspelled.some(({ at, intended }) => {
      const inEntry = issue.path.length === at.length + 1 && at.every((segment, i) => issue.path[i] === segment);
      return inEntry && (issue.path[at.length] === intended || (issue.code === "custom" && new RegExp(`\\b${intended}\\b`).test(issue.message)));
    });
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add(formatPath([...issue.path, key]), unknownKeyMessage(key, known.get(issue) ?? []));
    } else if (followsOn(issue)) {
      continue;
    } else if (issue.code === "invalid_key" && issue.issues.length > 0) {
      add(formatPath(issue.path), messageOf(issue.issues[0] as z.core.$ZodIssue));
    } else {
      add(formatPath(issue.path), messageOf(issue));
    }
  }
  return problems;
}

/** Keys that users reach for but the config leaves out on purpose, with why. */
const REFUSED_KEYS: Readonly<Record<string, string>> = {
  actions:
    "consumers never list actions: a consumer's kind (push, pull, lambda, organization) decides them, from one set per kind, so no config can grant ecr:* or a wildcard (docs/consumers.md)",
  policy: "repository policies are built from consumers, never written by hand (docs/consumers.md)",
};

function unknownKeyMessage(key: string, known: readonly string[]): string {
  if (REFUSED_KEYS[key] && !known.includes(key)) return `unknown key: ${REFUSED_KEYS[key]}`;
  const suggestion = didYouMean(key, known);
  return suggestion ? `unknown key${suggestion}` : "unknown key (check the spelling; docs/configuration.md lists every key)";
}

/**
 * Every key an object at `path` may have, across the branches of unions on the way (zod 4's
 * schema definitions: objects, arrays, records, unions, and the wrappers around them).
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let level: any[] = [schema];
  for (const segment of [...path, undefined]) {
    const objects: any[] = [];
    const seen = new Set<any>();
    const unwrap = (node: any): void => {
      if (!node || seen.has(node)) return;
      seen.add(node);
      const def = node._zod?.def ?? node.def;
      if (!def) return;
      switch (def.type) {
        case "optional":
        case "nullable":
        case "default":
        case "prefault":
        case "readonly":
        case "catch":
        case "nonoptional":
          return unwrap(def.innerType);
        case "pipe":
          return unwrap(def.in);
        case "lazy":
          return unwrap(def.getter());
        case "union":
          return def.options.forEach(unwrap);
        case "intersection":
          unwrap(def.left);
          return unwrap(def.right);
        default:
          objects.push(node);
      }
    };
    level.forEach(unwrap);
    if (segment === undefined) return [...new Set(objects.filter((o) => o._zod.def.type === "object").flatMap((o) => Object.keys(o._zod.def.shape)))];
    level = objects.flatMap((o) => {
      const def = o._zod.def;
      if (def.type === "object" && typeof segment === "string") return def.shape[segment] ? [def.shape[segment]] : [];
      if (def.type === "array" && typeof segment === "number") return [def.element];
      if (def.type === "record") return [def.valueType];
      return [];
    });
  }
  return [];
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.message.startsWith("Invalid input")) {
    if (issue.input === undefined) return `is required (expected ${issue.expected})`;
    // YAML's .inf and .nan are numbers to JavaScript, so "expected number, got number" would puzzle.
    if (typeof issue.input === "number" && !Number.isFinite(issue.input))
      return `must be a finite number (got ${Number.isNaN(issue.input) ? ".nan" : issue.input > 0 ? ".inf" : "-.inf"})`;
    return `expected ${issue.expected}, got ${describe(issue.input)}`;
  }
  if (issue.code === "invalid_value" && "values" in issue) {
    const allowed = issue.values.map((v) => JSON.stringify(v)).join(", ");
    if (issue.input === undefined) return `is required (one of ${allowed})`;
    const suggestion = typeof issue.input === "string" ? didYouMean(issue.input, issue.values.map(String)) : "";
    return `must be one of ${allowed} (got ${describe(issue.input)})${suggestion}`;
  }
  return issue.message;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `string ${JSON.stringify(value.length > 60 ? value.slice(0, 57) + "..." : value)}`;
  return `${typeof value} ${String(value)}`;
}
