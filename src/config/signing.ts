import { z } from "zod";
import { ResolvedEnvironment } from "./resolve";
import type { RegistryConfig } from "./schema";
import { checkEnvironmentSelection, environmentSelectionSchema, selectedEnvironments } from "./selection";
import { GrantedPrincipal, PrincipalGrant, checkPrincipalGrants, grantedPrincipals, principalGrantListSchema, pushConsumersOf } from "./consumers";
import { signingProfileName } from "../naming";

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

/** An environment's signing profile, ready for the `ModelSigningProfile` construct. */
export interface SigningPlan {
  readonly name: string;
  readonly signatureValidity: { readonly value: number; readonly unit: ValidityUnit };
  /** Who may sign in this environment, sorted. */
  readonly signers: readonly GrantedPrincipal[];
}

/** The signers of an environment as the config declares them: `signing.signers`, else its push consumers. */
function declaredSigners(config: RegistryConfig, environment: ResolvedEnvironment): PrincipalGrant[] {
  return config.signing?.signers ?? pushConsumersOf(config, environment, true);
}

/**
 * An IAM user that would need a cross-account profile permission, which Signer does not grant
 * (AddProfilePermission names an IAM role or an account id).
 */
function needsCrossAccountUser(signer: GrantedPrincipal): boolean {
  return signer.sameAccount !== true && /:user\//.test(signer.arn);
}

export function signingProfileFor(config: RegistryConfig, environment: ResolvedEnvironment): SigningPlan | undefined {
  const signing = config.signing;
  if (!signing) return undefined;
  if (!selectedEnvironments(config, signing.environments, "per-environment").some((e) => e.name === environment.name)) return undefined;
  return {
    name: signingProfileName(config.project, environment.name),
    signatureValidity: signing.signatureValidity,
    // Push consumers that are IAM users of another account cannot be granted: the default leaves them out.
    signers: grantedPrincipals(declaredSigners(config, environment), environment).filter((p) => signing.signers !== undefined || !needsCrossAccountUser(p)),
  };
}

/** The account id of a root principal ARN, else the principal unchanged: Signer's permissions name an IAM role or an account id. */
export function signerPrincipal(arn: string): string {
  return /^arn:[^:]+:iam::(\d{12}):root$/.exec(arn)?.[1] ?? arn;
}

export function validateSigning(config: RegistryConfig, ctx: z.RefinementCtx): void {
  const signing = config.signing;
  if (!signing) return;
  checkEnvironmentSelection(config, signing.environments, ["signing", "environments"], "signing", "per-environment", ctx);
  const signed = selectedEnvironments(config, signing.environments, "per-environment");
  if (signing.signers) checkPrincipalGrants(signing.signers, signed, ["signing", "signers"], "signing", ctx);
  const reported = new Set<string>();
  for (const environment of signed) {
    for (const signer of grantedPrincipals(signing.signers ?? [], environment)) {
      if (!needsCrossAccountUser(signer) || reported.has(signer.arn)) continue;
      reported.add(signer.arn);
      ctx.addIssue({
        code: "custom",
        path: ["signing", "signers", signing.signers!.findIndex((g) => g.principal === signer.arn), "principal"],
        message: `${signer.arn} is an IAM user ${
          signer.sameAccount === false ? `outside environment ${environment.name}'s account` : `and environment ${environment.name} declares no accountId, so it would get a cross-account permission`
        }; AWS Signer grants cross-account signing to IAM roles or accounts only`,
      });
    }
  }
  for (const environment of signed) {
    const name = signingProfileName(config.project, environment.name);
    if (!PROFILE_NAME_PATTERN.test(name)) {
      ctx.addIssue({
        code: "custom",
        path: ["signing"],
        message: `the signing profile of environment ${environment.name} would be named ${name} (${name.length} characters); AWS Signer allows 64, so shorten the project or environment name`,
      });
    }
  }
}
