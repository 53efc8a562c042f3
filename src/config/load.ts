import * as fs from "fs";
import * as path from "path";
import { LineCounter, parseDocument } from "yaml";
import { ConfigError, ConfigProblem, problemsFromZod } from "./errors";
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

/** Reads, parses and validates a config file. Throws `ConfigError` listing every problem. */
export function loadConfig(file: string): RegistryConfig {
  const shown = shownPath(file);
  return parseConfig(readConfigFile(file, shown), shown);
}

/** How messages name a config file: relative to the working directory. */
export function shownPath(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

/** Parses and validates config text; `source` names it in messages. */
export function parseConfig(text: string, source: string): RegistryConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e): ConfigProblem => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { path: "", message: `line ${pos.line}, column ${pos.col}: YAML syntax error: ${firstLine(e.message)}` };
      }),
    );
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  if (raw === null || raw === undefined) {
    throw new ConfigError(source, [{ path: "", message: "the file is empty; see registry.yaml for an example" }]);
  }
  const result = registryConfigSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new ConfigError(source, problemsFromZod(result.error));
  return result.data;
}

function readConfigFile(file: string, shown: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new ConfigError(shown, [{ path: "", message: `cannot read the file: it does not exist (REGISTRY_CONFIG names the config file)` }]);
  }
  if (stat.isDirectory()) throw new ConfigError(shown, [{ path: "", message: "is a directory, not a config file" }]);
  if (stat.size > MAX_CONFIG_BYTES) {
    throw new ConfigError(shown, [{ path: "", message: `is ${stat.size} bytes; config files are limited to ${MAX_CONFIG_BYTES} bytes` }]);
  }
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(shown, [{ path: "", message: `cannot read the file: ${(e as NodeJS.ErrnoException).code ?? String(e)}` }]);
  }
}

function firstLine(message: string): string {
  return message.split("\n")[0];
}
