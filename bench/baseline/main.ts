/**
 * The naive baseline: the same registry stacks written the way the cdktf documentation shows
 * them, importing provider classes from the @cdktf/provider-aws package index and reading the
 * config without validation. It exists only to be measured against `main.ts`.
 */
import * as fs from "fs";
import { App, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { parse } from "yaml";
import * as aws from "@cdktf/provider-aws";

class BaselineStack extends TerraformStack {
  constructor(scope: Construct, id: string, config: any, env: any) {
    super(scope, id);
    new aws.provider.AwsProvider(this, "aws", {
      region: env.region ?? config.region,
      defaultTags: [{ tags: { Purpose: "AI Model Storage", Project: config.project, Environment: env.name, ...config.tags } }],
    });
    new S3Backend(this, { bucket: config.state.bucket, key: `${config.project}/${env.name}/terraform.tfstate`, region: config.region, encrypt: true });
    const key = new aws.kmsKey.KmsKey(this, "key", { enableKeyRotation: true, deletionWindowInDays: 30 });
    new aws.ecrRegistryScanningConfiguration.EcrRegistryScanningConfiguration(this, "scanning", {
      scanType: "BASIC",
      rule: [{ scanFrequency: "SCAN_ON_PUSH", repositoryFilter: [{ filter: "*", filterType: "WILDCARD" }] }],
    });
    for (const repo of config.repositories) {
      if (repo.environments && !repo.environments.includes(env.name)) continue;
      const r = new aws.ecrRepository.EcrRepository(this, repo.name, {
        name: repo.name,
        imageTagMutability: repo.tagMutability ?? "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: key.arn }],
        tags: { Purpose: "AI Model Storage", ...repo.tags },
      });
      new TerraformOutput(this, `${repo.name}-url`, { value: r.repositoryUrl });
      new TerraformOutput(this, `${repo.name}-arn`, { value: r.arn });
      new TerraformOutput(this, `${repo.name}-registry-id`, { value: r.registryId });
    }
  }
}

const config = parse(fs.readFileSync(process.env.REGISTRY_CONFIG ?? "registry.yaml", "utf8"));
const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out" });
for (const env of config.environments) new BaselineStack(app, `${config.project}-${env.name}`, config, env);
app.synth();
