import { stringify } from "yaml";
import { ConfigError } from "../../src/config/errors";
import { parseConfig } from "../../src/checks";
import { minimalRawConfig } from "./fixtures";

/** Validates raw config data as if read from a YAML file and returns its problems as `path: message` lines. */
export function problemsOf(raw: unknown): string[] {
  try {
    parseConfig(typeof raw === "string" ? raw : stringify(raw), "test.yaml");
  } catch (error) {
    // A path names a field; a problem without one (a YAML error) is named by its place in the file.
    if (error instanceof ConfigError) return error.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.location ? `${p.location}: ${p.message}` : p.message));
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

/** Two environments in different accounts and regions, each managing its own registry. */
export function twoAccountConfig(extra: Record<string, unknown> = {}): Record<string, any> {
  return {
    ...minimalRawConfig(),
    environments: [
      { name: "dev", accountId: "111111111111" },
      { name: "prod", accountId: "222222222222", region: "us-west-2" },
    ],
    ...extra,
  };
}
