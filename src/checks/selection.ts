import { ConfigProblem, problemAt } from "../config/errors";
import type { RegistryConfig } from "../config/schema";
import { unknownEnvironment } from "../config/suggest";

/** Reports unknown, repeated and (for registry-wide features) ineligible environment names, each at its own path. */
export function environmentSelectionProblems(
  config: RegistryConfig,
  names: readonly string[] | undefined,
  path: ReadonlyArray<string | number>,
  feature: string,
  scope: "registry-wide" | "per-environment",
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!names) return problems;
  const declared = config.environments.map((e) => e.name);
  names.forEach((name, i) => {
    const at = [...path, i];
    const environment = config.environments.find((e) => e.name === name);
    if (!environment) {
      problems.push(problemAt({ path: at, message: unknownEnvironment(name, declared) }));
    } else if (names.indexOf(name) !== i) {
      problems.push(problemAt({ path: at, message: `environment "${name}" is listed twice` }));
    } else if (scope === "registry-wide" && !environment.manageRegistrySettings) {
      problems.push(problemAt({
        path: at,
        message: `${feature} is a registry-wide setting (one per account and region), but environment "${name}" has manageRegistrySettings: false; list the environment that manages this registry instead`,
      }));
    }
  });
  return problems;
}
