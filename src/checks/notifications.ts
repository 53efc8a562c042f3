import { arnMismatch, parseArn } from "../config/schema/arn";
import { ConfigProblem, problemAt } from "../config/errors";
import { MAX_RULE_NAME_LENGTH } from "../config/schema/notifications";
import { findingsResourceName } from "../naming";
import { selectedEnvironments } from "../plan/environments";
import type { RegistryConfig } from "../config/schema";
import { environmentSelectionProblems } from "./selection";

/** Cross-field rules: repeated entries, names EventBridge accepts, queues in reach. */
export function notificationProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const notifications = config.notifications;
  if (!notifications) return problems;
  problems.push(...environmentSelectionProblems(config, notifications.environments, ["notifications", "environments"], "notification of scan findings", "registry-wide"));

  notifications.severities.forEach((severity, i) => {
    if (notifications.severities.indexOf(severity) !== i) {
      problems.push(problemAt({ path: ["notifications", "severities", i], message: `duplicate severity ${severity}` }));
    }
  });
  const keys = notifications.subscriptions.map((s) => `${s.protocol} ${s.endpoint}`);
  keys.forEach((key, i) => {
    const first = keys.indexOf(key);
    if (first !== i) problems.push(problemAt({ path: ["notifications", "subscriptions", i], message: `duplicate subscription (same as index ${first})` }));
  });

  for (const environment of selectedEnvironments(config, notifications.environments, "registry-wide")) {
    const name = findingsResourceName(config.project, environment.name);
    if (name.length > MAX_RULE_NAME_LENGTH) {
      problems.push(problemAt({
        path: ["notifications"],
        message: `the EventBridge rule of environment ${environment.name} would be named ${name} (${name.length} characters); EventBridge allows ${MAX_RULE_NAME_LENGTH}, so shorten the project or environment name`,
      }));
    }
    notifications.subscriptions.forEach((subscription, i) => {
      const arn = subscription.protocol === "sqs" ? parseArn(subscription.endpoint) : undefined;
      const problem = arn && arnMismatch(arn, environment, { region: false, account: false });
      if (problem) {
        problems.push(problemAt({ path: ["notifications", "subscriptions", i, "endpoint"], message: `${problem}; SNS cannot deliver across partitions` }));
      }
    });
  }
  return problems;
}
