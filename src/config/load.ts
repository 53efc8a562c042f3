import * as fs from "fs";
import * as path from "path";
import { Document, LineCounter, YAMLError, isAlias, isScalar, parseDocument, visit } from "yaml";
import { ConfigCheck, withChecks } from "./check";
import { fileSystemProblem } from "./file-errors";
import { ConfigError, ConfigProblem, formatPath, problemsFromZod } from "./errors";
import { problemLocator } from "./locate";
import { parsePlainYaml } from "./plain-yaml";
import { RegistryConfig, registryConfigSchema } from "./schema";

/** The embedded default config, at the project root (found from this file, so it works from `src/` and from the compiled `dist/`). */
export const DEFAULT_CONFIG_PATH = path.join(projectRoot(__dirname), "registry.yaml");

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "cdktf.json"))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** Files larger than this are refused before parsing: a registry config is a few KB, even with 1000 models. */
export const MAX_CONFIG_BYTES = 10 * 1024 * 1024;

/** The config file to use: `REGISTRY_CONFIG` if set, else the embedded `registry.yaml`. */
export function configPathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.REGISTRY_CONFIG;
  return fromEnv ? path.resolve(fromEnv) : DEFAULT_CONFIG_PATH;
}

/**
 * Reads, parses and validates a config file with the schema and `checks`. Throws `ConfigError`
 * listing every problem. Commands call `loadConfig` of `src/checks/`, which passes every check.
 */
export function loadConfigWith(file: string, checks: readonly ConfigCheck[]): RegistryConfig {
  const shown = shownPath(file);
  return parseConfigWith(readConfigFile(file, shown), shown, checks);
}

/** How messages name a config file: relative to the working directory. */
export function shownPath(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

/** YAML syntax errors listed at most: after the first few, most follow from those (or the file is not YAML at all). */
export const MAX_YAML_ERRORS_SHOWN = 20;
/** YAML error messages quote the offending token, which in a binary or minified file can be megabytes long. */
const MAX_YAML_MESSAGE_LENGTH = 160;
/** Alias expansions allowed when building the data: enough for shared lists, too few for a "billion laughs" file. */
export const MAX_ALIAS_COUNT = 100;
const DEEP_NESTING = "the document nests too deeply";

/** Parses and validates config text with the schema and `checks`; `source` names it in messages. */
export function parseConfigWith(text: string, source: string, checks: readonly ConfigCheck[]): RegistryConfig {
  const control = controlCharacterProblem(text, source);
  if (control) throw new ConfigError(source, [control]);
  const raw = parseYaml(text, source);
  const reserved = reservedKeyProblems(raw);
  const schema = withChecks(registryConfigSchema, checks);
  const result = schema.safeParse(raw, { reportInput: true });
  const locate = () => problemLocator(text, source);
  if (!result.success) {
    const zodProblems = problemsFromZod(result.error, schema);
    throw new ConfigError(source, [...reserved, ...zodProblems.filter((p) => !reserved.some((r) => r.path === p.path))]).locate(locate());
  }
  if (reserved.length > 0) throw new ConfigError(source, reserved).locate(locate());
  return result.data;
}

/**
 * Runs `body` (checks of a config loaded from `file`) and locates the problems of any
 * `ConfigError` it throws about that file, by line and column, as schema problems are.
 */
export function locatingProblemsIn<T>(file: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    const shown = shownPath(file);
    if (error instanceof ConfigError && error.source === shown && error.problems.some((p) => p.path !== "" && p.location === undefined)) {
      let text: string | undefined;
      try {
        text = fs.readFileSync(file, "utf8");
      } catch {
        // Gone since it was read: the problems keep their paths.
      }
      if (text !== undefined) error.locate(problemLocator(text, shown));
    }
    throw error;
  }
}

/** Config text as plain data: plain block YAML through the fast path (`plain-yaml.ts`), the rest through `yaml`. */
export function parseYaml(text: string, source: string): unknown {
  return parsePlainYaml(text) ?? parseYamlDocument(text, source);
}

