import * as v8 from "v8";
// The HCL formatter and parser are Go programs compiled to WebAssembly: the baseline compiler
// alone starts them about a second sooner (as in handoff.ts).
v8.setFlagsFromString("--liftoff-only");
import * as fs from "fs";
import * as path from "path";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { z } from "zod";
import { buildApp } from "../src/stacks/app";
import { DEFAULT_CONFIG_PATH } from "../src/config/load";
import { loadConfig } from "../src/checks";
import { HandoffStack, handoffFiles, handoffOutdirFromEnv, prepareHandoff, renderHandoff } from "../src/handoff/handoff";
import { exampleOutputsFile, outputsContract, outputsSchema } from "../src/handoff/outputs-contract";
import { HANDOFF_FILES, renderHandoffReadme } from "../src/handoff/readme";
import { describeResourceType } from "../src/handoff/resource-types";
import { withBareReferences } from "../src/stacks/project-stack";
import { parseStack } from "../src/synthesized/stack";
import { synthesizeAtomically } from "../src/synth";
import { tempDir, validConfig } from "./support/fixtures";
import { documentation } from "./support/docs";

/** A fixed config for exact expectations (the default registry.yaml grows with the product). */
const RAW = {
  project: "acme",
  region: "eu-west-1",
  accountId: "111122223333",
  state: { bucket: "acme-tfstate" },
  environments: [{ name: "dev" }, { name: "prod", region: "us-west-2", accountId: "444455556666" }],
  repositories: [
    { name: "models/llm.server", description: "LLM server images" },
    { name: "vision", environments: ["dev"], encryption: { type: "AES256" } },
  ],
};

function stackOf(stacks: readonly HandoffStack[], name: string) {
  const found = stacks.find((s) => s.stack.name === name);
  if (!found) throw new Error(`no stack ${name}`);
  return found.stack;
}

