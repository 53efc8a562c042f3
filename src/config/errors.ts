import type { z } from "zod";

/** One thing wrong with the config, located by its path (`repositories[1].name`). */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * A mistake in the user's config. The CLI prints its problems and exits non-zero without a
 * stack trace; anything else thrown is a bug in this project.
 */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(source, problems));
    this.name = "ConfigError";
  }
}

export function formatProblems(source: string, problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const lines = problems.map((p) => (p.path ? `  ${p.path}: ${p.message}` : `  ${p.message}`));
  return [`${source} is invalid (${count}):`, ...lines].join("\n");
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

/** Turns zod issues into problems: the first problem of each field, in the order zod found them. */
export function problemsFromZod(error: z.ZodError): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  const add = (path: string, message: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    problems.push({ path, message });
  };
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add(formatPath([...issue.path, key]), "unknown key (check the spelling; README.md lists every key)");
    } else if (issue.code === "invalid_key" && issue.issues.length > 0) {
      add(formatPath(issue.path), messageOf(issue.issues[0] as z.core.$ZodIssue));
    } else {
      add(formatPath(issue.path), messageOf(issue));
    }
  }
  return problems;
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
    return issue.input === undefined ? `is required (one of ${allowed})` : `must be one of ${allowed} (got ${describe(issue.input)})`;
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
