import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from "yaml";

/**
 * The config changes the e2e applies on top of the default config, as a user would make them in
 * registry.yaml (comments and layout kept).
 */

function repositories(doc: ReturnType<typeof parseDocument>): YAMLSeq<YAMLMap> {
  const list = doc.get("repositories");
  if (!isSeq(list)) throw new Error("the config has no repositories list");
  return list as YAMLSeq<YAMLMap>;
}

function repository(doc: ReturnType<typeof parseDocument>, name: string): YAMLMap {
  const found = repositories(doc).items.find((r) => isMap(r) && r.get("name") === name);
  if (!found) throw new Error(`the config has no repository ${name}`);
  return found;
}

/** Renames repository `from` to `to`, listing `from` in its `renamedFrom`. */
export function withRename(config: string, from: string, to: string): string {
  const doc = parseDocument(config);
  const entry = repository(doc, from);
  entry.set("name", to);
  entry.set("renamedFrom", doc.createNode([from]));
  return doc.toString();
}

/** Removes repository `name` and lists it in `retired`, so Terraform forgets it and AWS keeps it. */
export function withRetired(config: string, name: string): string {
  const doc = parseDocument(config);
  const retired = doc.get("retired");
  doc.set("retired", doc.createNode([...(isSeq(retired) ? (retired.toJSON() as string[]) : []), name]));
  return withoutRepository(doc.toString(), name);
}

/** Removes repository `name` from the config, and nothing else. */
export function withoutRepository(config: string, name: string): string {
  const doc = parseDocument(config);
  const list = repositories(doc);
  list.items = list.items.filter((r) => !(isMap(r) && r.get("name") === name));
  return doc.toString();
}

/** Adds `entry` to the repositories and `waivers` to the guardrail waivers, as a user adopting a repository would. */
export function withRepository(config: string, entry: Record<string, unknown>, waivers: ReadonlyArray<Record<string, unknown>> = []): string {
  const doc = parseDocument(config);
  repositories(doc).items.push(doc.createNode(entry) as YAMLMap);
  if (waivers.length > 0) {
    const existing = doc.getIn(["guardrails", "waivers"]);
    if (isSeq(existing)) for (const w of waivers) existing.items.push(doc.createNode(w));
    else doc.setIn(["guardrails", "waivers"], doc.createNode([...waivers]));
  }
  return doc.toString();
}

/** Sets `fields` on repository `name` (e.g. a group and the `movedFromGroup` that moves it there). */
export function withRepositoryFields(config: string, name: string, fields: Record<string, unknown>): string {
  const doc = parseDocument(config);
  const entry = repository(doc, name);
  for (const [key, value] of Object.entries(fields)) entry.set(key, doc.createNode(value));
  return doc.toString();
}