describe("the hand-off of a fixed config", () => {
  const stacks = prepareHandoff(validConfig(RAW));
  const dev = stackOf(stacks, "acme-dev");
  const prod = stackOf(stacks, "acme-prod");
  let files: Record<string, string>;
  beforeAll(async () => {
    files = await renderHandoff(stacks);
  });

  test("has one folder per stack with the Terraform JSON, the HCL, a README and the outputs schema", () => {
    expect(Object.keys(files).sort()).toEqual([
      "acme-dev/README.md",
      "acme-dev/cdk.tf.json",
      "acme-dev/hcl/cdk.tf",
      "acme-dev/outputs.schema.json",
      "acme-prod/README.md",
      "acme-prod/cdk.tf.json",
      "acme-prod/hcl/cdk.tf",
      "acme-prod/outputs.schema.json",
      "acme-state/README.md",
      "acme-state/cdk.tf.json",
      "acme-state/hcl/cdk.tf",
      "acme-state/outputs.schema.json",
    ]);
  });

  test("its Terraform JSON is byte-identical to what npm run synth writes", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    synthesizeAtomically(outdir, (temp) => buildApp(validConfig(RAW), { outdir: temp }));
    for (const stack of ["acme-dev", "acme-prod", "acme-state"]) {
      expect(files[`${stack}/cdk.tf.json`]).toBe(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
    }
  });

  test("never puts JSON and HCL configuration in the same folder, where Terraform would load both", () => {
    const folders = new Map<string, string[]>();
    for (const file of Object.keys(files)) {
      if (!/\.tf(\.json)?$/.test(file)) continue;
      folders.set(path.dirname(file), [...(folders.get(path.dirname(file)) ?? []), path.basename(file)]);
    }
    expect([...folders.values()].every((names) => names.length === 1)).toBe(true);
  });

  describe("README.md", () => {
    const readme = renderHandoffReadme(dev);

    test("has the files, running, backend, provider, resources and outputs sections in order", () => {
      expect(readme.split("\n").filter((line) => line.startsWith("#"))).toEqual([
        "# acme-dev",
        "## Files",
        "## Running it",
        "## State backend",
        "## Provider settings",
        "## Resources",
        "## Outputs contract",
      ]);
    });

    test("says what each resource type is, with its count", () => {
      expect(readme).toContain(
        "| `aws_ecr_repository` | 2 | ECR | A private image repository holding one model's container images (`force_delete` off: Terraform cannot delete it while it holds images). |",
      );
      expect(readme).toContain("| `aws_kms_key` | 1 | KMS | A customer managed KMS key that encrypts the registry's images at rest. |");
    });

    test("lists every resource by address with its AWS name and whether it is protected from destroy", () => {
      for (const resource of dev.resources) expect(readme).toContain(`| \`${resource.address}\` |`);
      expect(readme).toContain("| `aws_ecr_repository.models__llm--server` | `models/llm.server` | no |");
      expect(readme).toContain("| `aws_kms_alias.registry` | `alias/acme-dev-ecr` | no |");
    });

    test("names the providers to install and the Terraform version the backend needs", () => {
      expect(readme).toContain(
        "Providers: `hashicorp/aws` version `6.25.0`. The state backend uses S3 native locking, which needs Terraform 1.10 or later.",
      );
    });

    test("gives the backend settings with their meaning", () => {
      expect(readme).toContain("Type `s3`. State is kept in S3 (Terraform's `s3` backend).");
      expect(readme).toContain("| `bucket` | `acme-tfstate` | S3 bucket holding the state. It must exist before `terraform init`. |");
      expect(readme).toContain("| `key` | `acme/dev/terraform.tfstate` | Object key of this stack's state in the bucket. |");
      expect(readme).toContain(
        "| `use_lockfile` | `true` | S3 native state locking: a `.tflock` object next to the state (Terraform 1.10 or later). |",
      );
    });

    test("gives the outputs contract: name, meaning and an example from the stack's account and region", () => {
      expect(readme).toContain(
        "| `models__llm--server_repository_url` | Push and pull address of models/llm.server (LLM server images) | `111122223333.dkr.ecr.eu-west-1.amazonaws.com/models/llm.server` |",
      );
      expect(readme).toContain(
        "| `models__llm--server_repository_arn` | ARN of models/llm.server | `arn:aws:ecr:eu-west-1:111122223333:repository/models/llm.server` |",
      );
      expect(readme).toContain("| `vision_registry_id` | Registry (account) id of vision | `111122223333` |");
      expect(renderHandoffReadme(prod)).toContain(
        "| `models__llm--server_repository_url` | Push and pull address of models/llm.server (LLM server images) | `444455556666.dkr.ecr.us-west-2.amazonaws.com/models/llm.server` |",
      );
    });

    test("names the placeholder account when the provider pins none", () => {
      const unpinned = prepareHandoff(validConfig({ ...RAW, accountId: undefined, environments: [{ name: "dev" }] }));
      const text = renderHandoffReadme(unpinned[0].stack);
      expect(text).toContain("`123456789012.dkr.ecr.eu-west-1.amazonaws.com/models/llm.server`");
      expect(text).toContain("In the examples, `123456789012` stands for the account Terraform runs in (the provider does not pin one).");
    });
  });

  describe("outputs.schema.json", () => {
    const schema = JSON.parse(handoffFiles(dev, "")[HANDOFF_FILES.outputsSchema]);
    const validator = z.fromJSONSchema(schema);

    test("describes each output's value exactly", () => {
      expect(schema.properties["acme-dev"].properties["models__llm--server_repository_url"]).toEqual({
        description: "Push and pull address of models/llm.server (LLM server images)",
        type: "string",
        pattern: "^111122223333\\.dkr\\.ecr\\.eu-west-1\\.amazonaws\\.com/models/llm\\.server$",
        examples: ["111122223333.dkr.ecr.eu-west-1.amazonaws.com/models/llm.server"],
      });
    });

    test("requires every output of the stack and allows no others", () => {
      const inner = schema.properties["acme-dev"];
      expect(inner.required).toEqual(dev.outputs.map((o) => o.name));
      expect(Object.keys(inner.properties)).toEqual(dev.outputs.map((o) => o.name));
      expect(inner.additionalProperties).toBe(false);
      expect(schema.required).toEqual(["acme-dev"]);
    });

    test("accepts an outputs file of the examples, and one with other stacks beside it", () => {
      const example = exampleOutputsFile(dev);
      expect(Object.keys(example["acme-dev"])).toEqual(dev.outputs.map((o) => o.name));
      expect(validator.safeParse(example).success).toBe(true);
      expect(validator.safeParse({ ...example, "acme-prod": {} }).success).toBe(true);
    });

    test("rejects a missing output, an unknown output and a URL in another account", () => {
      const good = exampleOutputsFile(dev)["acme-dev"];
      const { ["vision_repository_url"]: _missing, ...withoutOne } = good;
      expect(validator.safeParse({ "acme-dev": withoutOne }).success).toBe(false);
      expect(validator.safeParse({ "acme-dev": { ...good, extra: "x" } }).success).toBe(false);
      const elsewhere = { ...good, vision_repository_url: "999999999999.dkr.ecr.eu-west-1.amazonaws.com/vision" };
      expect(validator.safeParse({ "acme-dev": elsewhere }).success).toBe(false);
    });
  });
});

