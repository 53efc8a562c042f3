import { stringify } from "yaml";
import { ConfigError } from "../../src/config/errors";
import { parseConfig } from "../../src/config/load";

/** Validates raw config data as if read from a YAML file and returns its problems as `path: message` lines. */
export function problemsOf(raw: unknown): string[] {
  try {
    parseConfig(stringify(raw), "test.yaml");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
    throw error;
  }
  throw new Error("expected the config to be rejected");
}
