import { z } from "zod";
import { noRepeats } from "./unique";

/**
 * Adopting existing ECR repositories (`adopt`, `awsName`): the repository is imported into
 * Terraform with an import block instead of created. docs/adopting.md explains the workflow.
 */

/** `adopt`: `true` in every environment of the repository, or the names of some of them. */
export const adoptSchema = z
  .union([
    z.boolean(),
    z
      .array(z.string())
      .min(1, { message: "name at least one environment, or write adopt: true for all of them" })
      .superRefine(noRepeats("environment")),
  ])
  .default(false);

export type Adopt = z.infer<typeof adoptSchema>;

/** Whether the repository is adopted (imported) in `environment`; the caller knows it is declared there. */
export function adoptedIn(repository: { adopt: Adopt }, environment: string): boolean {
  return repository.adopt === true || (Array.isArray(repository.adopt) && repository.adopt.includes(environment));
}

/**
 * One repository's adoption rules, checked before its `encryption` default is filled in: an
 * adopted repository must state the encryption it already has. ECR cannot change a repository's
 * encryption, so the provider would replace it, and the environment's managed key is created by
 * this stack, so no existing repository can be encrypted with it.
 */
export function adoptionIssues(repository: {
  adopt: Adopt;
  encryption?: { type: "KMS" | "AES256"; kmsKeyArn?: string };
}): Array<{ path: Array<string | number>; message: string }> {
  if (repository.adopt === false) return [];
  const reading = "as aws ecr describe-repositories shows it (encryptionConfiguration)";
  if (!repository.encryption)
    return [
      {
        path: ["encryption"],
        message: `is required with adopt: state the existing repository's encryption (type: AES256, or type: KMS with its kmsKeyArn) ${reading}; encryption cannot change in place, so any other value would make Terraform replace the repository`,
      },
    ];
  if (repository.encryption.type === "KMS" && !repository.encryption.kmsKeyArn)
    return [
      {
        path: ["encryption", "kmsKeyArn"],
        message: `is required with adopt and type KMS: the existing repository's key, ${reading}; the environment's managed key is created by this stack, so the repository cannot already use it`,
      },
    ];
  return [];
}