describe("the hand-off of a config that renames and retires repositories", () => {
  const stacks = prepareHandoff(
    validConfig({ ...RAW, repositories: [{ name: "models/llm", renamedFrom: ["models/llm.server"] }], retired: ["vision"] }),
  );
  let readme: string;
  beforeAll(async () => {
    readme = (await renderHandoff(stacks))[`acme-dev/${HANDOFF_FILES.readme}`];
  });

  test("lists the moved blocks", () => {
    expect(readme).toContain("| `aws_ecr_repository.models__llm--server` | `aws_ecr_repository.models__llm` |");
  });

  test("lists the removed blocks, which keep the retired repository and its policy in AWS", () => {
    expect(readme).toContain("Removals (`removed` blocks: Terraform 1.7 or later forgets these addresses;");
    expect(readme).toContain("| `aws_ecr_repository.vision` | kept (`destroy = false`) |");
    expect(readme).toContain("| `aws_ecr_repository_policy.vision` | kept (`destroy = false`) |");
  });
});

test("HANDOFF_OUTDIR names the hand-off folder, handoff by default", () => {
  expect(handoffOutdirFromEnv({ HANDOFF_OUTDIR: "out/platform" })).toBe(path.resolve("out/platform"));
  expect(handoffOutdirFromEnv({})).toBe(path.resolve("handoff"));
});

