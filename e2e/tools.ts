import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MIRROR_PROVIDER_VERSION } from "./adaptations";

/** What the e2e needs from the machine, found or not. */
export interface Tools {
  readonly terraform: string;
  readonly terraformVersion: string;
  /** A Terraform filesystem mirror holding hashicorp/aws MIRROR_PROVIDER_VERSION. */
  readonly providerMirror: string;
  readonly motoServer: string;
  readonly openssl: string;
}

/** Where machine images put a provider mirror; `E2E_PROVIDER_MIRROR` comes first. */
const MIRROR_CANDIDATES = (env: NodeJS.ProcessEnv): string[] =>
  [
    env.E2E_PROVIDER_MIRROR,
    "/opt/tf-plugins",
    path.join(os.homedir(), ".terraform.d", "plugins"),
    path.join(os.homedir(), ".local", "share", "terraform", "plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ].filter((p): p is string => Boolean(p));

/** The first executable called `name` on PATH. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function providerMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
  return MIRROR_CANDIDATES(env).find((dir) =>
    fs.existsSync(path.join(dir, "registry.terraform.io", "hashicorp", "aws", MIRROR_PROVIDER_VERSION, platform)),
  );
}

/** The tools, or the list of what is missing (the e2e then says so and skips). */
export function findTools(env: NodeJS.ProcessEnv = process.env): Tools | string[] {
  const terraform = onPath("terraform", env);
  const motoServer = onPath("moto_server", env);
  const openssl = onPath("openssl", env);
  const mirror = providerMirror(env);
  const missing = [
    ...(terraform ? [] : ["terraform on PATH"]),
    ...(mirror ? [] : [`a filesystem mirror of hashicorp/aws ${MIRROR_PROVIDER_VERSION} (set E2E_PROVIDER_MIRROR)`]),
    ...(motoServer ? [] : ["moto_server on PATH (pip install 'moto[server]')"]),
    ...(openssl ? [] : ["openssl on PATH"]),
  ];
  if (missing.length > 0) return missing;
  const version = spawnSync(terraform!, ["version", "-json"], { encoding: "utf8", env: { ...env, CHECKPOINT_DISABLE: "1" } });
  const terraformVersion = version.status === 0 ? String(JSON.parse(version.stdout).terraform_version) : "unknown";
  return { terraform: terraform!, terraformVersion, providerMirror: mirror!, motoServer: motoServer!, openssl: openssl! };
}

/** Terraform's CLI configuration: providers from the mirror only, nothing from the registry. */
export function terraformCliConfig(mirror: string): string {
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(mirror)}`,
    '    include = ["registry.terraform.io/hashicorp/*"]',
    "  }",
    "}",
    "",
  ].join("\n");
}
