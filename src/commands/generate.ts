import * as fs from "fs";
import * as path from "path";
import { DEFAULT_CONFIG_PATH } from "../config/load";
import { SCHEMA_FILE_NAME, registryJsonSchema, renderJsonSchemaFile } from "../config/json-schema";
import { renderConfigReference, replaceReference } from "../docs/config-reference";
import { renderGuardrailRules, replaceGuardrailRules } from "../docs/guardrail-rules";
import { GUARDRAIL_RULES } from "../guardrails/rules";

/** The project root: where `registry.yaml`, `registry.schema.json` and `README.md` live. */
export const PROJECT_ROOT = path.dirname(DEFAULT_CONFIG_PATH);

export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/** `registry.schema.json`, from the zod schema. */
export function schemaFile(root: string = PROJECT_ROOT): GeneratedFile {
  return { path: path.join(root, SCHEMA_FILE_NAME), content: renderJsonSchemaFile() };
}

/** `README.md` with its config reference and guardrail rule table regenerated between their markers; the prose around them is kept. */
export function readmeFile(root: string = PROJECT_ROOT): GeneratedFile {
  const file = path.join(root, "README.md");
  const withReference = replaceReference(fs.readFileSync(file, "utf8"), renderConfigReference(registryJsonSchema()));
  return { path: file, content: replaceGuardrailRules(withReference, renderGuardrailRules(GUARDRAIL_RULES)) };
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
