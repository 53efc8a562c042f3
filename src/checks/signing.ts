import { ConfigProblem, problemAt } from "../config/errors";
import type { RegistryConfig } from "../config/schema";
import { selectedEnvironments } from "../plan/environments";
import { PROFILE_NAME_PATTERN } from "../config/schema/signing";
import { needsCrossAccountUser } from "../plan/signing";
import { grantedPrincipals } from "../plan/consumers";
import { signingProfileName } from "../naming";
import { environmentSelectionProblems } from "./selection";
import { principalGrantProblems } from "./consumers";

export function signingProblems(config: RegistryConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const signing = config.signing;
  if (!signing) return problems;
  problems.push(...environmentSelectionProblems(config, signing.environments, ["signing", "environments"], "signing", "per-environment"));
  const signed = selectedEnvironments(config, signing.environments, "per-environment");
  if (signing.signers) problems.push(...principalGrantProblems(signing.signers, signed, ["signing", "signers"], "signing"));
  const reported = new Set<string>();
  for (const environment of signed) {
    for (const signer of grantedPrincipals(signing.signers ?? [], environment)) {
      if (!needsCrossAccountUser(signer) || reported.has(signer.arn)) continue;
      reported.add(signer.arn);
      problems.push(problemAt({
        path: ["signing", "signers", signing.signers!.findIndex((g) => g.principal === signer.arn), "principal"],
        message: `${signer.arn} is an IAM user ${
          signer.sameAccount === false ? `outside environment ${environment.name}'s account` : `and environment ${environment.name} declares no accountId, so it would get a cross-account permission`
        }; AWS Signer grants cross-account signing to IAM roles or accounts only`,
      }));
    }
  }
  for (const environment of signed) {
    const name = signingProfileName(config.project, environment.name);
    if (!PROFILE_NAME_PATTERN.test(name)) {
      problems.push(problemAt({
        path: ["signing"],
        message: `the signing profile of environment ${environment.name} would be named ${name} (${name.length} characters); AWS Signer allows 64, so shorten the project or environment name`,
      }));
    }
  }
  return problems;
}
