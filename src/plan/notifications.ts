import { Partition, partitionOf } from "../config/schema/aws";
import { SEVERITIES, type Severity, type SubscriptionProtocol } from "../config/schema/notifications";
import { findingsResourceName } from "../naming";
import type { RegistryConfig } from "../config/schema";
import { ResolvedEnvironment, selectedEnvironments } from "./environments";

/** An environment's finding notifications, ready for the `FindingNotifications` construct. */
export interface FindingNotificationsPlan {
  readonly name: string;
  readonly scanType: "BASIC" | "ENHANCED";
  readonly severities: readonly Severity[];
  readonly subscriptions: ReadonlyArray<{ readonly protocol: SubscriptionProtocol; readonly endpoint: string }>;
  readonly partition: Partition;
  readonly region: string;
  readonly accountId?: string;
}

/** The finding notifications of an environment, or undefined when it has none. */
export function findingNotificationsFor(config: RegistryConfig, environment: ResolvedEnvironment): FindingNotificationsPlan | undefined {
  const notifications = config.notifications;
  if (!notifications || !environment.manageRegistrySettings) return undefined;
  if (!selectedEnvironments(config, notifications.environments, "registry-wide").some((e) => e.name === environment.name)) return undefined;
  return {
    name: findingsResourceName(config.project, environment.name),
    scanType: config.scanning.type,
    severities: SEVERITIES.filter((s) => notifications.severities.includes(s)),
    subscriptions: [...notifications.subscriptions],
    partition: partitionOf(environment.region),
    region: environment.region,
    accountId: environment.accountId,
  };
}