describe("the hand-off of the default config", () => {
  const stacks = prepareHandoff(loadConfig(DEFAULT_CONFIG_PATH));

  test("describes every resource and data source type it emits", () => {
    const undescribed = stacks
      .flatMap(({ stack }) => [...stack.resources, ...stack.dataSources])
      .filter((r) => !describeResourceType(r.type, r.mode).known)
      .map((r) => r.type);
    expect(stacks.length).toBeGreaterThan(1);
    expect(undescribed).toEqual([]);
  });

  test("gives every output an example value", () => {
    const unknown = stacks.flatMap(({ stack }) => outputsContract(stack).filter((o) => o.example === undefined).map((o) => o.name));
    expect(unknown).toEqual([]);
  });

  // Found by the e2e: the schema pinned the examples' key id and profile version, so no real apply matched it.
  test("accepts the key ids and signing profile versions AWS generates, not only the examples'", () => {
    const schemaOf = (name: string) => z.fromJSONSchema(outputsSchema(stacks.find((s) => s.stack.name === name)!.stack) as any);
    const state = exampleOutputsFile(stacks.find((s) => s.stack.name === "model-registry-state")!.stack);
    const prod = exampleOutputsFile(stacks.find((s) => s.stack.name === "model-registry-prod")!.stack);
    const key = "arn:aws:kms:us-east-1:333333333333:key/0f4e5b9c-27a1-4c6e-9d3b-5a8e2f7c1b40";
    const version = "arn:aws:signer:us-west-2:222222222222:/signing-profiles/model_registry_prod/Xy7pQ2mN4r";
    expect(schemaOf("model-registry-state").safeParse({ "model-registry-state": { ...state["model-registry-state"], state_kms_key_arn: key } }).success).toBe(true);
    expect(schemaOf("model-registry-prod").safeParse({ "model-registry-prod": { ...prod["model-registry-prod"], signing_profile_version_arn: version } }).success).toBe(true);
    const otherAccount = key.replace("333333333333", "444444444444");
    expect(schemaOf("model-registry-state").safeParse({ "model-registry-state": { ...state["model-registry-state"], state_kms_key_arn: otherAccount } }).success).toBe(false);
  });

  test("its HCL declares exactly the configuration of its JSON", async () => {
    // hcl2json parses HCL into JSON where every block is a list; collapsing one-element lists on
    // both sides, and dropping cdktf's "//" metadata comments, makes the two syntaxes comparable.
    const collapse = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.length === 1 && typeof value[0] === "object" ? collapse(value[0]) : value.map(collapse);
      if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (k === "//" ? [] : [[k, collapse(v)]])));
      }
      return value;
    };
    // HCL writes the depends_on and provider meta-arguments as bare references, which hcl2json
    // reads as interpolations; Terraform JSON writes them as plain strings.
    const asJsonReferences = (value: unknown, key?: string): unknown => {
      const bare = (v: unknown) => (typeof v === "string" ? v.replace(/^\$\{(.*)\}$/, "$1") : v);
      if (key === "depends_on" && Array.isArray(value)) return value.map(bare);
      if (key === "provider" && typeof value === "string") return bare(value);
      if (Array.isArray(value)) return value.map((v) => asJsonReferences(v));
      if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asJsonReferences(v, k)]));
      return value;
    };
    const files = await renderHandoff(stacks);
    for (const { stack } of stacks) {
      const fromHcl = await parseHcl("cdk.tf", files[`${stack.name}/hcl/cdk.tf`]);
      expect(collapse(asJsonReferences(fromHcl))).toEqual(collapse(stack.json));
    }
  });

  test("its HCL writes depends_on and provider as bare references, as Terraform requires without a deprecation warning", async () => {
    const files = await renderHandoff(stacks);
    const hcl = stacks.map(({ stack }) => files[`${stack.name}/hcl/cdk.tf`]).join("\n");
    const dependsOn = [...hcl.matchAll(/depends_on = \[([^\]]*)\]/g)].map(([, list]) => list.split(/[\s,]+/).filter(Boolean));
    const providers = [...hcl.matchAll(/^ {2}provider +=(.*)$/gm)].map(([, value]) => value.trim());
    expect(dependsOn).toContainEqual(["aws_ecr_repository.ai-model-repository"]);
    expect(dependsOn.flat().filter((address) => !/^aws_[a-z0-9_]+\.[\w-]+$/.test(address))).toEqual([]);
    expect(providers).toContain("aws.eu-west-1");
    expect(providers.filter((provider) => !/^aws\.[\w-]+$/.test(provider))).toEqual([]);
  });
});

describe("withBareReferences", () => {
  test("unquotes a resource's own depends_on and provider, and nothing in its nested blocks", () => {
    const raw = ['resource "aws_x" "a" {', 'provider = "aws.eu-west-1"', "depends_on = [", '"aws_y.b",', '"aws_z.c-d",', "]", "settings {", '  provider = "github"', "}", "}"].join("\n");
    expect(withBareReferences({ hcl: raw }).hcl).toBe(
      ['resource "aws_x" "a" {', "provider = aws.eu-west-1", "depends_on = [", "aws_y.b,", "aws_z.c-d,", "]", "settings {", '  provider = "github"', "}", "}"].join("\n"),
    );
  });
});

