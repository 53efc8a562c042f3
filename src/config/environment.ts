import { z } from "zod";
import { accountIdSchema, regionSchema } from "./aws";

export const environmentNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$|^[a-z]$/, {
    message: "environment names must be 1-32 lowercase letters, digits or '-', starting with a letter (e.g. dev, prod)",
  });

export const environmentSchema = z.strictObject({
  name: environmentNameSchema.describe("Short name used in stack names, state keys and tags, e.g. dev or prod."),
  region: regionSchema.optional().describe("AWS region for this environment. Default: the registry's region."),
  accountId: accountIdSchema.optional().describe("AWS account of this environment. Default: the registry's accountId."),
  stateKey: z
    .string()
    .regex(/^[A-Za-z0-9!_.*'()/-]{1,1024}$/, { message: "must be an S3 object key (letters, digits and !_.*'()/-)" })
    .refine((k) => !k.startsWith("/") && !k.includes("//"), { message: "must not start with '/' or contain '//'" })
    .optional()
    .describe("S3 key of this environment's state. Default: <project>/<environment>/terraform.tfstate."),
  manageRegistrySettings: z
    .boolean()
    .default(true)
    .describe(
      "Whether this environment's stack owns the registry-wide settings (scanning configuration) of its account and region. Only one environment per account and region may.",
    ),
  protected: z
    .boolean()
    .optional()
    .describe(
      "Guard this environment's repositories and KMS key against destruction: Terraform prevent_destroy, and synth refuses to drop a repository that is not listed in retired. Default: true for environments named prod or production, false otherwise.",
    ),
});

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
