/** What each state backend setting means, for the hand-off README. Settings not listed are shown without a meaning. */
export const BACKEND_SETTINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  s3: {
    bucket: "S3 bucket holding the state. It must exist before `terraform init`.",
    key: "Object key of this stack's state in the bucket.",
    region: "Region of the state bucket.",
    encrypt: "Server-side encryption of the state object.",
    use_lockfile: "S3 native state locking: a `.tflock` object next to the state (Terraform 1.10 or later).",
    dynamodb_table: "DynamoDB table used for state locking, for teams not yet on S3 native locking.",
    kms_key_id: "KMS key that encrypts the state object.",
    workspace_key_prefix: "Key prefix of non-default workspaces.",
    assume_role: "Role Terraform assumes to read and write the state.",
    profile: "AWS CLI profile used to reach the state.",
    acl: "Canned ACL of the state object.",
  },
  cloud: {
    organization: "HCP Terraform / Terraform Enterprise organization.",
    hostname: "HCP Terraform or Terraform Enterprise host.",
    workspaces: "Workspace (name or tags) holding this stack's state and runs.",
  },
  remote: {
    organization: "HCP Terraform / Terraform Enterprise organization.",
    hostname: "HCP Terraform or Terraform Enterprise host.",
    workspaces: "Workspace holding this stack's state.",
  },
  local: {
    path: "File holding the state, relative to the working directory.",
  },
};

/** What a backend type is, in one sentence. */
export const BACKEND_TYPES: Readonly<Record<string, string>> = {
  s3: "State is kept in S3 (Terraform's `s3` backend).",
  cloud: "State and runs live in HCP Terraform / Terraform Enterprise (the `cloud` block).",
  remote: "State is kept in HCP Terraform / Terraform Enterprise (the `remote` backend).",
  local: "State is a local file: keep it safe, it is the only record of what this stack created.",
};
