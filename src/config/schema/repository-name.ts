import { z } from "zod";

/** ECR's repository name rule: 2–256 characters, lowercase path segments joined by single separators. */
export const REPOSITORY_NAME_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export const repositoryNameSchema = z
  .string()
  .min(2, { message: "repository names must be 2 to 256 characters" })
  .max(256, { message: "repository names must be 2 to 256 characters" })
  .regex(REPOSITORY_NAME_PATTERN, {
    message:
      "must be lowercase letters and digits, with single '.', '_' or '-' separators and '/' between path segments (e.g. ai-models/llm-serving)",
  })
  .meta({ title: "ECR repository name: lowercase path segments with single . _ - separators" });
