import { CloudBackend, NamedCloudWorkspace, S3Backend, TaggedCloudWorkspaces, TerraformStack } from "cdktf";
import { BackendSettings } from "../plan/backend";

/** Adds the stack's remote state backend: an S3 backend, or a `cloud` block for HCP Terraform. */
export function addStateBackend(stack: TerraformStack, settings: BackendSettings): void {
  if (settings.type === "hcp") {
    new CloudBackend(stack, {
      organization: settings.organization,
      hostname: settings.hostname,
      workspaces:
        "name" in settings.workspace
          ? new NamedCloudWorkspace(settings.workspace.name)
          : new TaggedCloudWorkspaces([...settings.workspace.tags]),
    });
    return;
  }
  new S3Backend(stack, {
    bucket: settings.bucket,
    key: settings.key,
    region: settings.region,
    encrypt: true,
    kmsKeyId: settings.kmsKeyId,
    dynamodbTable: settings.dynamodbTable,
    assumeRole: settings.assumeRoleArn ? { roleArn: settings.assumeRoleArn } : undefined,
    allowedAccountIds: settings.allowedAccountIds ? [...settings.allowedAccountIds] : undefined,
  });
  // cdktf 0.21's S3BackendConfig predates S3 native locking.
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
