import * as fs from "fs";
import Ajv2020 from "ajv/dist/2020";

/**
 * Checks `terraform output -json` of one stack against the `outputs.schema.json` that `npm run
 * handoff` wrote for it. Outputs in `dropped` belong to resources the e2e could not apply (see
 * e2e/adaptations.ts): they are no longer required, and every other one still is.
 */
export function validateOutputs(schemaFile: string, stackName: string, terraformOutputs: Record<string, { value: unknown }>, dropped: readonly string[]): string[] {
  const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
  const stackSchema = schema.properties[stackName];
  stackSchema.required = (stackSchema.required as string[]).filter((name) => !dropped.includes(name));
  for (const name of dropped) delete stackSchema.properties[name];
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  const values = Object.fromEntries(Object.entries(terraformOutputs).map(([name, output]) => [name, output.value]));
  if (validate({ [stackName]: values })) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
}
