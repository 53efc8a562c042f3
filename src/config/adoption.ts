import { z } from "zod";
import { awsRepositoryName } from "./data-safety";
import { noRepeats } from "./unique";
import { unknownEnvironment } from "./suggest";

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

interface AdoptionView {
  readonly environments: ReadonlyArray<{ name: string }>;
  readonly repositories: ReadonlyArray<{
    name: string;
    awsName?: string;
    renamedFrom?: readonly string[];
    environments?: readonly string[];
    adopt: Adopt;
  }>;
}

/**
 * Cross-field rules: `adopt` names environments the repository is declared in, and no two
 * repositories address one ECR repository (which `awsName` could otherwise do; equal names and
 * earlier names are refused by the schema and `checkRenamesAndRetirements`).
 */
export function checkAdoption(config: AdoptionView, ctx: z.RefinementCtx): void {
  const environmentNames = config.environments.map((e) => e.name);
  const byAwsName = new Map<string, number>();
  config.repositories.forEach((repo, i) => {
    if (Array.isArray(repo.adopt)) {
      repo.adopt.forEach((name, j) => {
        const path = ["repositories", i, "adopt", j];
        if (!environmentNames.includes(name))
          ctx.addIssue({ code: "custom", path, message: unknownEnvironment(name, environmentNames) });
        else if (repo.environments && !repo.environments.includes(name))
          ctx.addIssue({
            code: "custom",
            path,
            message: `environment "${name}" is not one of this repository's environments (${repo.environments.join(", ")}); it can only be adopted where it is declared`,
          });
      });
    }

    const awsName = awsRepositoryName(repo);
    const first = byAwsName.get(awsName);
    if (first === undefined) {
      byAwsName.set(awsName, i);
      return;
    }
    const other = config.repositories[first];
    // Without an awsName on either side, the clash is between names and earlier names, reported elsewhere.
    if (repo.awsName === undefined && other.awsName === undefined) return;
    const [at, index, them] = repo.awsName !== undefined ? [repo, i, first] : [other, first, i];
    ctx.addIssue({
      code: "custom",
      path: ["repositories", index, "awsName"],
      message: `"${at.awsName}" is also the name in AWS of repositories[${them}] (${config.repositories[them].name}); two repositories cannot manage one ECR repository`,
    });
  });
}
