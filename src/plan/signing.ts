import type { PrincipalGrant } from "../config/schema/consumers";
import type { RegistryConfig } from "../config/schema";
import { type ValidityUnit } from "../config/schema/signing";
import { signingProfileName } from "../naming";
import { GrantedPrincipal, grantedPrincipals, pushConsumersOf } from "./consumers";
import { ResolvedEnvironment, selectedEnvironments } from "./environments";

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
export function needsCrossAccountUser(signer: GrantedPrincipal): boolean {
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
