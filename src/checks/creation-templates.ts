import { ConfigIssue, ConfigProblem, problemAt } from "../config/errors";
import { resolveEnvironments } from "../plan/environments";
import type { RegistryConfig } from "../config/schema";
import { creationTemplateTags } from "../config/schema/creation-templates";
import { TAG_LIMITS } from "../config/schema/tags";
import { lifecycleSettingIssues } from "./lifecycle";

/** Problems across templates and the rest of the config: duplicate prefixes, nowhere to create them, lifecycle, tag count. */
export function creationTemplateProblems(config: RegistryConfig): ConfigProblem[] {
  const templates = config.repositoryCreationTemplates;
  if (templates.length === 0) return [];
  const issues: ConfigIssue[] = [];
  const managers = config.environments.filter((env) => env.manageRegistrySettings);
  if (managers.length === 0)
    issues.push({
      path: ["repositoryCreationTemplates"],
      message: "creation templates are registry settings, created only in environments with manageRegistrySettings: true, and no environment has it",
    });
  resolveEnvironments(config).forEach((env, i) => {
    if (env.manageRegistrySettings && env.accountId === undefined)
      issues.push({
        path: ["environments", i, "accountId"],
        message:
          "is required with repositoryCreationTemplates: the role ECR assumes to apply them may create repositories only in this registry, which its policy names by account",
      });
  });
  const firstOf = new Map<string, number>();
  templates.forEach((template, i) => {
    const first = firstOf.get(template.prefix);
    if (first !== undefined)
      issues.push({ path: ["repositoryCreationTemplates", i, "prefix"], message: `duplicate prefix "${template.prefix}" (first declared at index ${first})` });
    else firstOf.set(template.prefix, i);
    issues.push(
      ...lifecycleSettingIssues(config.lifecycle, template.lifecycle, ["repositoryCreationTemplates", i, "lifecycle"]).map((p) => ({ path: [...p.path], message: p.message })),
    );
    for (const env of managers) {
      const count = Object.keys(creationTemplateTags(config.project, env.name, config.tags, template.tags)).length;
      if (count > TAG_LIMITS.maxTagsPerResource) {
        issues.push({
          path: ["repositoryCreationTemplates", i, "tags"],
          message: `created repositories would carry ${count} tags with Purpose, Project, Environment and the registry's tags; AWS allows at most ${TAG_LIMITS.maxTagsPerResource}`,
        });
        break;
      }
    }
  });
  return issues.map(problemAt);
}