/** Parses YAML with the `yaml` library into plain data; throws `ConfigError` listing every YAML problem by line and column. */
function parseYamlDocument(text: string, source: string): unknown {
  const lineCounter = new LineCounter();
  // resolveKnownTags: false leaves !!binary, !!set, !!timestamp, ... unresolved, so they are refused like !!js/function.
  // uniqueKeys: false because the parser's own check compares every key of a mapping with every
  // other (a 1 MB mapping took minutes); keyProblems does it in one pass.
  const doc = withoutStackTraces(() => parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, resolveKnownTags: false }));
  const yamlErrors = [
    ...doc.errors.map(fromYamlError),
    ...doc.warnings.filter((w) => w.code === "TAG_RESOLVE_FAILED").map(fromYamlError),
    ...(doc.errors.length === 0 ? [...keyProblems(doc, lineCounter), ...unresolvedAliases(doc)] : []),
  ];
  if (yamlErrors.length > 0) throw new ConfigError(source, yamlProblems(yamlErrors, lineCounter, source));
  const raw = plainData(doc, source);
  if (raw === null || raw === undefined) {
    throw new ConfigError(source, [{ path: "", message: "the file is empty; see registry.yaml for an example" }]);
  }
  return raw;
}

/**
 * YAML allows no control characters but tab, LF, CR and NEL, and none means anything in a config:
 * a sign of binary data (and echoing an escape sequence back would garble the terminal).
 */
function controlCharacterProblem(text: string, source: string): ConfigProblem | undefined {
  const match = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F]/.exec(text);
  if (!match) return undefined;
  const before = text.slice(0, match.index);
  const line = before.split("\n").length;
  const column = match.index - before.lastIndexOf("\n");
  const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  return { path: "", location: `${source}:${line}:${column}`, message: `control character U+${code} is not allowed in YAML; is this a binary file?` };
}

/** A YAML error at an offset of the text. */
interface YamlProblem {
  readonly offset: number;
  readonly kind: "YAML syntax error" | "unsupported YAML tag";
  readonly message: string;
}

function fromYamlError(error: YAMLError): YamlProblem {
  if (error.code === "TAG_RESOLVE_FAILED")
    return {
      offset: error.pos[0],
      kind: "unsupported YAML tag",
      message: `${yamlMessage(error)} (the config takes plain strings, numbers, booleans, lists and mappings)`,
    };
  return { offset: error.pos[0], kind: "YAML syntax error", message: yamlMessage(error) };
}

/**
 * Keys that are lists, mappings or aliases (JavaScript would turn them into text, with a warning on
 * stderr), and keys given twice in one mapping, where the data would silently keep the last value.
 * Keys are compared as the object keys they become, so `1:` and `"1":` are the same key too.
 */
function keyProblems(doc: Document, lineCounter: LineCounter): YamlProblem[] {
  const problems: YamlProblem[] = [];
  visit(doc, {
    Map(_, map) {
      const first = new Map<string, number>();
      for (const pair of map.items) {
        const key = pair.key as { range?: [number, number, number] } | null;
        const offset = key?.range?.[0] ?? map.range?.[0] ?? 0;
        if (pair.key !== null && !isScalar(pair.key)) {
          problems.push({ offset, kind: "YAML syntax error", message: "a key must be a plain value, not a list, a mapping or an alias" });
          continue;
        }
        const name = pair.key === null || pair.key.value === null ? "" : String(pair.key.value);
        const earlier = first.get(name);
        if (earlier === undefined) {
          first.set(name, offset);
          continue;
        }
        const pos = lineCounter.linePos(earlier);
        problems.push({
          offset,
          kind: "YAML syntax error",
          message: `Map keys must be unique: ${JSON.stringify(name)} is already set at line ${pos.line}, column ${pos.col}`,
        });
      }
    },
  });
  return problems;
}

/** Aliases without an anchor of their name before them, which the parser lets through and toJS would throw on. */
function unresolvedAliases(doc: Document): YamlProblem[] {
  const problems: YamlProblem[] = [];
  const anchors = new Set<string>();
  visit(doc, {
    Node(_, node) {
      if (isAlias(node)) {
        if (!anchors.has(node.source))
          problems.push({ offset: node.range?.[0] ?? 0, kind: "YAML syntax error", message: `alias *${node.source} has no anchor &${node.source} before it` });
      } else if (node.anchor) anchors.add(node.anchor);
    },
  });
  return problems;
}

/**
 * The parser makes an Error (with a stack trace) per syntax error; on garbage input with millions
 * of them, capturing the stacks took three quarters of the time. They are never shown.
 */
