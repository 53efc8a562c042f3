import { AttributeReference, parseReference, referencesIn, templateParts } from "../synthesized/expressions";
import { SynthesizedOutput, SynthesizedResource, ParsedStack } from "../synthesized/stack";
import { ExampleContext, escapeRegExp, exampleAttribute, exampleContext } from "./attribute-examples";

/** One output as consumers see it: `cdktf output --outputs-file` gives `{ "<stack>": { "<name>": <value> } }`. */
export interface OutputContract {
  readonly name: string;
  readonly description?: string;
  readonly sensitive: boolean;
  /** A value this output will have after apply, when one can be derived from the stack; otherwise undefined. */
  readonly example?: unknown;
  /** The example for people: `example`, or the expression with `<...>` where a value is only known after apply. */
  readonly exampleText: string;
  /** JSON Schema of the value. */
  readonly schema: Readonly<Record<string, unknown>>;
}

export const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

/** The outputs contract of a stack, sorted by output name. */
export function outputsContract(stack: ParsedStack): OutputContract[] {
  const context = exampleContext(stack);
  const contextOf = (alias: string) => exampleContext(stack, alias);
  const resources = new Map([...stack.resources, ...stack.dataSources].map((r) => [r.address, r]));
  return stack.outputs.map((output) => contractOf(output, resources, context, contextOf));
}

function contractOf(
  output: SynthesizedOutput,
  resources: Map<string, SynthesizedResource>,
  context: ExampleContext,
  contextOf: (alias: string) => ExampleContext,
): OutputContract {
  const base = { name: output.name, description: output.description, sensitive: output.sensitive };
  const described = (schema: Record<string, unknown>) => ({
    ...(output.description ? { description: output.description } : {}),
    ...schema,
  });
  const value = output.value;

  if (typeof value !== "string") {
    if (referencesIn(value).length === 0 && !JSON.stringify(value).includes("${")) {
      return { ...base, example: value, exampleText: JSON.stringify(value), schema: described({ const: value }) };
    }
    return { ...base, exampleText: JSON.stringify(value), schema: described({ type: jsonType(value) }) };
  }

  const parts = templateParts(value);
  if (parts.every((p) => "literal" in p)) {
    const text = parts.map((p) => ("literal" in p ? p.literal : "")).join("");
    return { ...base, example: text, exampleText: text, schema: described({ type: "string", const: text }) };
  }

  const rendered = parts.map((part) => {
    if ("literal" in part) return { text: part.literal, pattern: escapeRegExp(part.literal), known: true };
    const reference = parseReference(part.expression);
    const example = reference && exampleAttribute(reference, resources.get(addressOf(reference)), context, contextOf);
    return example
      ? { text: example.value, pattern: example.pattern, known: true }
      : { text: `<${part.expression}>`, pattern: undefined, known: false };
  });
  const exampleText = rendered.map((r) => r.text).join("");
  const known = rendered.every((r) => r.known);
  const single = parts.length === 1;
  // A lone reference to an attribute we know nothing about may be a list or a map, not a string.
  if (single && !known) return { ...base, exampleText, schema: described({}) };
  const pattern = rendered.every((r) => r.pattern !== undefined) ? `^${rendered.map((r) => r.pattern).join("")}$` : undefined;
  return {
    ...base,
    example: known ? exampleText : undefined,
    exampleText,
    schema: described({ type: "string", ...(pattern ? { pattern } : {}), ...(known ? { examples: [exampleText] } : {}) }),
  };
}

function addressOf(reference: AttributeReference): string {
  return `${reference.mode === "data" ? "data." : ""}${reference.type}.${reference.name}`;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value === "object" ? "object" : typeof value;
}

/**
 * JSON Schema of what `cdktf output <stack> --outputs-file <file>` writes for this stack. Other
 * stacks may sit beside it in the same file; within the stack every output is listed, and
 * every non-sensitive one is required (sensitive outputs are left out unless
 * `--outputs-file-include-sensitive-outputs` is given).
 */
export function outputsSchema(stack: ParsedStack): Record<string, unknown> {
  const contract = outputsContract(stack);
  return {
    $schema: JSON_SCHEMA_DIALECT,
    title: `Outputs of ${stack.name}`,
    description: `The content of \`cdktf output ${stack.name} --outputs-file <file>\`. Inside the stack's object, \`terraform output -json | jq 'map_values(.value)'\` gives the same.`,
    type: "object",
    required: [stack.name],
    properties: {
      [stack.name]: {
        type: "object",
        additionalProperties: false,
        required: contract.filter((o) => !o.sensitive).map((o) => o.name),
        properties: Object.fromEntries(contract.map((o) => [o.name, o.schema])),
      },
    },
  };
}

/** An outputs file made of every known example (what a consumer's fixture or test can use). */
export function exampleOutputsFile(stack: ParsedStack): Record<string, Record<string, unknown>> {
  const examples = outputsContract(stack)
    .filter((o) => o.example !== undefined && !o.sensitive)
    .map((o) => [o.name, o.example] as const);
  return { [stack.name]: Object.fromEntries(examples) };
}
