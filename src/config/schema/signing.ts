import { z } from "zod";
import { environmentSelectionSchema } from "./selection";
import { principalGrantListSchema } from "./consumers";

/** The AWS Signer platform for container images signed with Notation. */
export const NOTATION_PLATFORM = "Notation-OCI-SHA384-ECDSA";

/** AWS Signer's signature validity limit is 135 months (also its default). */
export const MAX_VALIDITY_MONTHS = 135;

export const VALIDITY_UNITS = ["DAYS", "MONTHS", "YEARS"] as const;
export type ValidityUnit = (typeof VALIDITY_UNITS)[number];

/**
 * The longest validity accepted in each unit, none longer than 135 months: 11 whole years, and
 * for days 135 months of 30 days (a conservative bound: no calendar makes 4050 days longer
 * than 135 months).
 */
export const MAX_VALIDITY: Record<ValidityUnit, number> = {
  DAYS: MAX_VALIDITY_MONTHS * 30,
  MONTHS: MAX_VALIDITY_MONTHS,
  YEARS: Math.floor(MAX_VALIDITY_MONTHS / 12),
};

/** Signer's profile name rule. */
export const PROFILE_NAME_PATTERN = /^[0-9A-Za-z_]{2,64}$/;

const validitySchema = z
  .strictObject({
    value: z.number().int({ message: "must be a whole number" }).min(1, { message: "must be at least 1" }).describe("How many units."),
    unit: z.enum(VALIDITY_UNITS).describe("DAYS, MONTHS or YEARS."),
  })
  .superRefine((validity, ctx) => {
    const max = MAX_VALIDITY[validity.unit];
    if (validity.value > max) {
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: `${validity.value} ${validity.unit} is longer than AWS Signer's ${MAX_VALIDITY_MONTHS}-month limit; at most ${max} ${validity.unit}`,
      });
    }
  });

export const signingSchema = z.strictObject({
  signatureValidity: validitySchema
    .default({ value: MAX_VALIDITY_MONTHS, unit: "MONTHS" })
    .describe("How long signatures made with the profile stay valid. Default: 135 MONTHS (Signer's maximum and default)."),
  environments: environmentSelectionSchema.optional().describe("Environments that get a signing profile. Default: every environment."),
  signers: principalGrantListSchema
    .optional()
    .describe(
      "Who may sign with the profile (signer:SignPayload): IAM role ARNs or account ids. Another account's signers get a signing profile permission, the registry account's an identity policy (with identityPolicies). [] grants nobody. Default: the push consumers of each signed environment (IAM users of other accounts left out: Signer cannot grant them).",
    ),
});

export type SigningConfig = z.infer<typeof signingSchema>;

