import type { z } from "zod";

/**
 * A `superRefine` for lists whose entries must differ: each repeat is reported at its own index,
 * naming the first. A repeated entry means nothing to ECR or IAM, so it is a slip (usually a
 * different value was meant) rather than something to pass through to Terraform.
 */
export function noRepeats(what: string) {
  return (values: readonly string[], ctx: z.RefinementCtx): void => {
    values.forEach((value, i) => {
      const first = values.indexOf(value);
      if (first !== i) ctx.addIssue({ code: "custom", path: [i], message: `duplicate ${what} "${value}" (same as index ${first})` });
    });
  };
}
