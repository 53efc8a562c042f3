/**
 * Just enough of Terraform's template syntax to read synthesized values: the `${...}`
 * interpolations cdktf writes for tokens, and the resource attribute references among them.
 */

/** A reference to one attribute of a resource or data source, e.g. `aws_ecr_repository.x.repository_url`. */
export interface AttributeReference {
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly attribute: string;
}

/** A piece of a template string: literal text, or one interpolation (its expression, without `${` `}`). */
export type TemplatePart = { readonly literal: string } | { readonly expression: string };

/** Splits a Terraform template string into literal text and `${...}` interpolations; `$${` is a literal `${`. */
export function templateParts(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = "";
  let i = 0;
  while (i < template.length) {
    if (template.startsWith("$${", i)) {
      literal += "${";
      i += 3;
      continue;
    }
    if (template.startsWith("${", i)) {
      const end = closingBrace(template, i + 2);
      if (end < 0) break;
      if (literal) parts.push({ literal });
      literal = "";
      parts.push({ expression: template.slice(i + 2, end).trim() });
      i = end + 1;
      continue;
    }
    literal += template[i];
    i++;
  }
  literal += template.slice(i);
  if (literal) parts.push({ literal });
  return parts;
}

/** The index of the `}` that closes an interpolation opened before `from`, skipping nested braces and strings. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

const REFERENCE = /^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)\.([a-z_][a-z0-9_]*)$/;

/** Reads an interpolation that is exactly one attribute reference; anything else (functions, indexes, locals) gives undefined. */
export function parseReference(expression: string): AttributeReference | undefined {
  const match = REFERENCE.exec(expression);
  if (!match || (!match[1] && ["var", "local", "module", "each", "count", "path", "self", "terraform"].includes(match[2]))) return undefined;
  return { mode: match[1] ? "data" : "managed", type: match[2], name: match[3], attribute: match[4] };
}

/** Every attribute reference anywhere inside a synthesized value (strings, lists, objects). */
export function referencesIn(value: unknown): AttributeReference[] {
  if (typeof value === "string") {
    return templateParts(value).flatMap((part) => {
      if (!("expression" in part)) return [];
      const reference = parseReference(part.expression);
      return reference ? [reference] : [];
    });
  }
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(referencesIn);
  return [];
}
