import * as fs from "fs";
import * as path from "path";
import { DEFAULT_CONFIG_PATH } from "../config/load";
import { SCHEMA_FILE_NAME, registryJsonSchema, renderJsonSchemaFile } from "../config/json-schema";
import { renderConfigReference, replaceReference } from "../docs/config-reference";
import { renderGuardrailRules, replaceGuardrailRules } from "../docs/guardrail-rules";
import { GUARDRAIL_RULES } from "../guardrails/rules";

/** The project root: where `registry.yaml`, `registry.schema.json` and `docs/` live. */
export const PROJECT_ROOT = path.dirname(DEFAULT_CONFIG_PATH);

export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/** `registry.schema.json`, from the zod schema. */
export function schemaFile(root: string = PROJECT_ROOT): GeneratedFile {
  return { path: path.join(root, SCHEMA_FILE_NAME), content: renderJsonSchemaFile() };
}

/** `docs/configuration.md` with its config reference regenerated between its markers; the prose around it is kept. */
export function configurationReferenceFile(root: string = PROJECT_ROOT): GeneratedFile {
  const file = path.join(root, "docs", "configuration.md");
  return { path: file, content: replaceReference(fs.readFileSync(file, "utf8"), renderConfigReference(registryJsonSchema())) };
}

/** `docs/guardrails.md` with its rule table regenerated between its markers; the prose around it is kept. */
export function guardrailRulesFile(root: string = PROJECT_ROOT): GeneratedFile {
  const file = path.join(root, "docs", "guardrails.md");
  return { path: file, content: replaceGuardrailRules(fs.readFileSync(file, "utf8"), renderGuardrailRules(GUARDRAIL_RULES)) };
}

/** Writes the files whose content changed and says so, one line each. */
export function writeGenerated(files: readonly GeneratedFile[], out: NodeJS.WritableStream = process.stdout): void {
  for (const file of files) {
    const shown = path.relative(process.cwd(), file.path) || file.path;
    const current = fs.existsSync(file.path) ? fs.readFileSync(file.path, "utf8") : undefined;
    if (current === file.content) {
      out.write(`${shown} is up to date\n`);
    } else {
      fs.writeFileSync(file.path, file.content);
      out.write(`wrote ${shown}\n`);
    }
  }
}