describe("the outputs contract in docs/handoff.md", () => {
  const readme = documentation("docs/handoff.md");
  const prod = prepareHandoff(loadConfig(DEFAULT_CONFIG_PATH)).find((s) => s.stack.name === "model-registry-prod")!.stack;
  const example = JSON.parse(readme.split("<!-- outputs example: model-registry-prod -->\n```json\n")[1].split("```")[0]);

  test("shows the outputs file of the default config's prod stack, which its outputs schema accepts", () => {
    expect(example).toEqual(exampleOutputsFile(prod));
    expect(z.fromJSONSchema(outputsSchema(prod) as any).safeParse(example).success).toBe(true);
  });

  test("reads outputs in its shell examples that the outputs file has", () => {
    const paths = [...readme.matchAll(/jq -r '\."([^"]+)"\."([^"]+)"'/g)];
    expect(paths.length).toBeGreaterThan(0);
    for (const [, stack, output] of paths) expect(Object.keys(example[stack])).toContain(output);
  });

  test("reads the prod stack's state where its backend keeps it", () => {
    const config = /config = \{\n\s+bucket = "([^"]+)"\n\s+key\s+= "([^"]+)"\n\s+region = "([^"]+)"/.exec(readme);
    const backend = prod.backend!.settings;
    expect(config?.slice(1)).toEqual([backend.bucket, backend.key, backend.region]);
  });
});

describe("a stack with types and outputs the hand-off does not know", () => {
  const stack = parseStack(
    "odd",
    JSON.stringify({
      provider: { aws: [{ region: "eu-north-1" }] },
      resource: { aws_widget_thing: { w: { name: "w1" } }, aws_sns_topic: { t: { name: "alerts" } } },
      output: {
        widget_id: { value: "${aws_widget_thing.w.id}", description: "Widget" },
        widget_name: { value: "${aws_widget_thing.w.name}" },
        topic: { value: "${aws_sns_topic.t.arn}" },
        secret: { value: "${aws_sns_topic.t.arn}", sensitive: true },
        region: { value: "eu-north-1" },
        mixed: { value: "${aws_widget_thing.w.id}/suffix" },
      },
    }),
  );
  const readme = renderHandoffReadme(stack);
  const contract = new Map(outputsContract(stack).map((o) => [o.name, o]));

  test("describes an unknown resource type with a generic line", () => {
    expect(describeResourceType("aws_widget_thing")).toEqual({
      service: "AWS",
      meaning: "A `aws_widget_thing` resource; see the AWS provider documentation for what it manages.",
      known: false,
    });
    expect(readme).toContain("| `aws_widget_thing` | 1 | AWS | A `aws_widget_thing` resource; see the AWS provider documentation for what it manages. |");
  });

  test("uses a literal argument as the example of the attribute of the same name", () => {
    expect(contract.get("widget_name")?.example).toBe("w1");
  });

  test("leaves an attribute only known after apply open, in the schema and in the README", () => {
    expect(contract.get("widget_id")).toEqual({
      name: "widget_id",
      description: "Widget",
      sensitive: false,
      exampleText: "<aws_widget_thing.w.id>",
      schema: { description: "Widget" },
    });
    expect(contract.get("mixed")?.schema).toEqual({ type: "string" });
    expect(readme).toContain("| `widget_id` | Widget | `<aws_widget_thing.w.id>` |");
    expect(readme).toContain("`<...>` in an example is a value only known after apply");
  });

  test("builds ARNs of known types from the stack's region and account", () => {
    expect(contract.get("topic")?.example).toBe("arn:aws:sns:eu-north-1:123456789012:alerts");
  });

  test("fixes a literal output's value", () => {
    expect(contract.get("region")?.schema).toEqual({ type: "string", const: "eu-north-1" });
  });

  test("lists a sensitive output without requiring it or showing an example", () => {
    const schema = outputsSchema(stack) as any;
    expect(schema.properties.odd.required).not.toContain("secret");
    expect(Object.keys(schema.properties.odd.properties)).toContain("secret");
    expect(readme).toContain("| `secret` | (sensitive) | (sensitive) |");
  });

  test("says the stack keeps local state when it has no backend", () => {
    expect(readme).toContain(
      "Type `local`. State is a local file: keep it safe, it is the only record of what this stack created.",
    );
  });
});