function withoutStackTraces<T>(body: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return body();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function yamlProblems(errors: readonly YamlProblem[], lineCounter: LineCounter, source: string): ConfigProblem[] {
  // Running out of stack is reported once per nesting level; once is enough.
  const sorted = [...errors]
    .sort((a, b) => a.offset - b.offset)
    .filter((e, i, all) => e.message !== DEEP_NESTING || all.findIndex((other) => other.message === DEEP_NESTING) === i);
  const problems = sorted.slice(0, MAX_YAML_ERRORS_SHOWN).map((e): ConfigProblem => {
    const pos = lineCounter.linePos(e.offset);
    return { path: "", location: `${source}:${pos.line}:${pos.col}`, message: `${e.kind}: ${e.message}` };
  });
  const more = sorted.length - problems.length;
  if (more > 0) problems.push({ path: "", message: `... and ${more} more YAML errors; fix the first ones, the rest often follow from them` });
  return problems;
}

function yamlMessage(error: YAMLError): string {
  if (/call stack/i.test(error.message)) return DEEP_NESTING;
  if (error.code === "MULTIPLE_DOCS") return "the file holds more than one YAML document (a second ---); a config is one document";
  const line = firstLine(error.message);
  return line.length > MAX_YAML_MESSAGE_LENGTH ? `${line.slice(0, MAX_YAML_MESSAGE_LENGTH)}...` : line;
}

/** The document as plain data; alias bombs and runaway nesting become config errors, not crashes. */
function plainData(doc: Document, source: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError && /Excessive alias count/.test(error.message))
      throw new ConfigError(source, [
        {
          path: "",
          message: `YAML aliases (*name) expand to too many nodes (limit ${MAX_ALIAS_COUNT}), as in a "billion laughs" file; write the values out or use fewer aliases`,
        },
      ]);
    if (error instanceof ReferenceError && /alias/i.test(error.message)) throw new ConfigError(source, [{ path: "", message: `YAML alias error: ${error.message}` }]);
    if (error instanceof RangeError) throw new ConfigError(source, [{ path: "", message: DEEP_NESTING }]);
    throw error;
  }
}

/**
 * Keys named `__proto__`: YAML makes them ordinary keys, but JavaScript objects (and zod, which
 * skips them for safety) cannot carry them, so a tag named so would vanish without a word.
 */
function reservedKeyProblems(value: unknown, at: Array<string | number> = [], visited = new Set<object>()): ConfigProblem[] {
  // An alias inside its own anchor (`a: &x [*x]`) makes the data circular; each object is looked at once.
  if (value === null || typeof value !== "object" || visited.has(value)) return [];
  visited.add(value);
  if (Array.isArray(value)) return value.flatMap((item, i) => reservedKeyProblems(item, [...at, i], visited));
  return Object.keys(value).flatMap((key) =>
    key === "__proto__"
      ? [{ path: formatPath([...at, key]), message: 'the key "__proto__" cannot be used (JavaScript reserves it); rename it' }]
      : reservedKeyProblems((value as Record<string, unknown>)[key], [...at, key], visited),
  );
}

function readConfigFile(file: string, shown: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" || code === "ENOTDIR" ? "it does not exist" : `${fileSystemProblem(code ?? "") ?? "error"}, ${code}`;
    throw new ConfigError(shown, [{ path: "", message: `cannot read the file: ${reason} (REGISTRY_CONFIG names the config file)` }]);
  }
  if (stat.isDirectory()) throw new ConfigError(shown, [{ path: "", message: "is a directory, not a config file" }]);
  const tooLarge = (size: string) =>
    new ConfigError(shown, [{ path: "", message: `is ${size} bytes; config files are limited to ${MAX_CONFIG_BYTES} bytes` }]);
  if (stat.size > MAX_CONFIG_BYTES) throw tooLarge(String(stat.size));
  let bytes: Buffer;
  try {
    // Bounded, because a device or pipe (REGISTRY_CONFIG=/dev/zero) reports size 0 and never ends.
    bytes = readAtMost(file, MAX_CONFIG_BYTES + 1);
  } catch (e) {
    throw new ConfigError(shown, [{ path: "", message: `cannot read the file: ${(e as NodeJS.ErrnoException).code ?? String(e)}` }]);
  }
  if (bytes.length > MAX_CONFIG_BYTES) throw tooLarge(`more than ${MAX_CONFIG_BYTES}`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigError(shown, [{ path: "", message: "is not UTF-8 text (a binary file?); a config file is YAML text" }]);
  }
}

function readAtMost(file: string, limit: number): Buffer {
  const fd = fs.openSync(file, "r");
  try {
    const chunks: Buffer[] = [];
    let length = 0;
    while (length < limit) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, limit - length));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      length += n;
    }
    return Buffer.concat(chunks, length);
  } finally {
    fs.closeSync(fd);
  }
}

function firstLine(message: string): string {
  return message.split("\n")[0];
}
