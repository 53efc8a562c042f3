/**
 * The naive baseline: the same registry stacks written the way the cdktf documentation shows
 * them, importing provider classes from the @cdktf/provider-aws package index and reading the
 * config without validation. Per repository it creates what ours does for the benchmark configs:
 * the repository, a repository policy from the inherited and own consumers, a lifecycle policy
 * (own rules or the registry-wide ones) and the three outputs. It exists only to be measured
 * against `main.ts`; it skips identity policies, validation and the removal guard, so it does less.
 */
import * as fs from "fs";
import { App, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { parse } from "yaml";
import * as aws from "@cdktf/provider-aws";

const PUSH = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"];
const PULL = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

function repositoryPolicy(config: any, repo: any, env: any): string | undefined {
  const consumers = [...(repo.inheritConsumers === false ? [] : (config.consumers ?? [])), ...(repo.consumers ?? [])].filter(
    (c: any) => (c.kind === "push" || c.kind === "pull") && (!c.environments || c.environments.includes(env.name)),
  );
  const arn = (p: string) => (/^\d{12}$/.test(p) ? `arn:aws:iam::${p}:root` : p);
  const statements = [];
  const push = consumers.filter((c: any) => c.kind === "push").map((c: any) => arn(c.principal));
  const pull = consumers.filter((c: any) => c.kind === "pull").map((c: any) => arn(c.principal));
  if (push.length > 0) statements.push({ Sid: "Push", Effect: "Allow", Principal: { AWS: push }, Action: PUSH });
  if (pull.length > 0) statements.push({ Sid: "Pull", Effect: "Allow", Principal: { AWS: pull }, Action: PULL });
  return statements.length > 0 ? JSON.stringify({ Version: "2012-10-17", Statement: statements }) : undefined;
}

function lifecyclePolicy(config: any, repo: any): string {
  const setting = repo.lifecycle ?? config.lifecycle ?? {};
  const protectedTags: string[] = setting.protectedTags ?? ["prod-*", "release-*"];
  const rules: any[] = setting.rules ?? [];
  return JSON.stringify({
    rules: [
      ...protectedTags.map((tag, i) => ({
        rulePriority: i + 1,
        selection: { tagStatus: "tagged", tagPatternList: [tag], countType: "imageCountMoreThan", countNumber: 100000 },
        action: { type: "expire" },
      })),
      ...rules.map((rule, i) => ({
        rulePriority: protectedTags.length + i + 1,
        description: rule.description,
        selection: {
          tagStatus: rule.tagStatus ?? "tagged",
          tagPrefixList: rule.tagPrefixes,
          tagPatternList: rule.tagPatterns,
          countType: rule.keepLast ? "imageCountMoreThan" : "sinceImagePushed",
          countUnit: rule.keepLast ? undefined : "days",
          countNumber: rule.keepLast ?? rule.olderThanDays,
        },
        action: { type: "expire" },
      })),
    ],
  });
}

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
      const policy = repositoryPolicy(config, repo, env);
      if (policy) new aws.ecrRepositoryPolicy.EcrRepositoryPolicy(this, `${repo.name}-policy`, { repository: r.name, policy });
      new aws.ecrLifecyclePolicy.EcrLifecyclePolicy(this, `${repo.name}-lifecycle`, { repository: r.name, policy: lifecyclePolicy(config, repo) });
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
