import { ConfigProblem, problemAt } from "../config/errors";
import { resolveEnvironments } from "../plan/environments";
import type { RegistryConfig } from "../config/schema";
import { unknownEnvironment } from "../config/suggest";
import { GUARDRAIL_RULES, SubjectKind } from "../guardrails/rules";

const SCOPE_KEYS: ReadonlyArray<{ key: "repositories" | "creationTemplates"; subject: SubjectKind; what: string }> = [
  { key: "repositories", subject: "repository", what: "repositories" },
  { key: "creationTemplates", subject: "creationTemplate", what: "creation templates" },
];


/**
 * Waivers against the rest of the config: each name must
 * be declared and be something the rule checks, and a repository or template must exist in at
 * least one of the waiver's environments, so a waiver can never silently match nothing because of
 * a typo.
 */
export function guardrailWaiverProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const environments = resolveEnvironments(config);
  const environmentNames = environments.map((e) => e.name);
  config.guardrails.waivers.forEach((waiver, i) => {
    const at = (...path: Array<string | number>) => ["guardrails", "waivers", i, ...path];
    const rule = GUARDRAIL_RULES.find((r) => r.id === waiver.rule);
    if (!rule) return; // reported by the enum
    const checkable = rule.subjects.map((s) => (s === "creationTemplate" ? "creation templates" : s === "repository" ? "repositories" : s === "state" ? "the state stack" : "environments"));

    waiver.environments?.forEach((name, j) => {
      if (!environmentNames.includes(name))
        problems.push(problemAt({ path: at("environments", j), message: unknownEnvironment(name, environmentNames) }));
    });
    if (waiver.environments && !rule.subjects.some((s) => s !== "state"))
      problems.push(problemAt({
        path: at("environments"),
        message: `${rule.id} checks ${checkable.join(" and ")} only, so environments cannot narrow it; leave environments out`,
      }));

    // With an unknown (or no) environment listed, which ones were meant is unclear; that is reported above.
    const listed = waiver.environments;
    const checkPresence = !listed || (listed.length > 0 && listed.every((name) => environmentNames.includes(name)));
    const inScope = environments.filter((e) => !listed || listed.includes(e.name));
    for (const { key, subject, what } of SCOPE_KEYS) {
      const names = waiver[key];
      if (!names) continue;
      if (!rule.subjects.includes(subject)) {
        problems.push(problemAt({ path: at(key), message: `${rule.id} does not check ${what} (it checks ${checkable.join(" and ")}); leave ${key} out` }));
        continue;
      }
      names.forEach((name, j) => {
        if (key === "repositories") {
          const repository = config.repositories.find((r) => r.name === name);
          if (!repository) {
            problems.push(problemAt({ path: at(key, j), message: `unknown repository "${name}"` }));
          } else if (checkPresence && !inScope.some((e) => e.repositories.includes(repository))) {
            problems.push(problemAt({ path: at(key, j), message: `repository "${name}" does not exist in ${waiver.environments!.join(", ")}` }));
          }
        } else {
          const declared = config.repositoryCreationTemplates.map((t) => t.prefix);
          if (!declared.includes(name)) {
            problems.push(problemAt({
              path: at(key, j),
              message: `unknown creation template "${name}" (declared prefixes: ${declared.length > 0 ? declared.join(", ") : "none"})`,
            }));
          } else if (checkPresence && !inScope.some((e) => e.manageRegistrySettings)) {
            problems.push(problemAt({
              path: at(key, j),
              message: `creation templates exist only in environments that manage registry settings, and none of ${waiver.environments!.join(", ")} does`,
            }));
          }
        }
      });
    }
  });
  return problems;
}
