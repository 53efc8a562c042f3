import { z } from "zod";

/**
 * A feature's `environments` list. Registry-wide features (replication, pull-through cache,
 * finding notifications) exist once per account and region, so they default to, and may only
 * name, environments that manage their registry's settings.
 */
export const environmentSelectionSchema = z.array(z.string()).min(1, { message: "list at least one environment, or leave the key out" });

